"use client";
// First: zod runs interpreted in the browser (CSP), before any schema below is built.
import "@/lib/http/browser-zod";
import { useActionState } from "react";
import { Field, FormMessage, SelectField, SubmitButton } from "@/components/form";
import { JourneyOutcomeShown, useJourneyStep } from "@/components/journey";
import { LOCALES } from "@/lib/accounts/schemas";
import { IDLE } from "@/lib/http/form-state";
import { JourneyForm } from "@/app/account/_components/journey-form";
import { updateProfileAction } from "./actions";

const LANGUAGE_OPTIONS = Object.entries(LOCALES).map(([value, label]) => ({ value, label }));

type Option = { value: string; label: string };

/** `timeZones` comes from the server: the browser's own list may differ, and the server validates against its own. */
export function ProfileForm({ current, timeZones, phoneRegion }: { current: { name: string; phone: string; locale: string; timeZone: string }; timeZones: Option[]; phoneRegion: string | null }) {
  const [state, formAction] = useActionState(updateProfileAction, IDLE);
  useJourneyStep("profile_update", "form");
  const values = state.values ?? current;
  return (
    <JourneyForm journey="profile_update" submitStep="saved" action={formAction}>
      <FormMessage state={state} />
      {state.status === "ok" ? <JourneyOutcomeShown type="profile_update" /> : null}
      <Field name="name" label="Name" autoComplete="name" required maxLength={100} state={state} defaultValue={values.name} key={`name-${values.name}`} />
      {phoneRegion ? <input type="hidden" name="phoneRegion" value={phoneRegion} /> : null}
      <Field name="phone" label="Phone number (optional)" type="tel" autoComplete="tel" inputMode="tel" hint="For delivery questions and, if you choose, text messages." state={state} defaultValue={values.phone} key={`phone-${values.phone}`} />
      <SelectField name="locale" label="Preferred language" hint="For emails and when we call you." options={LANGUAGE_OPTIONS} defaultValue={values.locale} key={`locale-${values.locale}`} state={state} />
      <SelectField name="timeZone" label="Time zone" hint="Dates and times on your orders, returns and messages are shown in this zone." options={timeZones} defaultValue={values.timeZone} key={`timeZone-${values.timeZone}`} state={state} />
      <SubmitButton pendingLabel="Saving…">Save profile</SubmitButton>
    </JourneyForm>
  );
}
