import type { Metadata } from "next";
import Link from "@/components/link";
import { ForgotPasswordForm } from "./forgot-password-form";

export const metadata: Metadata = { title: "Forgot your password" };

// Nothing here depends on the request: built once, served as a file (see ../signin/page.tsx).
export const dynamic = "force-static";

export default function ForgotPasswordPage() {
  return (
    <div className="narrow stack">
      <h1>Reset your password</h1>
      <p className="muted">Enter the email of your account and we will send you a link to choose a new password.</p>
      <ForgotPasswordForm />
      <p>
        <Link href="/signin">Back to sign in</Link>
      </p>
    </div>
  );
}
