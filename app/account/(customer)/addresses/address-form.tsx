"use client";
// Add or edit an address. Labels and hints follow the chosen country (postcode or ZIP code, a
// required state in the US); the server checks the same rules.
import { useActionState } from "react";
import { AddressFields, type AddressValues } from "@/components/address-fields";
import { CheckboxField, FormMessage, SubmitButton } from "@/components/form";
import { useJourneyStep } from "@/components/journey";
import { IDLE, type FormState } from "@/lib/http/form-state";
import { JourneyForm } from "@/app/account/_components/journey-form";

export type AddressFormValues = AddressValues & { isDefaultShipping: boolean; isDefaultBilling: boolean };

export function AddressForm({ action, initial, submitLabel }: { action: (state: FormState, formData: FormData) => Promise<FormState>; initial: AddressFormValues; submitLabel: string }) {
  const [state, formAction] = useActionState(action, IDLE);
  useJourneyStep("address_change", "form");
  const typed = state.values;
  const value = (name: keyof AddressValues) => (typed ? (typed[name] ?? "") : String(initial[name] ?? ""));
  // Remounts the fields when the server answers, so they show what was sent back.
  const version = JSON.stringify(typed ?? null);

  return (
    <JourneyForm journey="address_change" submitStep="saved" action={formAction} aria-label="Address">
      <FormMessage state={state} />
      <div className="stack" key={version}>
        <AddressFields state={state} value={value} />
        <CheckboxField name="isDefaultShipping" label="Deliver here by default" defaultChecked={typed ? typed.isDefaultShipping === "on" : initial.isDefaultShipping} state={state} />
        <CheckboxField name="isDefaultBilling" label="Use as my billing address" defaultChecked={typed ? typed.isDefaultBilling === "on" : initial.isDefaultBilling} state={state} />
      </div>
      <SubmitButton pendingLabel="Saving…">{submitLabel}</SubmitButton>
    </JourneyForm>
  );
}
