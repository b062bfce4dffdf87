"use client";
import { useActionState, useState } from "react";
import { AddressFields, type AddressValues } from "@/components/address-fields";
import { FormMessage, SubmitButton, KeptForm, useRadioChoice } from "@/components/form";
import { JourneyIdField } from "@/components/journey";
import { IDLE, type BoundFormAction, type FormState } from "@/lib/http/form-state";

/**
 * `current`: the saved address the order goes to now, chosen at first (or a new address, when it
 * goes to none of them), so "Deliver here" unread changes nothing. `shown`: the order's address as
 * this page showed it, sent back so a form from before a change cannot undo it. `country`: the one
 * a new address starts in (the customer's own, lib/addresses/countries.ts likelyCountry).
 */
export function DeliveryAddressForm({ action, saved, current, shown, country }: { action: BoundFormAction; saved: { id: string; label: string }[]; current: string | null; shown: string; country: string }) {
  const [state, formAction] = useActionState(action, IDLE);
  const [choice, setChoice, choices] = useRadioChoice("savedAddressId", state.values?.savedAddressId ?? current ?? "new");
  // The answer a different choice has been made since: its message was about the choice before
  // ("That is already where this order goes" stayed beside a new address being typed).
  const [choiceChangedAfter, setChoiceChangedAfter] = useState<FormState | null>(null);
  const choose = (id: string) => {
    setChoice(id);
    setChoiceChangedAfter(state);
  };
  const value = (name: keyof AddressValues) => state.values?.[name] ?? (name === "country" ? country : "");
  return (
    <KeptForm action={formAction} className="card stack" noValidate>
      <FormMessage state={choiceChangedAfter === state ? IDLE : state} />
      <JourneyIdField type="delivery_address_change" step="address" />
      <input type="hidden" name="shownAddress" value={shown} />
      <fieldset className="stack" ref={choices}>
        <legend>Deliver to</legend>
        {saved.map((address) => (
          <label key={address.id} className="choice">
            <input type="radio" name="savedAddressId" value={address.id} checked={choice === address.id} onChange={() => choose(address.id)} /> {address.label}
          </label>
        ))}
        <label className="choice">
          <input type="radio" name="savedAddressId" value="new" checked={choice === "new"} onChange={() => choose("new")} /> A new address
        </label>
      </fieldset>
      {choice === "new" ? (
        <div className="stack" key={JSON.stringify(state.values ?? null)}>
          <AddressFields state={state} value={value} />
        </div>
      ) : null}
      <SubmitButton pendingLabel="Saving…">Deliver here</SubmitButton>
    </KeptForm>
  );
}
