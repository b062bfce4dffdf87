"use client";
// The fields of a postal address. Labels and hints follow the chosen country (postcode or ZIP
// code, a required state in the US); the server checks the same rules (lib/addresses/schema.ts).
import { useState } from "react";
import { Field, SelectField } from "@/components/form";
import { COUNTRY_CODES, COUNTRY_RULES, isCountryCode, type CountryCode } from "@/lib/addresses/countries";
import type { FormState } from "@/lib/http/form-state";

export type AddressValues = { fullName: string; line1: string; line2: string; city: string; region: string; postalCode: string; country: string; phone: string };

const COUNTRY_OPTIONS = COUNTRY_CODES.map((code) => ({ value: code, label: COUNTRY_RULES[code].name }));

export function AddressFields({ state, value }: { state: FormState; value: (name: keyof AddressValues) => string }) {
  const [country, setCountry] = useState<CountryCode>(isCountryCode(value("country")) ? (value("country") as CountryCode) : "GB");
  const rules = COUNTRY_RULES[country];
  return (
    <>
      <SelectField name="country" label="Country" options={COUNTRY_OPTIONS} value={country} onChange={(e) => setCountry(e.target.value as CountryCode)} state={state} hint="We deliver to these countries." />
      <Field name="fullName" label="Full name" autoComplete="name" required maxLength={100} defaultValue={value("fullName")} state={state} />
      <Field name="line1" label="Address line 1" autoComplete="address-line1" hint="House number and street." required maxLength={100} defaultValue={value("line1")} state={state} />
      <Field name="line2" label="Address line 2 (optional)" autoComplete="address-line2" hint="Flat, floor, building." maxLength={100} defaultValue={value("line2")} state={state} />
      <Field name="city" label="Town or city" autoComplete="address-level2" required maxLength={60} defaultValue={value("city")} state={state} />
      <Field name="region" label={rules.region.label} hint={rules.region.hint} autoComplete="address-level1" required={rules.region.required} maxLength={60} defaultValue={value("region")} state={state} />
      <Field name="postalCode" label={rules.postalCodeLabel} hint={rules.postalCodeHint} autoComplete="postal-code" required maxLength={20} defaultValue={value("postalCode")} state={state} />
      <Field name="phone" label="Phone for the courier (optional)" type="tel" autoComplete="tel" inputMode="tel" maxLength={30} defaultValue={value("phone")} state={state} />
    </>
  );
}
