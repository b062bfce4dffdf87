"use client";
import { useActionState, type ReactNode } from "react";
import { FormMessage, SubmitButton } from "@/components/form";
import { IDLE, type FormState } from "@/lib/http/form-state";
import { JourneyForm } from "@/app/account/_components/journey-form";
import { addCardAction, makeDefaultCardAction, removeCardAction } from "./actions";

type Action = (previous: FormState, formData: FormData) => Promise<FormState>;

function CardForm({ action, journey, step, cardId, children, pendingLabel, className }: { action: Action; journey: "payment_method" | "payment_method_change"; step: string; cardId?: string; children: ReactNode; pendingLabel: string; className?: string }) {
  const [state, formAction] = useActionState(action, IDLE);
  return (
    <JourneyForm journey={journey} submitStep={step} action={formAction} className="stack">
      <FormMessage state={state} />
      {cardId ? <input type="hidden" name="cardId" value={cardId} /> : null}
      <SubmitButton pendingLabel={pendingLabel} className={className}>
        {children}
      </SubmitButton>
    </JourneyForm>
  );
}

/** Sends the customer to Stripe's hosted page; the card number is typed there, never here. */
export function AddCardForm({ disabled }: { disabled: boolean }) {
  if (disabled) return <button className="button" type="button" disabled aria-disabled="true">Add a card</button>;
  return (
    <CardForm action={addCardAction} journey="payment_method" step="hosted_page" pendingLabel="Opening the secure card page…">
      Add a card
    </CardForm>
  );
}

export function MakeDefaultCardForm({ cardId, label }: { cardId: string; label: string }) {
  return (
    <CardForm action={makeDefaultCardAction} journey="payment_method_change" step="changed" cardId={cardId} pendingLabel="Saving…" className="button secondary">
      Make {label} my default card
    </CardForm>
  );
}

export function RemoveCardForm({ cardId, label }: { cardId: string; label: string }) {
  return (
    <CardForm action={removeCardAction} journey="payment_method_change" step="changed" cardId={cardId} pendingLabel="Removing…" className="button danger">
      Remove {label}
    </CardForm>
  );
}
