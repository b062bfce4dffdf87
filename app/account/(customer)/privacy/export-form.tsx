"use client";
import { useActionState, useEffect } from "react";
import { FormMessage, SubmitButton } from "@/components/form";
import { JourneyOutcomeShown } from "@/components/journey";
import { IDLE } from "@/lib/http/form-state";
import { JourneyForm } from "@/app/account/_components/journey-form";
import { prepareExportAction } from "./actions";

export function ExportForm() {
  const [state, formAction] = useActionState(prepareExportAction, IDLE);
  const href = state.status === "ok" ? state.values?.href : undefined;
  useEffect(() => {
    if (href) window.location.assign(href);
  }, [href]);
  return (
    <JourneyForm journey="data_export" submitStep="download" action={formAction} className="stack">
      <FormMessage state={state} />
      {href ? <JourneyOutcomeShown type="data_export" /> : null}
      {href ? (
        <p>
          If the download does not start, <a href={href} download>download your data</a>. The link works for one hour.
        </p>
      ) : null}
      <SubmitButton pendingLabel="Preparing your file…">Download my data</SubmitButton>
    </JourneyForm>
  );
}
