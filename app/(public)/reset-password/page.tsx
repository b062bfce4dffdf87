import type { Metadata } from "next";
import Link from "@/components/link";
import { usableResetLink } from "@/lib/accounts/accounts";
import { EmailedLinkPage } from "@/components/emailed-link-page";
import { db } from "@/lib/db/client";
import { urlSecret } from "@/lib/http/url-secret";
import { ResetPasswordForm } from "./reset-password-form";

export const metadata: Metadata = { title: "Choose a new password" };

// Reached through /reset-password/<token>, which keeps the token in a cookie (lib/http/url-secret.ts).
export default async function ResetPasswordPage() {
  const token = await urlSecret("password-reset");
  const link = token === null ? null : await usableResetLink(db(), token);
  return (
    <EmailedLinkPage
      title="Choose a new password"
      journey="password_reset"
      // Opening the emailed link is reaching the email step.
      arrivalStep="email"
      usable={link !== null}
      attempt={link?.journeyId}
      unusable={{
        step: "new_password",
        errorCode: "reset_link_invalid",
        message: "This reset link has expired or was already used.",
        nextSteps: <Link href="/forgot-password" className="button">Ask for a new link</Link>,
      }}
    >
      <ResetPasswordForm />
    </EmailedLinkPage>
  );
}
