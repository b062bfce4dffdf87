"use client";
import { KeptForm } from "@/components/form";
// A task's form: submitting it reaches `submitStep` (see trackSubmit: a middle step is viewed now,
// the last one is recorded by the server with its outcome), and the journey id goes with the form.
import type { ReactNode } from "react";
import { JourneyIdField } from "@/components/journey";
import { trackSubmit } from "@/lib/trail/browser";
import type { JourneyType } from "@/lib/trail/journeys";

type Props = { journey: JourneyType; submitStep: string; action: (formData: FormData) => void; className?: string; children: ReactNode; "aria-label"?: string };

export function JourneyForm({ journey, submitStep, action, className = "card stack", children, ...rest }: Props) {
  return (
    <KeptForm action={action} className={className} noValidate onSubmit={() => trackSubmit(journey, submitStep)} {...rest}>
      <JourneyIdField type={journey} step={submitStep} />
      {children}
    </KeptForm>
  );
}
