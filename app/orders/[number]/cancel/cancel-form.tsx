"use client";
import { useActionState } from "react";
import Link from "@/components/link";
import { FormMessage, SubmitButton, KeptForm } from "@/components/form";
import { JourneyIdField } from "@/components/journey";
import { IDLE, type BoundFormAction } from "@/lib/http/form-state";

type Line = { id: string; name: string; open: number; price: string };

/** Nothing is chosen until the customer chooses it: one tap on the red button used to cancel the whole order. */
export function CancelForm({ action, lines, orderHref }: { action: BoundFormAction; lines: Line[]; orderHref: string }) {
  const [state, formAction] = useActionState(action, IDLE);
  return (
    <KeptForm action={formAction} className="card stack">
      <FormMessage state={state} />
      <JourneyIdField type="order_cancellation" step="lines" />
      <fieldset className="stack">
        <legend>Items to cancel</legend>
        {lines.map((line) => (
          <div key={line.id} className="row">
            <input type="hidden" name="lineId" value={line.id} />
            <label htmlFor={`qty-${line.id}`}>
              {line.name} <span className="muted">({line.price} each, {line.open} left to cancel)</span>
            </label>
            <select id={`qty-${line.id}`} name="quantity" defaultValue="0" className="width-auto">
              {Array.from({ length: line.open + 1 }, (_, n) => (
                <option key={n} value={n}>{n}</option>
              ))}
            </select>
          </div>
        ))}
      </fieldset>
      <p className="actions">
        <SubmitButton pendingLabel="Cancelling…" className="button danger">Cancel these items</SubmitButton>
        <Link href={orderHref} className="button secondary">Keep my order</Link>
      </p>
    </KeptForm>
  );
}
