// A small trail built by hand, its funnel worked out on paper (below), and the portal's numbers
// checked against it: what the analyst pages show, from the rollups the refresh job keeps.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeIdleJourneys } from "@/lib/trail/abandon";
import { storeTrailEvents, type DeviceClassValue, type TrailEventInput, type TrailKind } from "@/lib/trail/store";
import { freshDatabase, type FreshDatabase } from "@/tests/support/db";
import { durationBucket } from "./durations";
import { addDays, type InsightsFilter } from "./filters";
import { loadFollowThrough, loadJourney } from "./pages";
import { rawSource } from "./raw-source";
import { refreshBacklog, refreshInsights } from "./refresh";
import { rollupSource } from "./rollup-source";

const S = 1000;
const H = 3600 * S;
const D = 24 * H;
const now = Date.now();
let database: FreshDatabase;
let userId: string;

function event(journeyId: string, device: DeviceClassValue, at: number, step: string, kind: TrailKind, extra: Partial<TrailEventInput> = {}): TrailEventInput {
  return {
    id: crypto.randomUUID(),
    journeyId,
    journeyType: "order_cancellation",
    step,
    kind,
    source: kind === "VIEWED" ? "BROWSER" : "SERVER",
    occurredAt: new Date(at),
    distinctId: "paper",
    userId,
    deviceClass: device,
    properties: {},
    ...extra,
  };
}

// order_cancellation's funnel: 1 detail viewed, 2 lines viewed, 3 confirmation viewed, 4 confirmation completed.
const ids = { A: crypto.randomUUID(), B: crypto.randomUUID(), C: crypto.randomUUID(), D: crypto.randomUUID(), E: crypto.randomUUID(), F: crypto.randomUUID(), G: crypto.randomUUID() };

beforeAll(async () => {
  database = await freshDatabase();
  userId = (await database.db.user.create({ data: { name: "Paper", email: "paper@example.com", createdAt: new Date(now - 400 * D) } })).id;
  const { A, B, C, D: Dj, E, F, G } = ids;
  const a = now - 5 * H;
  const b = now - 4 * H;
  const c = now - 3 * H;
  const e = now - 2 * H;
  const f = now - 16 * D;
  const trail = [
    // A, desktop: straight through in 60 s.
    event(A, "DESKTOP", a, "detail", "VIEWED"),
    event(A, "DESKTOP", a + 20 * S, "lines", "VIEWED"),
    event(A, "DESKTOP", a + 50 * S, "confirmation", "VIEWED"),
    event(A, "DESKTOP", a + 60 * S, "confirmation", "COMPLETED"),
    // B, desktop: repeats both steps, then leaves for the phone at the lines.
    event(B, "DESKTOP", b, "detail", "VIEWED"),
    event(B, "DESKTOP", b + 5 * S, "detail", "VIEWED"),
    event(B, "DESKTOP", b + 12 * S, "lines", "VIEWED"),
    event(B, "DESKTOP", b + 30 * S, "lines", "VIEWED"),
    event(B, "DESKTOP", b + 40 * S, "lines", "EXITED", { channel: "PHONE" }),
    // C, desktop: the confirmation before the lines (does not count), then silence.
    event(C, "DESKTOP", c, "detail", "VIEWED"),
    event(C, "DESKTOP", c + 10 * S, "confirmation", "VIEWED"),
    event(C, "DESKTOP", c + 25 * S, "lines", "VIEWED"),
    // D, desktop: never saw step 1, left for chat.
    event(Dj, "DESKTOP", c, "lines", "VIEWED"),
    event(Dj, "DESKTOP", c + 5 * S, "lines", "EXITED", { channel: "CHAT" }),
    // E, mobile: refused at the lines, then silence (so: failed).
    event(E, "MOBILE", e, "detail", "VIEWED"),
    event(E, "MOBILE", e + 40 * S, "lines", "VIEWED"),
    event(E, "MOBILE", e + 45 * S, "lines", "ERROR", { errorCode: "order_already_shipped" }),
    // F, mobile: the lines 15 days after the detail (outside the window), then completed.
    event(F, "MOBILE", f, "detail", "VIEWED"),
    event(F, "MOBILE", f + 15 * D, "lines", "VIEWED"),
    event(F, "MOBILE", f + 15 * D + 10 * S, "confirmation", "VIEWED"),
    event(F, "MOBILE", f + 15 * D + 20 * S, "confirmation", "COMPLETED"),
    // G, mobile: started ten minutes ago.
    event(G, "MOBILE", now - 10 * 60 * S, "detail", "VIEWED"),
  ];
  // Stored in two batches, the second first: arrival order must not matter.
  await database.db.$transaction((tx) => storeTrailEvents(tx, trail.slice(12)));
  await database.db.$transaction((tx) => storeTrailEvents(tx, trail.slice(0, 12)));
  await closeIdleJourneys(database.db, { idleMinutes: 30, forwarding: false });
  await database.db.contact.createMany({
    data: [
      // B: called an hour later and was helped; also chatted (not the channel B left for).
      { userId, channel: "PHONE", reason: "cancel_order", journeyId: B, resolvedNeed: true, createdAt: new Date(b + H) },
      { userId, channel: "CHAT", reason: "cancel_order", journeyId: B, resolvedNeed: false, createdAt: new Date(b + 2 * H) },
      // E: emailed after the failure, not resolved.
      { userId, channel: "EMAIL", reason: "cancel_order", journeyId: E, resolvedNeed: false, createdAt: new Date(e + H) },
      // C: called, but 100 hours after giving up: outside the 72-hour link window.
      { userId, channel: "PHONE", reason: "cancel_order", journeyId: C, resolvedNeed: true, createdAt: new Date(c + 100 * H) },
    ],
  });
});
afterAll(() => database.drop());

const today = new Date(now).toISOString().slice(0, 10);
const filter: InsightsFilter = { from: addDays(today, -20), to: today, device: null, customer: null, journeyType: "order_cancellation" };

describe("the portal's funnel against the one worked out on paper", () => {
  it("is counted once the refresh job has caught up with the triggers", async () => {
    // The triggers queued every attempt whose events, outcome or contacts changed: all seven.
    const queued = await database.db.$queryRaw<{ journeyId: string }[]>`SELECT DISTINCT "journeyId" FROM "InsightsStaleAttempt"`;
    expect(queued.map((q) => q.journeyId).sort()).toEqual(Object.values(ids).sort());
    await refreshInsights(database.db, { followUpWindowHours: 72 });
    expect((await refreshBacklog(database.db)).waiting).toBe(0);
  });

  it("counts each position, who went on and how the others ended", async () => {
    const { funnel } = await loadJourney(rollupSource(database.db), "order_cancellation", filter);
    // Entered: A B C E F G (D never viewed step 1). Furthest: A 4, B 2, C 2, E 2, F 1, G 1.
    expect({ entered: funnel.entered, completed: funnel.completed, notEntered: funnel.notEntered }).toEqual({ entered: 6, completed: 1, notEntered: 1 });
    expect(funnel.completionRate).toBeCloseTo(1 / 6);
    expect(funnel.rows.map((r) => [r.label, r.reached, r.wentOn, r.stopped])).toEqual([
      ["1. detail", 6, 4, 2],
      ["2. lines", 4, 1, 3],
      ["3. confirmation", 1, 1, 0],
      ["Completed", 1, null, 0],
    ]);
    // At the detail: F completed outside the window, G is still going.
    expect(funnel.rows[0].endings).toMatchObject({ completedAnyway: 1, inProgress: 1, abandoned: 0, failed: 0 });
    // At the lines: B left for the phone, C gave up, E gave up after the refusal.
    expect(funnel.rows[1].endings).toMatchObject({ abandoned: 1, failed: 1, exited: { PHONE: 1, CHAT: 0, EMAIL: 0, SOCIAL: 0, HELP_CENTRE: 0 } });
  });

  it("compares mobile with desktop", async () => {
    const { comparison } = await loadJourney(rollupSource(database.db), "order_cancellation", { ...filter, device: "MOBILE" });
    // Desktop starters A B C all went on from the detail to the lines, mobile starters E F G only E: the widest gap.
    expect(comparison.rows.map((r) => [r.byDevice.DESKTOP.reached, r.byDevice.MOBILE.reached])).toEqual([[3, 3], [3, 1], [1, 0], [1, 0]]);
    expect(comparison.widestGap?.label).toBe("1. detail");
    expect(comparison.widestGap?.gap).toBeCloseTo(1 / 3 - 1);
  });

  it("times each step along the chain it counted", async () => {
    const { durations } = await loadJourney(rollupSource(database.db), "order_cancellation", filter);
    // Detail → lines: A 20 s, B 7 s (its second view of the detail restarted the clock), C 25 s, E 40 s.
    expect(durations[1]).toMatchObject({ measured: 4, median: durationBucket(20), p90: durationBucket(40) });
    expect(durations[0]).toMatchObject({ measured: 1, median: durationBucket(60), p90: durationBucket(60) });
  });

  it("lists the refusal at the step where it happened", async () => {
    const { errors } = await loadJourney(rollupSource(database.db), "order_cancellation", filter);
    expect(errors).toEqual([
      expect.objectContaining({ step: "lines", position: 2, errorCode: "order_already_shipped", events: 1, attempts: 1, shareOfReached: 0.25, abandonedOrFailed: 1 }),
    ]);
  });

  it("follows exits to the contacts they cost", async () => {
    const { rows } = await loadFollowThrough(rollupSource(database.db), filter);
    const of = (dropOff: string) => rows.find((r) => r.dropOff === dropOff);
    expect(of("PHONE")).toMatchObject({ dropOffs: 1, followedUp: 1, resolved: 1, contacts: 1 });
    expect(of("FAILED")).toMatchObject({ dropOffs: 1, followedUp: 1, resolved: 0, contacts: 1 });
    expect(of("ABANDONED")).toMatchObject({ dropOffs: 1, followedUp: 0, contacts: 0 });
    // D left for chat without entering the funnel: outside it, as in PostHog.
    expect(of("CHAT")).toMatchObject({ dropOffs: 0 });
  });

  it("gives the same numbers from the raw events", async () => {
    const raw = await rawSource(database.db, { followUpWindowHours: 72 });
    const rollups = rollupSource(database.db);
    expect(await loadJourney(rollups, "order_cancellation", filter)).toEqual(await loadJourney(raw, "order_cancellation", filter));
    expect(await loadFollowThrough(rollups, filter)).toEqual(await loadFollowThrough(raw, filter));
  });
});
