"use client";
import { useActionState } from "react";
import { Field, FormMessage, KeptForm, SubmitButton } from "@/components/form";
import { IDLE, type BoundFormAction } from "@/lib/http/form-state";

/** The customer's orders to act on, the one the case is about chosen first. */
function OrderSelect({ orders, id, about }: { orders: string[]; id: string; about: string | null }) {
  return (
    <div className="field">
      <label htmlFor={id}>Order</label>
      <select id={id} name="orderNumber" defaultValue={about && orders.includes(about) ? about : undefined}>
        {orders.map((o) => (
          <option key={o} value={o}>{o}</option>
        ))}
      </select>
    </div>
  );
}

type OrdersFormProps = { action: BoundFormAction; orders: string[]; about: string | null };

// A refused submit keeps the agent's choices (KeptForm): a form reset to its first order and empty
// fields could be sent again for the wrong order. One that succeeded starts afresh.
export function CancelForCustomerForm({ action: bound, orders, about }: OrdersFormProps) {
  const [state, action] = useActionState(bound, IDLE);
  return (
    <KeptForm action={action} clearedAfter={state} className="card stack">
      <h2>Cancel an order for the customer</h2>
      <FormMessage state={state} />
      <OrderSelect orders={orders} id="cancel-order" about={about} />
      <SubmitButton pendingLabel="Cancelling…" className="button danger">Cancel the whole order</SubmitButton>
    </KeptForm>
  );
}

/** `requestKey`: new with each render of the case, so the same form sent twice grants once. */
export function GoodwillForm({ action: bound, orders, about, requestKey }: OrdersFormProps & { requestKey: string }) {
  const [state, action] = useActionState(bound, IDLE);
  return (
    <KeptForm action={action} clearedAfter={state} className="card stack">
      <h2>Refund or credit outside the policy</h2>
      <input type="hidden" name="requestKey" value={requestKey} />
      <p className="muted">This overrides a business rule: your justification is recorded with your name and shown in the insights.</p>
      <FormMessage state={state} />
      <OrderSelect orders={orders} id="goodwill-order" about={about} />
      <div className="field">
        <label htmlFor="goodwill-kind">As</label>
        <select id="goodwill-kind" name="kind" defaultValue="STORE_CREDIT">
          <option value="STORE_CREDIT">Store credit</option>
          <option value="REFUND">Refund to the card</option>
        </select>
      </div>
      <Field name="amount" label="Amount" inputMode="decimal" hint="In the order's currency, e.g. 12.50." state={state} />
      <Field name="justification" label="Justification" state={state} />
      <SubmitButton pendingLabel="Recording…">Grant</SubmitButton>
    </KeptForm>
  );
}

export function ResolveCaseForm({ action: bound }: { action: BoundFormAction }) {
  const [state, action] = useActionState(bound, IDLE);
  return (
    <KeptForm action={action} clearedAfter={state} className="card stack">
      <h2>Resolve</h2>
      <FormMessage state={state} />
      <Field name="outcome" label="What was done for the customer" hint="The customer receives this text." state={state} />
      <SubmitButton pendingLabel="Resolving…">Resolve and tell the customer</SubmitButton>
    </KeptForm>
  );
}

export function ReturnOverrideForm({ action: bound, orders, about, rules }: OrdersFormProps & { rules: { value: string; label: string }[] }) {
  const [state, action] = useActionState(bound, IDLE);
  return (
    <KeptForm action={action} clearedAfter={state} className="card stack">
      <h2>Set a return rule aside</h2>
      <p className="muted">For the customer&apos;s next return of this order. Your justification is recorded with your name, shown in the customer&apos;s trail and in the insights.</p>
      <FormMessage state={state} />
      <OrderSelect orders={orders} id="override-order" about={about} />
      <div className="field">
        <label htmlFor="override-rule">Rule</label>
        <select id="override-rule" name="rule">
          {rules.map((r) => (
            <option key={r.value} value={r.value}>{r.label}</option>
          ))}
        </select>
      </div>
      <Field name="justification" id="override-justification" label="Why" state={state} />
      <SubmitButton pendingLabel="Recording…">Set the rule aside</SubmitButton>
    </KeptForm>
  );
}

export function ReviewReturnForm({ action: bound, returnNumber, why }: { action: BoundFormAction; returnNumber: string; why: string }) {
  const [state, action] = useActionState(bound, IDLE);
  return (
    <KeptForm action={action} clearedAfter={state} className="card stack">
      <h2>Check return {returnNumber}</h2>
      <p className="muted">{why}. Nothing is booked with the carrier until you accept it.</p>
      <FormMessage state={state} />
      <fieldset className="stack">
        <legend>Your decision</legend>
        <label className="choice">
          <input type="radio" name="decision" value="APPROVE" required /> Accept the return
        </label>
        <label className="choice">
          <input type="radio" name="decision" value="DECLINE" required /> Decline it
        </label>
      </fieldset>
      <Field name="note" label="Note" hint="Needed to decline: the customer reads it as the reason." state={state} />
      <SubmitButton pendingLabel="Recording…">Record the decision</SubmitButton>
    </KeptForm>
  );
}

export function WaiveReturnFeeForm({ action: bound, returnNumber, fee }: { action: BoundFormAction; returnNumber: string; fee: string }) {
  const [state, action] = useActionState(bound, IDLE);
  return (
    <KeptForm action={action} clearedAfter={state} className="card stack">
      <h2>Waive the return fee</h2>
      <p className="muted">
        Return {returnNumber} carries a fee of {fee}. Waived, it goes back to the customer, who is told. This overrides the fee rule: your justification is recorded with your name and shown in the insights.
      </p>
      <FormMessage state={state} />
      <Field name="justification" id="waive-justification" label="Why waive it" state={state} />
      <SubmitButton pendingLabel="Waiving…">Waive the return fee</SubmitButton>
    </KeptForm>
  );
}
