"use client";
import { useActionState } from "react";
import { FormMessage, SubmitButton, KeptForm } from "@/components/form";
import { JourneyIdField, useJourneyStep } from "@/components/journey";
import { IDLE } from "@/lib/http/form-state";
import { confirmEmailChangeAction } from "./actions";

export function ConfirmEmailForm() {
  const [state, formAction] = useActionState(confirmEmailChangeAction, IDLE);
  useJourneyStep("email_change", "confirmed");
  return (
    <KeptForm action={formAction} className="card stack" noValidate>
      <FormMessage state={state} />
      <JourneyIdField type="email_change" step="confirmed" />
      <p>From now on you will sign in with this address, and we will send your order emails here.</p>
      <SubmitButton pendingLabel="Confirming…">Confirm new email</SubmitButton>
    </KeptForm>
  );
}
