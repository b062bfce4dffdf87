"use client";
import { KeptForm } from "@/components/form";
// A task's form: submitting it reaches `submitStep` (see trackSubmit: a middle step is viewed now,
// the last one is recorded by the server with its outcome), and the journey id goes with the form.
import type { ReactNode } from "react";
import { JourneyIdField } from "@/components/journey";
import { trackStep, trackSubmit } from "@/lib/trail/browser";
import type { JourneyType } from "@/lib/trail/journeys";

type Props = {
  journey: JourneyType;
  submitStep: string;
  /**
   * The task's step this form is, when it stands on another step's page as one button (the address
   * book's "Make default delivery" is the address form in one tap): sending it shows that step.
   */
  isStep?: string;
  /** `submitStep` is a middle step the server records when it accepts the form: no view is sent before its answer (trackSubmit). */
  serverRecordsStep?: boolean;
  action: (formData: FormData) => void;
  className?: string;
  children: ReactNode;
  "aria-label"?: string;
};

export function JourneyForm({ journey, submitStep, isStep, serverRecordsStep, action, className = "card stack", children, ...rest }: Props) {
  const submitted = () => {
    if (isStep) trackStep(journey, isStep, "viewed", { sendNow: true });
    trackSubmit(journey, submitStep, serverRecordsStep);
  };
  return (
    <KeptForm action={action} className={className} noValidate onSubmit={submitted} {...rest}>
      <JourneyIdField type={journey} step={submitStep} />
      {children}
    </KeptForm>
  );
}
