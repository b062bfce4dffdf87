import type { Metadata } from "next";
import { Suspense } from "react";
import Link from "@/components/link";
import { SignInForm, SignInNotices } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };
// The same HTML for everyone, written at build time and served as a file: nothing here depends on
// the request (the query is read in the browser; proxy.ts sends someone signed in to their home).
export const dynamic = "force-static";

export default function SignInPage() {
  return (
    <div className="narrow stack">
      <h1>Sign in</h1>
      <Suspense fallback={null}>
        <SignInNotices />
      </Suspense>
      <SignInForm />
      <p>
        <Link href="/forgot-password">Forgot your password?</Link>
      </p>
      <p className="muted">
        New here? <Link href="/signup">Create an account</Link>
      </p>
    </div>
  );
}
