import type { Metadata } from "next";
import Link from "@/components/link";
import { ContactUs } from "@/components/contact-us";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create an account" };

// Nothing here depends on the request: built once, served as a file (see ../signin/page.tsx).
export const dynamic = "force-static";

export default function SignUpPage() {
  return (
    <div className="narrow stack">
      <h1>Create your account</h1>
      <p className="muted">Follow your orders, start returns and manage your details yourself, any time.</p>
      <SignUpForm />
      <p className="muted">
        Already have an account? <Link href="/signin">Sign in</Link>
      </p>
      <ContactUs journey="signup" step="details" />
    </div>
  );
}
