"use client";
import { useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { Field } from "@/components/form";
import { useHydrated } from "@/components/use-browser-value";
import { signInErrorMessage } from "@/lib/auth/sign-in-errors";
import type { FormState } from "@/lib/http/form-state";
import { safeRedirectPath } from "@/lib/http/safe-redirect";

/** What brought the visitor here (signed out, or a new password), from the address: the page itself is prerendered. */
export function SignInNotices() {
  const params = useSearchParams();
  // The prerendered page has no query (on a static page useSearchParams is empty at build time), so
  // the notices appear only once the page is hydrated: read during hydration, `?signedOut=1` made
  // React's hydration fail (error 418) and build the whole page again in the browser.
  const hydrated = useHydrated();
  if (!hydrated) return null;
  return (
    <>
      {params.has("signedOut") ? <p className="notice ok" role="status">You are signed out.</p> : null}
      {params.has("reset") ? <p className="notice ok" role="status">Your password has been changed. Sign in with the new one.</p> : null}
    </>
  );
}

export function SignInForm() {
  const router = useRouter();
  // Signing in needs the page's script (next-auth's CSRF exchange). Until it runs the button stays
  // disabled, which also stops Enter from submitting; and the form posts, so a password typed
  // before then can never end up in the address bar, the history or a log.
  const hydrated = useHydrated();
  const [state, setState] = useState<FormState>({ status: "idle" });
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = { email: String(form.get("email") ?? ""), password: String(form.get("password") ?? "") };
    // zod and next-auth's client are fetched on submit, not with the page (lib/http/browser-zod.ts first).
    await import("@/lib/http/browser-zod");
    const [{ signInSchema }, { signIn }] = await Promise.all([import("@/lib/accounts/schemas"), import("next-auth/react")]);
    const parsed = signInSchema.safeParse(input);
    if (!parsed.success) {
      const fieldErrors: Record<string, string> = {};
      for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0])] ??= issue.message;
      setState({ status: "error", fieldErrors, values: { email: input.email } });
      return;
    }
    setPending(true);
    const result = await signIn("credentials", { ...parsed.data, redirect: false });
    if (!result || result.error) {
      setPending(false);
      setState({ status: "error", message: signInErrorMessage(result?.error), values: { email: input.email } });
      return;
    }
    // Read at submit, not while rendering: the prerendered page has no query, and this keeps the form out of a Suspense boundary.
    router.replace(safeRedirectPath(new URLSearchParams(window.location.search).get("callbackUrl")));
    router.refresh();
  }

  return (
    <form className="card stack" method="post" onSubmit={onSubmit} noValidate>
      {state.message ? (
        <div className="notice error" role="status" aria-live="polite" data-testid="form-message">
          {state.message}
        </div>
      ) : null}
      <Field key={state.values?.email} name="email" label="Email" type="email" autoComplete="email" inputMode="email" required state={state} />
      <Field name="password" label="Password" type="password" autoComplete="current-password" required state={state} />
      <button type="submit" className="button" disabled={pending || !hydrated}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
