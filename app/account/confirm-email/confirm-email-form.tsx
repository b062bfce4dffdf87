"use client";
import { useActionState } from "react";
import { FormMessage, SubmitButton, KeptForm } from "@/components/form";
import { JourneyIdField, useJourneyStep } from "@/components/journey";
import { IDLE } from "@/lib/http/form-state";
import { confirmEmailChangeAction } from "./actions";

/** `newEmail`, masked: the address the link confirms; `signedIn`: to the account it is for (never another). */
export function ConfirmEmailForm({ newEmail, signedIn }: { newEmail: string; signedIn: boolean }) {
  const [state, formAction] = useActionState(confirmEmailChangeAction, IDLE);
  useJourneyStep("email_change", "confirmed");
  return (
    <KeptForm action={formAction} className="card stack" noValidate>
      <FormMessage state={state} />
      <JourneyIdField type="email_change" step="confirmed" />
      <p data-testid="confirming">
        {signedIn
          ? `From now on you will sign in with ${newEmail}, and we will send your order emails there.`
          : `This makes ${newEmail} the sign-in email of the Waymark account that asked for it: from now on that account signs in with it, and its order emails go there.`}
      </p>
      <SubmitButton pendingLabel="Confirming…">Confirm new email</SubmitButton>
    </KeptForm>
  );
}
