"use client";
// A task's form: submitting it reaches the task's last step (recorded as viewed in the browser, so
// it comes before the server's completed or failed step), and the journey id goes with the form.
import type { ReactNode } from "react";
import { JourneyIdField } from "@/components/journey";
import { trackStep } from "@/lib/trail/browser";
import type { JourneyType } from "@/lib/trail/journeys";

type Props = { journey: JourneyType; submitStep: string; action: (formData: FormData) => void; className?: string; children: ReactNode; "aria-label"?: string };

export function JourneyForm({ journey, submitStep, action, className = "card stack", children, ...rest }: Props) {
  return (
    <form action={action} className={className} noValidate onSubmit={() => trackStep(journey, submitStep, "viewed")} {...rest}>
      <JourneyIdField type={journey} step={submitStep} />
      {children}
    </form>
  );
}
