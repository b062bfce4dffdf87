"use client";
// On every page: a client component so the server sends who is signed in (a few fields), not the
// header's element tree, in each page's RSC payload (see app/orders/order-list.tsx).
import Link from "@/components/link";
import { MessagesBell } from "./messages-bell";
import { SignOutButton } from "./sign-out-button";

/** `unread`: the customer's unread messages (customers only). */
type HeaderPrincipal = { name: string; role: "CUSTOMER" | "AGENT" | "ANALYST"; unread?: number } | null;

const NAV: Record<"CUSTOMER" | "AGENT" | "ANALYST", { href: string; label: string }[]> = {
  CUSTOMER: [
    { href: "/", label: "Overview" },
    { href: "/orders", label: "Orders" },
    { href: "/returns", label: "Returns" },
    { href: "/account", label: "Account" },
    { href: "/help", label: "Help" },
  ],
  AGENT: [{ href: "/agent", label: "Agent desk" }],
  ANALYST: [{ href: "/insights", label: "Insights" }],
};

export function SiteHeader({ principal }: { principal: HeaderPrincipal }) {
  return (
    <header className="site-header">
      <div className="site-header-inner">
        <Link href="/" className="brand">
          way<span>mark</span>
        </Link>
        {principal ? (
          <nav aria-label="Main" className="site-nav">
            {NAV[principal.role].map((item) => (
              <Link key={item.href} href={item.href}>{item.label}</Link>
            ))}
          </nav>
        ) : null}
        <div className="header-account">
          {principal ? (
            <>
              {principal.role === "CUSTOMER" ? <MessagesBell unread={principal.unread ?? 0} /> : null}
              <span className="muted" data-testid="signed-in-as">{principal.name}</span>
              <SignOutButton />
            </>
          ) : (
            <>
              <Link href="/signin">Sign in</Link>
              <Link href="/signup" className="button secondary">Create account</Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}
