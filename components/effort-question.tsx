"use client";
// How hard it felt: one optional question at the end of a task (Customer Effort Score, 1–7) and
// an optional comment. Buttons only, no form of its own: it is shown inside the task's form.
import { useRef, useState, type KeyboardEvent } from "react";
import type { JourneyType } from "@/lib/trail/journeys";
import { MAX_COMMENT_LENGTH } from "@/lib/voice/reasons";
import { EFFORT_QUESTION, EFFORT_SCALE } from "@/lib/voice/questions";
import { sendVoice } from "./voice-client";

const SCORES = Array.from({ length: EFFORT_SCALE.max - EFFORT_SCALE.min + 1 }, (_, i) => EFFORT_SCALE.min + i);

export function EffortQuestion({ journey, step, journeyId }: { journey: JourneyType; step: string; journeyId: string }) {
  const [score, setScore] = useState<number | null>(null);
  const [comment, setComment] = useState("");
  const [state, setState] = useState<"asking" | "sending" | "sent" | "failed">("asking");
  const scale = useRef<HTMLDivElement>(null);
  // One stop for the keyboard, as a radio group is: Tab reaches the answer chosen (or the first),
  // the arrow keys move the choice along the scale (seven stops made Tab walk through every answer).
  const focused = score ?? EFFORT_SCALE.min;
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.key === "ArrowRight" || event.key === "ArrowDown" ? 1 : event.key === "ArrowLeft" || event.key === "ArrowUp" ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = Math.min(EFFORT_SCALE.max, Math.max(EFFORT_SCALE.min, focused + step));
    setScore(next);
    scale.current?.querySelector<HTMLButtonElement>(`[data-score="${next}"]`)?.focus();
  };
  if (state === "sent") return <p className="notice ok" role="status">Thank you: that helps us make it easier.</p>;
  async function send() {
    if (score === null) return;
    setState("sending");
    setState((await sendVoice({ kind: "effort", journeyId, journeyType: journey, step, score, comment })) ? "sent" : "failed");
  }
  return (
    <section className="card effort" aria-labelledby="effort-question" data-testid="effort-question">
      <h2 id="effort-question">{EFFORT_QUESTION} <span className="muted small">(optional)</span></h2>
      <div ref={scale} onKeyDown={onKeyDown} className="effort-scale" role="radiogroup" aria-label={`${EFFORT_QUESTION} ${EFFORT_SCALE.min} is ${EFFORT_SCALE.minLabel.toLowerCase()}, ${EFFORT_SCALE.max} is ${EFFORT_SCALE.maxLabel.toLowerCase()}`}>
        <span className="muted small" aria-hidden="true">{EFFORT_SCALE.minLabel}</span>
        {SCORES.map((value) => (
          <button key={value} type="button" role="radio" aria-checked={score === value} tabIndex={value === focused ? 0 : -1} data-score={value} className="chip" onClick={() => setScore(value)}>
            {value}
          </button>
        ))}
        <span className="muted small" aria-hidden="true">{EFFORT_SCALE.maxLabel}</span>
      </div>
      {score !== null ? (
        <>
          <label className="small" htmlFor="effort-comment">Anything that made it harder or easier? (optional)</label>
          <textarea id="effort-comment" rows={2} maxLength={MAX_COMMENT_LENGTH} value={comment} onChange={(e) => setComment(e.target.value)} />
          {state === "failed" ? <p className="small" role="alert">That did not reach us; try again in a moment.</p> : null}
          <button type="button" className="button secondary" disabled={state === "sending"} onClick={() => void send()}>
            {state === "sending" ? "Sending…" : "Send"}
          </button>
        </>
      ) : null}
    </section>
  );
}
