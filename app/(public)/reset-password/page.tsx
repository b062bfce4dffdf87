import type { Metadata } from "next";
import Link from "@/components/link";
import { isResetTokenUsable } from "@/lib/accounts/accounts";
import { JourneyStep } from "@/components/journey";
import { db } from "@/lib/db/client";
import { urlSecret } from "@/lib/http/url-secret";
import { ResetPasswordForm } from "./reset-password-form";

export const metadata: Metadata = { title: "Choose a new password" };

// Reached through /reset-password/<token>, which keeps the token in a cookie (lib/http/url-secret.ts).
export default async function ResetPasswordPage() {
  const token = await urlSecret("password-reset");
  const usable = token !== null && (await isResetTokenUsable(db(), token));
  return (
    <div className="narrow stack">
      <h1>Choose a new password</h1>
      {/* Opening the emailed link is reaching the email step. */}
      <JourneyStep type="password_reset" step="email" />
      {usable ? (
        <ResetPasswordForm />
      ) : (
        <>
          <JourneyStep type="password_reset" step="new_password" action="failed" errorCode="reset_link_invalid" />
          <p className="notice error">This reset link has expired or was already used.</p>
          <p>
            <Link href="/forgot-password" className="button">Ask for a new link</Link>
          </p>
        </>
      )}
    </div>
  );
}
