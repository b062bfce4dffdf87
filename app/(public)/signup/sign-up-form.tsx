"use client";
import { useActionState } from "react";
import { Field, FormMessage, SubmitButton, KeptForm } from "@/components/form";
import { JourneyIdField, useJourneyStep } from "@/components/journey";
import { IDLE } from "@/lib/http/form-state";
import { signUpAction } from "./actions";

export function SignUpForm() {
  const [state, formAction] = useActionState(signUpAction, IDLE);
  useJourneyStep("signup", "details");
  // Sent: what is left happens in the customer's inbox.
  if (state.status === "ok") return <FormMessage state={state} />;
  return (
    <KeptForm className="card stack" action={formAction} noValidate>
      <FormMessage state={state} />
      <JourneyIdField type="signup" step="details" />
      <Field name="name" label="Name" autoComplete="name" required state={state} />
      <Field name="email" label="Email" type="email" autoComplete="email" inputMode="email" required state={state} />
      <Field name="password" label="Password" type="password" autoComplete="new-password" hint="At least 10 characters." required state={state} />
      <SubmitButton pendingLabel="Sending…">Create account</SubmitButton>
    </KeptForm>
  );
}
