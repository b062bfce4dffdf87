import type { Metadata } from "next";
import { ContactUs } from "@/components/contact-us";
import { requireCustomer } from "@/lib/auth/principal";
import { BackToAccount } from "@/app/account/_components/back-link";
import { PasswordChangeForm } from "./password-change-form";

export const metadata: Metadata = { title: "Change password" };

export default async function PasswordPage() {
  await requireCustomer("/account/password");
  return (
    <div className="narrow stack">
      <BackToAccount />
      <h1>Change password</h1>
      <p className="muted">You stay signed in here. Every other device signed in to your account is signed out.</p>
      <PasswordChangeForm />
      <ContactUs journey="password_change" step="form" />
    </div>
  );
}
