import { describe, expect, it } from "vitest";
import { applyAttemptRule, nextAttemptId, sameOwner, type AttemptState } from "./attempts";
import type { TrailEventInput, TrailKind } from "./store";

const journeyId = "7d0c1f6e-3f7a-4d4b-9a53-0c8b8f3e2a11";
let n = 0;

function event(step: string, kind: TrailKind, atSecond: number, extra: Partial<TrailEventInput> = {}): TrailEventInput {
  n++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    journeyId,
    journeyType: "order_cancellation",
    step,
    kind,
    source: kind === "VIEWED" ? "BROWSER" : "SERVER",
    occurredAt: new Date(Date.UTC(2026, 0, 1, 12, 0, atSecond)),
    distinctId: "customer",
    userId: "u1",
    anonymousId: "device-1",
    deviceClass: "DESKTOP",
    properties: { journey_id: journeyId, action: kind === "VIEWED" ? "viewed" : "completed" },
    forward: { event: `order_cancellation_${step}_${kind.toLowerCase()}`, properties: { journey_id: journeyId } },
    ...extra,
  };
}

const trail = (events: TrailEventInput[]) => events.map((e) => `${e.journeyId === journeyId ? "" : "next:"}${e.step}:${e.kind}`);

describe("the journey rule", () => {
  it("records a submitted outcome as its step's view, then its completion, in PostHog's copy too", () => {
    const { events } = applyAttemptRule([event("confirmation", "COMPLETED", 30), event("lines", "VIEWED", 10), event("detail", "VIEWED", 0)], new Map());
    expect(trail(events)).toEqual(["detail:VIEWED", "lines:VIEWED", "confirmation:VIEWED", "confirmation:COMPLETED"]);
    const added = events[2];
    expect(added.occurredAt.getTime()).toBeLessThan(events[3].occurredAt.getTime());
    expect(added.forward?.event).toBe("order_cancellation_confirmation_viewed");
    expect(added.properties.action).toBe("viewed");
    // The same batch again adds the same events (stable ids), so the store keeps them once.
    expect(applyAttemptRule([event("confirmation", "COMPLETED", 30, { id: events[3].id })], new Map()).events[0].id).toBe(added.id);
  });

  it("completes a look-up task when its last page shows", () => {
    const tracking = (step: string, at: number) => event(step, "VIEWED", at, { journeyType: "order_tracking" });
    const { events } = applyAttemptRule([tracking("history", 0), tracking("detail", 5)], new Map());
    expect(events.map((e) => `${e.step}:${e.kind}`)).toEqual(["history:VIEWED", "detail:VIEWED", "detail:COMPLETED"]);
  });

  it("keeps one view per step, drops the confirmation after the outcome, and moves the next task to the next attempt", () => {
    const known = new Map<string, AttemptState>([[journeyId, { type: "order_cancellation", userId: "u1", anonymousId: "device-1", outcome: "COMPLETED", endedAt: new Date(Date.UTC(2026, 0, 1, 12, 0, 30)), viewed: new Set(["detail", "lines", "confirmation"]) }]]);
    const { events } = applyAttemptRule([event("lines", "VIEWED", 20), event("confirmation", "VIEWED", 31), event("detail", "VIEWED", 40), event("lines", "VIEWED", 45)], known);
    expect(trail(events)).toEqual(["next:detail:VIEWED", "next:lines:VIEWED"]);
    expect(events.every((e) => e.journeyId === nextAttemptId(journeyId) && e.properties.journey_id === e.journeyId && e.forward?.properties.journey_id === e.journeyId)).toBe(true);
  });

  it("refuses events for someone else's attempt, and for another task under the same id", () => {
    const known = new Map<string, AttemptState>([[journeyId, { type: "order_cancellation", userId: "u1", anonymousId: "device-1", outcome: "IN_PROGRESS", endedAt: null, viewed: new Set(["detail"]) }]]);
    const { events, refused } = applyAttemptRule([event("lines", "VIEWED", 1, { userId: "u2", anonymousId: "device-2" }), event("lines", "VIEWED", 2, { userId: null, anonymousId: "device-2" }), event("history", "VIEWED", 3, { journeyType: "order_tracking" })], known);
    expect(events).toEqual([]);
    expect(refused).toHaveLength(3);
  });

  it("lets an anonymous attempt continue on its device after sign-in, and no one else", () => {
    expect(sameOwner({ userId: null, anonymousId: "device-1" }, { userId: "u1", anonymousId: "device-1", source: "BROWSER" })).toBe(true);
    expect(sameOwner({ userId: null, anonymousId: "device-1" }, { userId: "u1", anonymousId: "device-2", source: "BROWSER" })).toBe(false);
    expect(sameOwner({ userId: "u1", anonymousId: "device-1" }, { userId: null, anonymousId: "device-1", source: "BROWSER" })).toBe(true);
    expect(sameOwner({ userId: "u1", anonymousId: null }, { userId: null, anonymousId: "device-1", source: "BROWSER" })).toBe(false);
  });

  it("records a refused step as seen first when no browser records the customer's steps, but not a failed outcome", () => {
    const refused = event("lines", "ERROR", 5, { anonymousId: null, errorCode: "validation_error", properties: { journey_id: journeyId, action: "failed", error_code: "validation_error" } });
    const { events } = applyAttemptRule([refused], new Map());
    expect(trail(events)).toEqual(["lines:VIEWED", "lines:ERROR"]);
    expect(events[0]).toMatchObject({ errorCode: null, properties: { action: "viewed" }, forward: { event: "order_cancellation_lines_viewed" } });
    expect(events[0].properties).not.toHaveProperty("error_code");
    // Seen already (the page said so): the refusal alone; refused again: once more, nothing else.
    const seen = new Map<string, AttemptState>([[journeyId, { type: "order_cancellation", userId: "u1", anonymousId: "device-1", outcome: "IN_PROGRESS", endedAt: null, viewed: new Set(["detail", "lines"]) }]]);
    expect(trail(applyAttemptRule([refused], seen).events)).toEqual(["lines:ERROR"]);
    // The last step refused is the outcome failing (a payment declined later): no confirmation was shown.
    expect(trail(applyAttemptRule([event("confirmation", "ERROR", 9, { anonymousId: null, errorCode: "card_declined" })], new Map()).events)).toEqual(["confirmation:ERROR"]);
    // A browser that records sends its own view, with the time its page showed: the server does not guess it.
    expect(trail(applyAttemptRule([{ ...refused, anonymousId: "device-1" }], new Map()).events)).toEqual(["lines:ERROR"]);
  });

  it("lets only the server continue an attempt that has no owner (a visitor who declined analytics)", () => {
    const nobody = { userId: null, anonymousId: null };
    expect(sameOwner(nobody, { userId: null, anonymousId: null, source: "SERVER" })).toBe(true);
    expect(sameOwner(nobody, { userId: null, anonymousId: "device-9", source: "SERVER" })).toBe(true);
    expect(sameOwner(nobody, { userId: null, anonymousId: "device-9", source: "BROWSER" })).toBe(false);
    expect(sameOwner(nobody, { userId: "u9", anonymousId: "device-9", source: "BROWSER" })).toBe(false);
  });

  it("starts an attempt without a customer only at a visitor's task, and continues one the customer started", () => {
    const signedOut = { userId: null, anonymousId: "device-1" };
    const cancellation = event("detail", "VIEWED", 0, signedOut);
    const signup = event("details", "VIEWED", 1, { ...signedOut, journeyId: "8e1d2f7a-4a8b-4e5c-8b64-1d9c9a4f3b22", journeyType: "signup" });
    const fresh = applyAttemptRule([cancellation, signup], new Map());
    expect(fresh.refused).toEqual([cancellation]);
    expect(fresh.events).toEqual([signup]);
    // A tab's late step, sent after its sign-out, still joins the attempt its customer started there.
    const started = new Map<string, AttemptState>([[journeyId, { type: "order_cancellation", userId: "u1", anonymousId: "device-1", outcome: "IN_PROGRESS", endedAt: null, viewed: new Set(["detail"]) }]]);
    const late = event("lines", "VIEWED", 5, signedOut);
    expect(applyAttemptRule([late], started)).toEqual({ events: [late], refused: [] });
    // But not the next attempt, after that one ended: no customer is there to start it.
    const ended = new Map([[journeyId, { ...started.get(journeyId)!, outcome: "COMPLETED" as const, endedAt: new Date(Date.UTC(2026, 0, 1, 12, 0, 3)) }]]);
    expect(applyAttemptRule([late], ended).refused).toHaveLength(1);
  });
});
