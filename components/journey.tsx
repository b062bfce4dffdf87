"use client";
// Instrumentation for pages: a step records "viewed" once when it appears, and gives forms the
// journey id so server actions record their steps into the same journey.
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { EffortQuestion } from "@/components/effort-question";
import { TASK_SUCCEEDED_EVENT } from "@/components/form";
import { adoptAttempt, currentJourneyId, outcomeShown, trackRageTap, trackStep } from "@/lib/trail/browser";
import { lastStep, type JourneyType, type StepAction } from "@/lib/trail/journeys";
import { watchRageTaps } from "@/lib/trail/rage-taps";

/** Dispatched on window when a page records its step as failed (the "what went wrong?" tap listens). */
export const STEP_FAILED_EVENT = "waymark:step-failed";

export function useJourneyStep(type: JourneyType, step: string) {
  const [journeyId, setJourneyId] = useState<string>("");
  const recorded = useRef(false);
  useEffect(() => {
    if (recorded.current) return;
    recorded.current = true;
    setJourneyId(trackStep(type, step, "viewed"));
    // From the first page of a task on, rage taps are noted on the step the tab is at.
    watchRageTaps(trackRageTap);
  }, [type, step]);
  return {
    journeyId,
    track(action: StepAction, errorCode?: string) {
      return trackStep(type, step, action, { errorCode });
    },
  };
}

/**
 * For a page that continues an attempt the server names (an emailed link's): the tab adopts it
 * before the page records its steps. A layout effect: it runs before the steps' plain effects and
 * before the page's forms read the id.
 */
export function AdoptedAttempt({ type, journeyId, step }: { type: JourneyType; journeyId: string; step: string }) {
  useLayoutEffect(() => adoptAttempt(type, journeyId, step), [type, journeyId, step]);
  return null;
}

/** For server-rendered pages: records the view and renders nothing. */
export function JourneyStep({ type, step, action = "viewed", errorCode }: { type: JourneyType; step: string; action?: StepAction; errorCode?: string }) {
  const recorded = useRef(false);
  useEffect(() => {
    if (recorded.current) return;
    recorded.current = true;
    trackStep(type, step, action, { errorCode });
    watchRageTaps(trackRageTap);
    if (action === "failed") window.dispatchEvent(new Event(STEP_FAILED_EVENT));
  }, [type, step, action, errorCode]);
  return null;
}

/**
 * For a page showing an outcome the server recorded (a confirmation): ends the attempt in this tab,
 * and asks once how hard the task was. A page that a submit on itself sends again in place (a
 * default made on the address book) gives it a new key each time, so each outcome ends its attempt.
 */
export function JourneyOutcomeShown({ type }: { type: JourneyType }) {
  const [ended, setEnded] = useState<string | null>(null);
  // A layout effect: it runs before the page's own steps are recorded (plain effects), so anything
  // the customer does in the task on this page starts the next attempt instead of joining the one
  // that ended. A page that is also the task's first step (the address book after a save) records
  // no view of it meanwhile: showing an outcome starts no attempt (lib/trail/browser.ts).
  useLayoutEffect(() => {
    const journeyId = outcomeShown(type);
    window.dispatchEvent(new Event(TASK_SUCCEEDED_EVENT));
    // Session storage exists only after hydration: the attempt is known from here on.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (journeyId) setEnded(journeyId);
  }, [type]);
  return ended ? <EffortQuestion journey={type} step={lastStep(type)} journeyId={ended} /> : null;
}

/**
 * Hidden form field carrying the journey id, read in the browser so it matches posthog's events.
 * Read again when the form is submitted: the attempt may have ended (or restarted) since the page
 * was shown, and the submit belongs to the attempt current then.
 */
export function JourneyIdField({ type, step }: { type: JourneyType; step: string }) {
  const [journeyId, setJourneyId] = useState("");
  const field = useRef<HTMLInputElement>(null);
  // A layout effect: it runs in the same commit that makes the form's own submit handler live. A
  // plain effect runs a task later, and a tap in between (a quick one on a busy phone) sent the
  // form without the id: its submit then started a second attempt beside the one the page's
  // browser steps were in, splitting one task in two in every funnel.
  useLayoutEffect(() => {
    // Session storage exists only after hydration: read once on mount, and again at submit.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setJourneyId(currentJourneyId(type, step));
    const form = field.current?.form;
    if (!form) return;
    const atSubmit = (event: FormDataEvent) => event.formData.set("journeyId", currentJourneyId(type, step));
    form.addEventListener("formdata", atSubmit);
    return () => form.removeEventListener("formdata", atSubmit);
  }, [type, step]);
  return <input ref={field} type="hidden" name="journeyId" value={journeyId} />;
}
