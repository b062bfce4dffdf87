import type { Metadata } from "next";
import { ContactUs } from "@/components/contact-us";
import { pendingEmailChange } from "@/lib/accounts/profile";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { formatDateTime } from "@/lib/format/date";
import { BackToAccount } from "@/app/account/_components/back-link";
import { EmailChangeForm } from "./email-change-form";

export const metadata: Metadata = { title: "Sign-in email" };

export default async function EmailPage() {
  const principal = await requireCustomer("/account/email");
  const pending = await pendingEmailChange(db(), principal.userId);
  return (
    <div className="narrow stack">
      <BackToAccount />
      <h1>Sign-in email</h1>
      <p>
        You sign in with <strong data-testid="current-email">{principal.email}</strong>. We also send order emails there.
      </p>
      {pending ? (
        <p className="notice warn" role="status">
          Waiting for you to confirm <strong>{pending.newEmail}</strong>: open the link we sent there. It works until{" "}
          {formatDateTime(pending.expiresAt, principal.timeZone)}. Asking again sends a new link.
        </p>
      ) : null}
      <EmailChangeForm />
      <ContactUs journey="email_change" step="form" />
    </div>
  );
}
