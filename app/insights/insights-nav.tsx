"use client";
import Link from "@/components/link";
import { usePathname } from "next/navigation";

const SECTIONS = [
  { href: "/insights", label: "Journeys" },
  { href: "/insights/trends", label: "Trends" },
  { href: "/insights/follow-through", label: "Exit follow-through" },
  { href: "/insights/triggers", label: "Why customers leave" },
  { href: "/insights/effort", label: "How hard it felt" },
  { href: "/frontline", label: "Live now" },
  { href: "/insights/explorer", label: "Journey explorer" },
  { href: "/insights/help", label: "Help and overrides" },
  { href: "/insights/definitions", label: "How we count" },
] as const;

export function InsightsNav() {
  const pathname = usePathname();
  const current = (href: string) => (href === "/insights" ? pathname === href || pathname.startsWith("/insights/journeys") : pathname.startsWith(href));
  return (
    <nav aria-label="Insights" className="insights-nav no-print">
      {SECTIONS.map((s) => (
        <Link key={s.href} href={s.href} aria-current={current(s.href) ? "page" : undefined}>{s.label}</Link>
      ))}
    </nav>
  );
}
