// The funnel definition the analyst pages count by, made the same as PostHog's ordered funnel
// (the insights pushed by lib/trail/posthog-funnels.ts): the steps are `funnelEvents(type)` (every
// step's view in declared order, then the last step's completion), counted per attempt (journey),
// within FUNNEL_CONVERSION_WINDOW_DAYS of the step-1 event. Framework-free.
//
// The rules, which mirror PostHog's funnel UDF (funnel-udf/src/steps.rs, ordered mode):
// - An attempt enters with a step-1 event. Each later step counts only after the previous one
//   (at the same moment or later), and at most the window after the step-1 event it builds on.
// - Repeated events count once: viewing a step three times reaches it once.
// - Out-of-order events do not advance: a step-3 view before any step-2 view counts for nothing.
// - A later step-1 event starts a fresh chain with a fresh window; the attempt counts at the
//   furthest position any chain reached, and its timings are those of the first chain that got there.
// - Events at the same moment count in funnel order (PostHog sorts a tie by step).
import { FUNNEL_CONVERSION_WINDOW_DAYS, JOURNEYS, type JourneyType } from "@/lib/trail/journeys";
import type { TrailKind } from "@/lib/trail/store";

export const FUNNEL_WINDOW_MS = FUNNEL_CONVERSION_WINDOW_DAYS * 24 * 60 * 60 * 1000;

/** Positions in a journey's funnel: one per step's view, plus the last step's completion. */
export function funnelLength(type: JourneyType): number {
  return JOURNEYS[type].steps.length + 1;
}

/** 1-based position of a trail event in `funnelEvents(type)`, or 0 for events the funnel ignores. */
export function funnelPosition(type: JourneyType, step: string, kind: TrailKind): number {
  const steps = JOURNEYS[type].steps as readonly string[];
  if (kind === "VIEWED") return steps.indexOf(step) + 1;
  if (kind === "COMPLETED" && step === steps[steps.length - 1]) return steps.length + 1;
  return 0;
}

/** Label of a funnel position: "3. resolution" for a step's view, "Completed" for the last. */
export function funnelPositionLabel(type: JourneyType, position: number): string {
  const steps = JOURNEYS[type].steps as readonly string[];
  return position > steps.length ? "Completed" : `${position}. ${steps[position - 1]}`;
}

export type FunnelHit = { position: number; at: number };

/** `level` 0: never entered. `timings[k - 1]`: when the counted chain reached position k (ms). */
export type FunnelProgress = { level: number; timings: number[] };

type Chain = { start: number; timings: number[] };

export function orderedFunnel(hits: readonly FunnelHit[], length: number, windowMs: number = FUNNEL_WINDOW_MS): FunnelProgress {
  const sorted = hits.filter((h) => h.position >= 1 && h.position <= length).sort((a, b) => a.at - b.at || a.position - b.position);
  // reached[k]: the latest-starting chain that has reached position k so far (a later start leaves
  // more of the window for the steps still to come).
  const reached: (Chain | null)[] = Array.from({ length: length + 1 }, () => null);
  let best: FunnelProgress = { level: 0, timings: [] };
  for (const hit of sorted) {
    const previous: Chain | null = hit.position === 1 ? { start: hit.at, timings: [] } : reached[hit.position - 1];
    if (!previous || hit.at - previous.start > windowMs) continue;
    if (reached[hit.position]?.start === previous.start) continue; // this chain counted here already
    const chain = { start: previous.start, timings: [...previous.timings, hit.at] };
    reached[hit.position] = chain;
    if (hit.position > best.level) best = { level: hit.position, timings: chain.timings };
    if (hit.position === length) break;
  }
  return best;
}
