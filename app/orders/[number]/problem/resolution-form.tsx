"use client";
import { useActionState } from "react";
import { FormMessage, SubmitButton, KeptForm } from "@/components/form";
import { JourneyIdField } from "@/components/journey";
import { IDLE, type BoundFormAction } from "@/lib/http/form-state";

type Option = { value: string; label: string };

export function ResolutionForm({ action, kind, lineIds, options }: { action: BoundFormAction; kind: string; lineIds: string[]; options: Option[] }) {
  const [state, formAction] = useActionState(action, IDLE);
  return (
    <KeptForm action={formAction} className="stack">
      <FormMessage state={state} />
      <JourneyIdField type="problem_report" step="resolution" />
      <input type="hidden" name="kind" value={kind} />
      {lineIds.map((id) => (
        <input key={id} type="hidden" name="lineId" value={id} />
      ))}
      {options.length ? (
        <fieldset className="stack">
          <legend>How should we put it right?</legend>
          {options.map((option, i) => (
            <label key={option.value} className="choice">
              <input type="radio" name="resolution" value={option.value} defaultChecked={i === 0} /> {option.label}
            </label>
          ))}
        </fieldset>
      ) : null}
      <SubmitButton pendingLabel="Sending…">{options.length ? "Confirm" : "Send to our team"}</SubmitButton>
    </KeptForm>
  );
}
