"use client";
import { useActionState } from "react";
import { Field, FormMessage, SubmitButton, KeptForm } from "@/components/form";
import { JourneyIdField, useJourneyStep } from "@/components/journey";
import { IDLE } from "@/lib/http/form-state";
import { resetPasswordAction } from "./actions";

export function ResetPasswordForm() {
  const [state, formAction] = useActionState(resetPasswordAction, IDLE);
  useJourneyStep("password_reset", "new_password");
  return (
    <KeptForm className="card stack" action={formAction} noValidate>
      <FormMessage state={state} />
      <JourneyIdField type="password_reset" step="new_password" />
      <Field name="password" label="New password" type="password" autoComplete="new-password" hint="At least 10 characters. Every device signed in to your account will be signed out." required state={state} />
      <Field name="confirmPassword" label="Repeat the new password" type="password" autoComplete="new-password" required state={state} />
      <SubmitButton pendingLabel="Saving…">Save new password</SubmitButton>
    </KeptForm>
  );
}
