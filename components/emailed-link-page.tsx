// The page an emailed link opens (reset a password, finish signing up, confirm a new email). The
// link left its token in a cookie (lib/http/url-secret.ts); the page only says whether it is still
// usable: a usable link shows its form in the attempt that asked for the link, whichever browser
// opened it (lib/trail/linked-attempt.ts); any other records the failed step and says how to get a new one.
import type { ReactNode } from "react";
import { AdoptedAttempt, JourneyStep } from "@/components/journey";
import type { JourneyType } from "@/lib/trail/journeys";

type EmailedLinkPageProps = {
  title: string;
  journey: JourneyType;
  /** The step opening the emailed link reaches, where opening it is a step of the journey. */
  arrivalStep?: string;
  usable: boolean;
  /** The attempt that asked for the link, which this page continues. */
  attempt?: string | null;
  /** The form the link leads to. */
  children: ReactNode;
  unusable: { step: string; errorCode: string; message: string; nextSteps: ReactNode };
};

export function EmailedLinkPage({ title, journey, arrivalStep, usable, attempt, children, unusable }: EmailedLinkPageProps) {
  return (
    <div className="narrow stack">
      <h1>{title}</h1>
      {usable && attempt ? <AdoptedAttempt type={journey} journeyId={attempt} step={arrivalStep ?? unusable.step} /> : null}
      {arrivalStep ? <JourneyStep type={journey} step={arrivalStep} /> : null}
      {usable ? (
        children
      ) : (
        <>
          <JourneyStep type={journey} step={unusable.step} action="failed" errorCode={unusable.errorCode} />
          <p className="notice error">{unusable.message}</p>
          <p>{unusable.nextSteps}</p>
        </>
      )}
    </div>
  );
}
