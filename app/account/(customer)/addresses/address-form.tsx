"use client";
// Add or edit an address. Labels and hints follow the chosen country (postcode or ZIP code, a
// required state in the US); the server checks the same rules.
import { useActionState, useState } from "react";
import { Field, FormMessage, SubmitButton } from "@/components/form";
import { useJourneyStep } from "@/components/journey";
import { COUNTRY_CODES, COUNTRY_RULES, isCountryCode, type CountryCode } from "@/lib/addresses/countries";
import { IDLE, type FormState } from "@/lib/http/form-state";
import { CheckboxField, SelectField } from "@/app/account/_components/fields";
import { JourneyForm } from "@/app/account/_components/journey-form";

export type AddressFormValues = {
  fullName: string;
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  phone: string;
  isDefaultShipping: boolean;
  isDefaultBilling: boolean;
};

const COUNTRY_OPTIONS = COUNTRY_CODES.map((code) => ({ value: code, label: COUNTRY_RULES[code].name }));

export function AddressForm({ action, initial, submitLabel }: { action: (state: FormState, formData: FormData) => Promise<FormState>; initial: AddressFormValues; submitLabel: string }) {
  const [state, formAction] = useActionState(action, IDLE);
  useJourneyStep("address_change", "form");
  const typed = state.values;
  const value = (name: keyof AddressFormValues) => (typed ? (typed[name] ?? "") : String(initial[name] ?? ""));
  const [country, setCountry] = useState<CountryCode>(isCountryCode(value("country")) ? (value("country") as CountryCode) : "GB");
  const rules = COUNTRY_RULES[country];
  // Remounts the fields when the server answers, so they show what was sent back.
  const version = JSON.stringify(typed ?? null);

  return (
    <JourneyForm journey="address_change" submitStep="saved" action={formAction} aria-label="Address">
      <FormMessage state={state} />
      <div className="stack" key={version}>
        <SelectField name="country" label="Country" options={COUNTRY_OPTIONS} value={country} onChange={(e) => setCountry(e.target.value as CountryCode)} state={state} hint="We deliver to these countries." />
        <Field name="fullName" label="Full name" autoComplete="name" required maxLength={100} defaultValue={value("fullName")} state={state} />
        <Field name="line1" label="Address line 1" autoComplete="address-line1" hint="House number and street." required maxLength={100} defaultValue={value("line1")} state={state} />
        <Field name="line2" label="Address line 2 (optional)" autoComplete="address-line2" hint="Flat, floor, building." maxLength={100} defaultValue={value("line2")} state={state} />
        <Field name="city" label="Town or city" autoComplete="address-level2" required maxLength={60} defaultValue={value("city")} state={state} />
        <Field name="region" label={rules.region.label} hint={rules.region.hint} autoComplete="address-level1" required={rules.region.required} maxLength={60} defaultValue={value("region")} state={state} />
        <Field name="postalCode" label={rules.postalCodeLabel} hint={rules.postalCodeHint} autoComplete="postal-code" required maxLength={20} defaultValue={value("postalCode")} state={state} />
        <Field name="phone" label="Phone for the courier (optional)" type="tel" autoComplete="tel" inputMode="tel" maxLength={30} defaultValue={value("phone")} state={state} />
        <CheckboxField name="isDefaultShipping" label="Deliver here by default" defaultChecked={typed ? typed.isDefaultShipping === "on" : initial.isDefaultShipping} state={state} />
        <CheckboxField name="isDefaultBilling" label="Use as my billing address" defaultChecked={typed ? typed.isDefaultBilling === "on" : initial.isDefaultBilling} state={state} />
      </div>
      <SubmitButton pendingLabel="Saving…">{submitLabel}</SubmitButton>
    </JourneyForm>
  );
}
