"use client";
import { signOut } from "next-auth/react";
import { useActionState, useEffect } from "react";
import { Field, FormMessage, SubmitButton } from "@/components/form";
import { useJourneyStep } from "@/components/journey";
import { IDLE } from "@/lib/http/form-state";
import { resetAnalyticsIdentity } from "@/lib/trail/browser";
import { JourneyForm } from "@/app/account/_components/journey-form";
import { deleteAccountAction } from "./actions";

export function DeleteAccountForm() {
  const [state, formAction] = useActionState(deleteAccountAction, IDLE);
  useJourneyStep("account_deletion", "reauthenticate");
  const deleted = state.status === "ok";
  useEffect(() => {
    if (!deleted) return;
    // The server has already ended every session; this clears the cookie and the analytics identity.
    resetAnalyticsIdentity();
    void signOut({ callbackUrl: "/account/deleted" });
  }, [deleted]);
  return (
    <JourneyForm journey="account_deletion" submitStep="deleted" action={formAction} aria-label="Delete your account">
      <FormMessage state={state} />
      {deleted ? null : (
        <>
          <Field name="currentPassword" label="Your password" type="password" autoComplete="current-password" hint="To confirm it is you." required state={state} />
          <SubmitButton pendingLabel="Deleting your account…" className="button danger">Delete my account for good</SubmitButton>
        </>
      )}
    </JourneyForm>
  );
}
