"use client";
import { useActionState } from "react";
import { CheckboxField, FormMessage, SubmitButton } from "@/components/form";
import { JourneyOutcomeShown, useJourneyStep } from "@/components/journey";
import { IDLE } from "@/lib/http/form-state";
import { PURPOSE_LABEL, type Purpose } from "@/lib/privacy/preferences";
import { JourneyForm } from "@/app/account/_components/journey-form";
import { savePreferencesAction } from "./actions";

// `since`: when the choice was made, already formatted in the customer's zone by the page.
type Shown = { key: string; purpose: Purpose; label: string; granted: boolean; since: string | null; needsPhone: boolean };

const PURPOSES: Purpose[] = ["ORDER_UPDATES", "PROACTIVE_NOTICES", "MARKETING", "ANALYTICS"];

function sinceText(p: Shown) {
  if (!p.since) return p.granted ? "On by default; you have not changed it." : "Off by default; you have not changed it.";
  return `${p.granted ? "You agreed" : "You said no"} on ${p.since}.`;
}

export function PreferencesForm({ preferences, hasPhone }: { preferences: Shown[]; hasPhone: boolean }) {
  const [state, formAction] = useActionState(savePreferencesAction, IDLE);
  useJourneyStep("communication_preferences", "form");
  return (
    <JourneyForm journey="communication_preferences" submitStep="saved" action={formAction}>
      <FormMessage state={state} />
      {state.status === "ok" ? <JourneyOutcomeShown type="communication_preferences" /> : null}
      {PURPOSES.map((purpose) => (
        <fieldset key={purpose} className="stack choice-group">
          <legend>{PURPOSE_LABEL[purpose]}</legend>
          {preferences
            .filter((p) => p.purpose === purpose)
            .map((p) => (
              <CheckboxField
                key={`${p.key}-${p.since ?? "default"}-${p.granted}`}
                name={p.key}
                id={`pref-${p.key.replace(".", "-")}`}
                label={p.label}
                hint={`${sinceText(p)}${p.needsPhone && !hasPhone ? " Needs a phone number in your profile." : ""}`}
                defaultChecked={state.values ? state.values[p.key] === "on" : p.granted}
                state={state}
              />
            ))}
        </fieldset>
      ))}
      <SubmitButton pendingLabel="Saving…">Save preferences</SubmitButton>
    </JourneyForm>
  );
}
