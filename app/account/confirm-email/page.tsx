import type { Metadata } from "next";
import Link from "next/link";
import { JourneyStep } from "@/components/journey";
import { isEmailChangeTokenUsable } from "@/lib/accounts/profile";
import { emailChangeTokenSchema } from "@/lib/accounts/schemas";
import { currentPrincipal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { ConfirmEmailForm } from "./confirm-email-form";

export const metadata: Metadata = { title: "Confirm your new email" };

// The emailed link works in any browser, signed in or not. Opening it changes nothing by itself
// (mail scanners open links too): the button does. The token travels in the query string, which
// the trail strips before anything reaches PostHog.
export default async function ConfirmEmailPage({ searchParams }: { searchParams: Promise<{ token?: string | string[]; confirmed?: string }> }) {
  const { token, confirmed } = await searchParams;
  if (confirmed === "1") return <Confirmed />;
  const usable = typeof token === "string" && emailChangeTokenSchema.safeParse({ token }).success && (await isEmailChangeTokenUsable(db(), token));
  return (
    <div className="narrow stack">
      <h1>Confirm your new sign-in email</h1>
      {usable && typeof token === "string" ? (
        <ConfirmEmailForm token={token} />
      ) : (
        <>
          <JourneyStep type="email_change" step="confirmed" action="failed" errorCode="link_invalid" />
          <p className="notice error">This confirmation link has expired or was already used. Your sign-in email was not changed.</p>
          <p>
            <Link href="/account/email" className="button">Ask for a new link</Link>
          </p>
        </>
      )}
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
      <p>
        {principal ? <Link href="/account" className="button">Go to your account</Link> : <Link href="/signin" className="button">Sign in</Link>}
      </p>
    </div>
  );
}
