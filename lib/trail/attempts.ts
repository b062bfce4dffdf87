// The rule of lib/trail/journeys.ts, applied in the one place every trail event passes through
// (storeTrailEvents): whose attempt an event may join, which events an attempt keeps, and the
// `<last>_viewed` + `<last>_completed` pair that reaching a task's outcome records, in that order,
// whether the server (a submit) or the browser (a page view) learnt of it. Framework-free.
import crypto from "node:crypto";
import { completionOf, isForVisitors, isJourneyType, lastStep, stepEventName, type JourneyType } from "./journeys";
import type { TrailEventInput } from "./store";

export type AttemptOutcome = "IN_PROGRESS" | "COMPLETED" | "FAILED" | "ABANDONED" | "EXITED";

/** What the store already knows about an attempt. */
export type AttemptState = {
  type: string;
  userId: string | null;
  anonymousId: string | null;
  outcome: AttemptOutcome;
  endedAt: Date | null;
  /** Steps already viewed in this attempt. */
  viewed: Set<string>;
};

export type RuleResult = {
  events: TrailEventInput[];
  /** Events naming an attempt that belongs to someone else (or to another task): a forged or stale id. */
  refused: TrailEventInput[];
};

// Funnel-shaping events; help offered, agents' overrides and rage taps are notes on the attempt, not steps.
const STEP_KINDS = new Set(["VIEWED", "COMPLETED", "ERROR", "EXITED", "ABANDONED"]);

/**
 * An attempt belongs to the customer who started it, or before sign-in to the anonymous device;
 * signing in on that device keeps it (the device id comes along), anyone else is refused. One
 * with neither (a visitor who declined analytics: the server records their steps, no browser
 * sends any) is continued by the server only, which knows who is acting; a browser's claim to
 * it is refused, or anyone who learnt its id could take it.
 */
export function sameOwner(attempt: Pick<AttemptState, "userId" | "anonymousId">, event: Pick<TrailEventInput, "userId" | "anonymousId" | "source">): boolean {
  if (attempt.userId && event.userId) return attempt.userId === event.userId;
  if (attempt.anonymousId) return event.anonymousId === attempt.anonymousId;
  if (attempt.userId) return false;
  return event.source === "SERVER";
}

/** A stable id for an event the rule adds, so a retried batch adds it once. */
function derivedId(sourceId: string, suffix: string): string {
  const hex = crypto.hash("sha256", `${sourceId}:${suffix}`, "hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The same event at the same step with another action (the rule's added half of the outcome pair, or the view a refusal implies). */
function companion(source: TrailEventInput, kind: "VIEWED" | "COMPLETED", offsetMs: number): TrailEventInput {
  const action = kind === "VIEWED" ? "viewed" : "completed";
  const { error_code: _sourceError, ...properties } = "action" in source.properties ? { ...source.properties, action } : source.properties;
  return {
    ...source,
    id: derivedId(source.id, action),
    kind,
    errorCode: null,
    occurredAt: new Date(source.occurredAt.getTime() + offsetMs),
    properties,
    forward: source.forward ? { event: stepEventName(source.journeyType, source.step, action), properties: forwardedAs(source.forward.properties, source.id, action) } : null,
  };
}

function forwardedAs(sent: Record<string, unknown>, sourceId: string, action: "viewed" | "completed"): Record<string, unknown> {
  const { error_code: _sourceError, ...properties } = sent;
  return { ...properties, action, ...(sent.$insert_id ? { $insert_id: derivedId(sourceId, `${action}:insert`) } : {}) };
}

/** The attempt that follows an ended one: what the customer does in the task after its end goes there. */
export function nextAttemptId(journeyId: string): string {
  return derivedId(journeyId, "next");
}

export function hasEnded(state: Pick<AttemptState, "outcome" | "endedAt">): boolean {
  return state.outcome !== "IN_PROGRESS" && state.endedAt !== null;
}

/** The event moved to another attempt, its PostHog copy too. */
function movedTo(event: TrailEventInput, journeyId: string): TrailEventInput {
  const properties = "journey_id" in event.properties ? { ...event.properties, journey_id: journeyId } : event.properties;
  return { ...event, journeyId, properties, forward: event.forward ? { ...event.forward, properties: { ...event.forward.properties, journey_id: journeyId } } : null };
}

/**
 * Applies the rule to a batch, given what is stored of the attempts it names (and of the attempts
 * that follow the ended ones): returns the events to store, in time order per attempt, with the
 * outcome pair completed and events after an attempt's end moved to the next attempt, and the
 * refused ones.
 */
export function applyAttemptRule(incoming: readonly TrailEventInput[], known: ReadonlyMap<string, AttemptState>): RuleResult {
  const states = new Map<string, AttemptState>();
  const events: TrailEventInput[] = [];
  const refused: TrailEventInput[] = [];
  const stateOf = (event: TrailEventInput): AttemptState => {
    let state = states.get(event.journeyId);
    if (!state) {
      const stored = known.get(event.journeyId);
      state = stored
        ? { ...stored, viewed: new Set(stored.viewed) }
        : { type: event.journeyType, userId: event.userId ?? null, anonymousId: event.anonymousId ?? null, outcome: "IN_PROGRESS", endedAt: null, viewed: new Set() };
      states.set(event.journeyId, state);
    }
    return state;
  };
  const ordered = [...incoming].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  next: for (let event of ordered) {
    const type: JourneyType = event.journeyType;
    let state: AttemptState;
    for (;;) {
      if (startsAttemptWithoutAccount(event)) {
        refused.push(event);
        continue next;
      }
      state = stateOf(event);
      if (state.type !== type || !isJourneyType(type) || !sameOwner(state, event)) {
        refused.push(event);
        continue next;
      }
      if (!STEP_KINDS.has(event.kind) || !hasEnded(state) || event.occurredAt <= state.endedAt!) break;
      // After the end: a confirmation page showing the recorded outcome adds nothing; anything else
      // is the customer at the task again, in the next attempt.
      if (state.outcome === "COMPLETED" && event.kind === "VIEWED" && event.step === lastStep(type)) continue next;
      event = movedTo(event, nextAttemptId(event.journeyId));
    }
    state.userId ??= event.userId ?? null;
    state.anonymousId ??= event.anonymousId ?? null;
    if (event.kind === "VIEWED") {
      if (state.viewed.has(event.step)) continue;
      state.viewed.add(event.step);
      events.push(event);
      if (event.step === lastStep(type) && completionOf(type) === "view") end(state, companion(event, "COMPLETED", 1), "COMPLETED");
      continue;
    }
    // A step that completes was reached, even when no page showed it before (a submit's outcome).
    // So was a step refused before the last, the form the customer sent, when no browser records
    // their steps (a visitor who has not accepted analytics has no device: without this, a visitor
    // refused once who then left never entered the funnel). A browser that records sends its own
    // view, with the time the page showed. A refused last step is an outcome that failed (a payment
    // declined), not a page shown.
    const reached = event.kind === "COMPLETED" || (event.kind === "ERROR" && !event.anonymousId && event.step !== lastStep(type));
    if (reached && !state.viewed.has(event.step)) {
      state.viewed.add(event.step);
      events.push(companion(event, "VIEWED", -1));
    }
    if (event.kind === "COMPLETED" && event.step === lastStep(type)) end(state, event, "COMPLETED");
    else if (event.kind === "EXITED" || event.kind === "ABANDONED") end(state, event, event.kind);
    else events.push(event);
  }
  return { events, refused };

  /** An event that would start an attempt at a task only customers take, with no customer. */
  function startsAttemptWithoutAccount(event: TrailEventInput): boolean {
    return !event.userId && !states.has(event.journeyId) && !known.has(event.journeyId) && isJourneyType(event.journeyType) && !isForVisitors(event.journeyType);
  }

  function end(state: AttemptState, event: TrailEventInput, outcome: "COMPLETED" | "EXITED" | "ABANDONED") {
    if (hasEnded(state)) return;
    state.outcome = outcome;
    state.endedAt = event.occurredAt;
    events.push(event);
  }
}
