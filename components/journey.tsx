"use client";
// Instrumentation for pages: a step records "viewed" once when it appears, and gives forms the
// journey id so server actions record their steps into the same journey.
import { useEffect, useRef, useState } from "react";
import { currentJourneyId, trackStep } from "@/lib/trail/browser";
import type { JourneyType, StepAction } from "@/lib/trail/journeys";

export function useJourneyStep(type: JourneyType, step: string) {
  const [journeyId, setJourneyId] = useState<string>("");
  const recorded = useRef(false);
  useEffect(() => {
    if (recorded.current) return;
    recorded.current = true;
    setJourneyId(trackStep(type, step, "viewed"));
  }, [type, step]);
  return {
    journeyId,
    track(action: StepAction, errorCode?: string) {
      return trackStep(type, step, action, { errorCode });
    },
  };
}

/** For server-rendered pages: records the view and renders nothing. */
export function JourneyStep({ type, step, action = "viewed", errorCode }: { type: JourneyType; step: string; action?: StepAction; errorCode?: string }) {
  const recorded = useRef(false);
  useEffect(() => {
    if (recorded.current) return;
    recorded.current = true;
    trackStep(type, step, action, { errorCode });
  }, [type, step, action, errorCode]);
  return null;
}

/** Hidden form field carrying the journey id, read in the browser so it matches posthog's events. */
export function JourneyIdField({ type, step }: { type: JourneyType; step: string }) {
  const [journeyId, setJourneyId] = useState("");
  // Session storage exists only after hydration, and the id must stay the one this page started
  // with (a snapshot read on every render could start a new attempt mid-form): read once on mount.
  // eslint-disable-next-line react-hooks/set-state-in-effect
  useEffect(() => setJourneyId(currentJourneyId(type, step)), [type, step]);
  return <input type="hidden" name="journeyId" value={journeyId} />;
}
