"use client";
import Link from "@/components/link";
import { useActionState } from "react";
import { FormMessage, SubmitButton, KeptForm } from "@/components/form";
import { JourneyIdField } from "@/components/journey";
import { IDLE, type BoundFormAction } from "@/lib/http/form-state";

export function CancelReturnForm({ action, returnNumber }: { action: BoundFormAction; returnNumber: string }) {
  const [state, formAction] = useActionState(action, IDLE);
  return (
    <KeptForm action={formAction} className="card stack">
      <FormMessage state={state} />
      <JourneyIdField type="return_cancellation" step="detail" />
      <p>We ask the carrier to call off its booking, so any label or drop-off code stops working and no pickup is made. You keep the items.</p>
      <div className="actions">
        <SubmitButton pendingLabel="Cancelling…" className="button danger">Cancel this return</SubmitButton>
        <Link href={`/returns/${returnNumber}`} className="button secondary">Keep the return</Link>
      </div>
    </KeptForm>
  );
}
