"use client";
import { useActionState } from "react";
import { Field, FormMessage, SubmitButton } from "@/components/form";
import { JourneyOutcomeShown, useJourneyStep } from "@/components/journey";
import { IDLE } from "@/lib/http/form-state";
import { JourneyForm } from "@/app/account/_components/journey-form";
import { changePasswordAction } from "./actions";

export function PasswordChangeForm() {
  const [state, formAction] = useActionState(changePasswordAction, IDLE);
  useJourneyStep("password_change", "form");
  return (
    <JourneyForm journey="password_change" submitStep="saved" action={formAction}>
      <FormMessage state={state} />
      {state.status === "ok" ? <JourneyOutcomeShown type="password_change" /> : null}
      <Field name="currentPassword" label="Current password" type="password" autoComplete="current-password" required state={state} />
      <Field name="newPassword" label="New password" type="password" autoComplete="new-password" hint="At least 10 characters." required state={state} />
      <Field name="confirmPassword" label="Repeat the new password" type="password" autoComplete="new-password" required state={state} />
      <SubmitButton pendingLabel="Saving…">Change password</SubmitButton>
    </JourneyForm>
  );
}
