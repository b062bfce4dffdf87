"use client";
import { useActionState } from "react";
import { FormMessage, KeptForm, SubmitButton } from "@/components/form";
import { IDLE, type BoundFormAction } from "@/lib/http/form-state";

export function BuyAgainForm({ action }: { action: BoundFormAction }) {
  const [state, formAction] = useActionState(action, IDLE);
  return (
    <KeptForm action={formAction} className="stack">
      <FormMessage state={state} />
      {state.status === "ok" ? null : <SubmitButton pendingLabel="Sending…">Ask us to order these again</SubmitButton>}
    </KeptForm>
  );
}
