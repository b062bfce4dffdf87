"use client";
import { useActionState } from "react";
import { FormMessage, KeptForm, SubmitButton } from "@/components/form";
import { IDLE } from "@/lib/http/form-state";
import { askToBuyAgainAction } from "./actions";

export function BuyAgainForm({ orderNumber }: { orderNumber: string }) {
  const [state, formAction] = useActionState(askToBuyAgainAction.bind(null, orderNumber), IDLE);
  return (
    <KeptForm action={formAction} className="stack">
      <FormMessage state={state} />
      {state.status === "ok" ? null : <SubmitButton pendingLabel="Sending…">Ask us to order these again</SubmitButton>}
    </KeptForm>
  );
}
