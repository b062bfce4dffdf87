"use client";
import { useActionState } from "react";
import { Field, FormMessage, SubmitButton } from "@/components/form";
import { useJourneyStep } from "@/components/journey";
import { IDLE } from "@/lib/http/form-state";
import { JourneyForm } from "@/app/account/_components/journey-form";
import { requestEmailChangeAction } from "./actions";

export function EmailChangeForm() {
  const [state, formAction] = useActionState(requestEmailChangeAction, IDLE);
  useJourneyStep("email_change", "form");
  return (
    // "requested" is recorded by the server when it sends the link: a refused submit never reached it.
    <JourneyForm journey="email_change" submitStep="requested" serverRecordsStep action={formAction} aria-label="Change your sign-in email">
      <h2>Change it</h2>
      <FormMessage state={state} />
      <Field name="newEmail" label="New email address" type="email" autoComplete="email" inputMode="email" required state={state} />
      <Field name="currentPassword" label="Your current password" type="password" autoComplete="current-password" hint="So we know it is you." required state={state} />
      <p className="muted">We send a confirmation link to the new address. Your sign-in email changes when you open it, and we let your current address know.</p>
      <SubmitButton pendingLabel="Sending the link…">Send confirmation link</SubmitButton>
    </JourneyForm>
  );
}
