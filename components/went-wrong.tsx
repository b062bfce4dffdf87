"use client";
// After a step fails (a form refused, a step recorded as failed), one tap says what went wrong.
// Optional and quiet: it stays out of the way until something has gone wrong, and goes once the
// task succeeds (a tap then would be recorded against an attempt that worked).
import { useEffect, useState } from "react";
import { FORM_ERROR_EVENT, TASK_SUCCEEDED_EVENT } from "@/components/form";
import { STEP_FAILED_EVENT } from "@/components/journey";
import { currentJourneyId } from "@/lib/trail/browser";
import type { JourneyType } from "@/lib/trail/journeys";
import { WENT_WRONG_REASONS, type WentWrongReason } from "@/lib/voice/questions";
import { sendVoice } from "./voice-client";

export function WentWrong({ journey, step }: { journey: JourneyType; step: string }) {
  const [state, setState] = useState<"hidden" | "asking" | "sent">("hidden");
  useEffect(() => {
    const ask = () => setState((current) => (current === "hidden" ? "asking" : current));
    const withdraw = () => setState((current) => (current === "asking" ? "hidden" : current));
    window.addEventListener(FORM_ERROR_EVENT, ask);
    window.addEventListener(STEP_FAILED_EVENT, ask);
    window.addEventListener(TASK_SUCCEEDED_EVENT, withdraw);
    return () => {
      window.removeEventListener(FORM_ERROR_EVENT, ask);
      window.removeEventListener(STEP_FAILED_EVENT, ask);
      window.removeEventListener(TASK_SUCCEEDED_EVENT, withdraw);
    };
  }, []);
  if (state === "hidden") return null;
  if (state === "sent") return <p className="small muted" role="status">Thanks for telling us.</p>;
  function tap(reason: WentWrongReason) {
    setState("sent");
    void sendVoice({ kind: "went_wrong", journeyId: currentJourneyId(journey, step), journeyType: journey, step, reason });
  }
  return (
    <section className="went-wrong" aria-label="What went wrong?" data-testid="went-wrong">
      <p className="small">What went wrong? <span className="muted">(optional, one tap)</span></p>
      <div className="chips">
        {(Object.entries(WENT_WRONG_REASONS) as [WentWrongReason, string][]).map(([code, label]) => (
          <button key={code} type="button" className="chip" onClick={() => tap(code)}>
            {label}
          </button>
        ))}
      </div>
    </section>
  );
}
