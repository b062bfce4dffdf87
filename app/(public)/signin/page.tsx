import type { Metadata } from "next";
import Link from "@/components/link";
import { redirect } from "next/navigation";
import { currentPrincipal, staffHome } from "@/lib/auth/principal";
import { safeRedirectPath } from "@/lib/http/safe-redirect";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const principal = await currentPrincipal();
  if (principal) redirect(staffHome(principal.role));
  const params = await searchParams;
  const callbackUrl = safeRedirectPath(params.callbackUrl);
  return (
    <div className="narrow stack">
      <h1>Sign in</h1>
      {params.signedOut ? <p className="notice ok" role="status">You are signed out.</p> : null}
      {params.reset ? <p className="notice ok" role="status">Your password has been changed. Sign in with the new one.</p> : null}
      <SignInForm callbackUrl={callbackUrl} />
      <p>
        <Link href="/forgot-password">Forgot your password?</Link>
      </p>
      <p className="muted">
        New here? <Link href="/signup">Create an account</Link>
      </p>
    </div>
  );
}
