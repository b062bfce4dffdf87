"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef } from "react";
import { Field, FormMessage, SubmitButton, KeptForm } from "@/components/form";
import { JourneyIdField, useJourneyStep } from "@/components/journey";
import { IDLE } from "@/lib/http/form-state";
import { signUpAction } from "./actions";

export function SignUpForm() {
  const [state, formAction] = useActionState(signUpAction, IDLE);
  const router = useRouter();
  const credentials = useRef<{ email: string; password: string } | null>(null);
  useJourneyStep("signup", "details");

  useEffect(() => {
    if (state.status !== "ok" || !credentials.current) return;
    void signIn("credentials", { ...credentials.current, redirect: false }).then(() => {
      router.replace("/");
      router.refresh();
    });
  }, [state, router]);

  return (
    <KeptForm
      className="card stack"
      action={formAction}
      noValidate
      onSubmit={(event) => {
        const form = new FormData(event.currentTarget);
        credentials.current = { email: String(form.get("email")), password: String(form.get("password")) };
      }}
    >
      <FormMessage state={state} />
      <JourneyIdField type="signup" step="details" />
      <Field name="name" label="Name" autoComplete="name" required state={state} />
      <Field name="email" label="Email" type="email" autoComplete="email" inputMode="email" required state={state} />
      <Field name="password" label="Password" type="password" autoComplete="new-password" hint="At least 10 characters." required state={state} />
      <SubmitButton pendingLabel="Creating your account…">Create account</SubmitButton>
    </KeptForm>
  );
}
