import type { Metadata } from "next";
import Link from "@/components/link";
import { EmailedLinkPage } from "@/components/emailed-link-page";
import { signUpLinkEmail } from "@/lib/accounts/signup";
import { db } from "@/lib/db/client";
import { urlSecret } from "@/lib/http/url-secret";
import { ConfirmSignUpForm } from "./confirm-sign-up-form";

export const metadata: Metadata = { title: "Finish creating your account" };

// Reached through /signup/confirm/<token>, which keeps the token in a cookie (lib/http/url-secret.ts).
// Opening it makes nothing by itself (mail scanners open links too): the password and the button do.
export default async function ConfirmSignUpPage() {
  const token = await urlSecret("signup");
  const email = token === null ? null : await signUpLinkEmail(db(), token);
  return (
    <EmailedLinkPage
      title="Finish creating your account"
      journey="signup"
      // Opening the emailed link is reaching the email step.
      arrivalStep="email"
      usable={email !== null}
      unusable={{
        step: "email",
        errorCode: "link_invalid",
        message: "This link has expired or was already used.",
        nextSteps: (
          <>
            <Link href="/signup" className="button">Sign up again</Link> or <Link href="/signin">sign in</Link>
          </>
        ),
      }}
    >
      {email ? <ConfirmSignUpForm email={email} /> : null}
    </EmailedLinkPage>
  );
}
