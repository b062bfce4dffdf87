import type { Metadata } from "next";
import Link from "@/components/link";
import { EmailedLinkPage } from "@/components/emailed-link-page";
import { JourneyOutcomeShown } from "@/components/journey";
import { isEmailChangeTokenUsable } from "@/lib/accounts/profile";
import { redirect } from "next/navigation";
import { currentPrincipal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { urlSecret } from "@/lib/http/url-secret";
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
  const usable = token !== null && (await isEmailChangeTokenUsable(db(), token));
  return (
    <EmailedLinkPage
      title="Confirm your new sign-in email"
      journey="email_change"
      usable={usable}
      unusable={{
        step: "confirmed",
        errorCode: "link_invalid",
        message: "This confirmation link has expired or was already used. Your sign-in email was not changed.",
        nextSteps: <Link href="/account/email" className="button">Ask for a new link</Link>,
      }}
    >
      <ConfirmEmailForm />
    </EmailedLinkPage>
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
