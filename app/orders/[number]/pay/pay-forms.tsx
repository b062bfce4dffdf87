"use client";
import { useActionState, type ReactNode } from "react";
import { FormMessage, SubmitButton, KeptForm } from "@/components/form";
import { JourneyIdField } from "@/components/journey";
import { IDLE } from "@/lib/http/form-state";
import { trackSubmit } from "@/lib/trail/browser";
import { payBalanceAction } from "./actions";

/**
 * One way of paying. The attempt id identifies this submission: clicking twice, or the browser
 * resending it, replays the same payment instead of starting a second one.
 */
function PayForm({ orderNumber, attemptId, method, cardId, submitStep, children, className }: { orderNumber: string; attemptId: string; method: "hosted" | "saved"; cardId?: string; submitStep: "hosted_page" | "confirmation"; children: ReactNode; className?: string }) {
  const [state, formAction] = useActionState(payBalanceAction, IDLE);
  return (
    <KeptForm action={formAction} className="stack" onSubmit={() => trackSubmit("balance_payment", submitStep)}>
      <FormMessage state={state} />
      <JourneyIdField type="balance_payment" step={submitStep} />
      <input type="hidden" name="orderNumber" value={orderNumber} />
      <input type="hidden" name="attemptId" value={state.values?.attemptId ?? attemptId} />
      <input type="hidden" name="method" value={method} />
      {cardId ? <input type="hidden" name="cardId" value={cardId} /> : null}
      <SubmitButton pendingLabel={method === "saved" ? "Paying…" : "Opening the secure payment page…"} className={className}>
        {children}
      </SubmitButton>
    </KeptForm>
  );
}

export function PayWithSavedCardForm({ orderNumber, attemptId, cardId, children }: { orderNumber: string; attemptId: string; cardId: string; children: ReactNode }) {
  return (
    <PayForm orderNumber={orderNumber} attemptId={attemptId} method="saved" cardId={cardId} submitStep="confirmation">
      {children}
    </PayForm>
  );
}

export function PayOnHostedPageForm({ orderNumber, attemptId, primary, children }: { orderNumber: string; attemptId: string; primary: boolean; children: ReactNode }) {
  return (
    <PayForm orderNumber={orderNumber} attemptId={attemptId} method="hosted" submitStep="hosted_page" className={primary ? "button" : "button secondary"}>
      {children}
    </PayForm>
  );
}
