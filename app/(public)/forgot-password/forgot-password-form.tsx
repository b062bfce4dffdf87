"use client";
import { useActionState } from "react";
import { Field, FormMessage, SubmitButton, KeptForm } from "@/components/form";
import { JourneyIdField, useJourneyStep } from "@/components/journey";
import { IDLE } from "@/lib/http/form-state";
import { forgotPasswordAction } from "./actions";

export function ForgotPasswordForm() {
  const [state, formAction] = useActionState(forgotPasswordAction, IDLE);
  useJourneyStep("password_reset", "request");
  return (
    <KeptForm className="card stack" action={formAction} noValidate>
      <FormMessage state={state} />
      <JourneyIdField type="password_reset" step="request" />
      <Field name="email" label="Email" type="email" autoComplete="email" inputMode="email" required state={state} />
      <SubmitButton pendingLabel="Sending…">Send reset link</SubmitButton>
    </KeptForm>
  );
}
