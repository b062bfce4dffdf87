"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef } from "react";
import { Field, FormMessage, SubmitButton, KeptForm } from "@/components/form";
import { JourneyIdField } from "@/components/journey";
import { IDLE } from "@/lib/http/form-state";
import { confirmSignUpAction } from "./actions";

export function ConfirmSignUpForm({ email }: { email: string }) {
  const [state, formAction] = useActionState(confirmSignUpAction, IDLE);
  const router = useRouter();
  const password = useRef<string | null>(null);

  // The account exists: signed in with the password just typed, as on the sign-in page.
  useEffect(() => {
    if (state.status !== "ok" || password.current === null) return;
    void signIn("credentials", { email, password: password.current, redirect: false }).then(() => {
      router.replace("/");
      router.refresh();
    });
  }, [state, router, email]);

  return (
    <KeptForm
      className="card stack"
      action={formAction}
      noValidate
      onSubmit={(event) => {
        password.current = String(new FormData(event.currentTarget).get("password"));
      }}
    >
      <FormMessage state={state} />
      {/* The page is the email step; the account step has no page of its own: the server reaches and completes it. */}
      <JourneyIdField type="signup" step="email" />
      <p>
        Your account will sign in with <strong>{email}</strong>. Enter the password you chose when you signed up.
      </p>
      <Field name="password" label="Password" type="password" autoComplete="current-password" required state={state} />
      <SubmitButton pendingLabel="Creating your account…">Create my account</SubmitButton>
    </KeptForm>
  );
}
