import type { Metadata } from "next";
import Link from "@/components/link";
import { EmailedLinkPage } from "@/components/emailed-link-page";
import { JourneyOutcomeShown } from "@/components/journey";
import { usableEmailChange } from "@/lib/accounts/profile";
import { redirect } from "next/navigation";
import { currentPrincipal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { urlSecret } from "@/lib/http/url-secret";
import { maskEmail } from "@/lib/mail/outbox";
import { ConfirmEmailForm } from "./confirm-email-form";

export const metadata: Metadata = { title: "Confirm your new email" };

// The emailed link (/account/confirm-email/<token>) works in any browser, signed in or not, and
// leaves its token in a cookie for this page (lib/http/url-secret.ts), never in its URL. Opening it
// changes nothing by itself (mail scanners open links too): the button does.
export default async function ConfirmEmailPage({ searchParams }: { searchParams: Promise<{ token?: string | string[]; confirmed?: string }> }) {
  const { token: fromOlderLink, confirmed } = await searchParams;
  // Links emailed before the exchange carried the token in the query: exchanged the same way.
  if (typeof fromOlderLink === "string") redirect(`/account/confirm-email/${encodeURIComponent(fromOlderLink)}`);
  if (confirmed === "1") return <Confirmed />;
  const token = await urlSecret("email-change");
  const link = token === null ? null : await usableEmailChange(db(), token);
  const principal = await currentPrincipal();
  // The link changes the account it was sent for: another customer signed in here is not asked to confirm it.
  if (link && principal && principal.userId !== link.userId) return <AnotherAccount signedInAs={principal.email} />;
  return (
    <EmailedLinkPage
      title="Confirm your new sign-in email"
      journey="email_change"
      usable={link !== null}
      attempt={link?.journeyId}
      unusable={{
        step: "confirmed",
        errorCode: "link_invalid",
        message: "This confirmation link has expired or was already used. Your sign-in email was not changed.",
        nextSteps: <Link href="/account/email" className="button">Ask for a new link</Link>,
      }}
    >
      {link ? <ConfirmEmailForm newEmail={maskEmail(link.newEmail)} signedIn={principal !== null} /> : null}
    </EmailedLinkPage>
  );
}

function AnotherAccount({ signedInAs }: { signedInAs: string | null }) {
  return (
    <div className="narrow stack">
      <h1>Confirm your new sign-in email</h1>
      <p className="notice warn" role="status" data-testid="form-message">
        This link is for another Waymark account than the one signed in here{signedInAs ? ` (${signedInAs})` : ""}, so nothing was changed.
      </p>
      <p>To confirm the new address for that account, sign out, then open the link in the email again.</p>
    </div>
  );
}

async function Confirmed() {
  const principal = await currentPrincipal();
  return (
    <div className="narrow stack">
      <h1>Your sign-in email is changed</h1>
      <p className="notice ok" role="status" data-testid="form-message">
        {principal?.email ? `Done: you now sign in with ${principal.email}.` : "Done: sign in with your new email address from now on."}
      </p>
      {principal ? <JourneyOutcomeShown type="email_change" /> : null}
      <p>
        {principal ? <Link href="/account" className="button">Go to your account</Link> : <Link href="/signin" className="button">Sign in</Link>}
      </p>
    </div>
  );
}
