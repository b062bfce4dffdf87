import crypto from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openSession } from "@/lib/accounts/sessions";
import { env } from "@/lib/config/env";
import { logInboundContact } from "@/lib/contacts/contacts";
import { attemptFact } from "@/lib/insights/facts";
import { funnelLength } from "@/lib/insights/funnel";
import { loadAttemptInputs } from "@/lib/insights/refresh";
import { closeIdleJourneys } from "@/lib/trail/abandon";
import { nextAttemptId } from "@/lib/trail/attempts";
import { funnelEvents } from "@/lib/trail/journeys";
import { ingestBrowserBatch } from "@/lib/trail/ingest";
import type { PostHogEvent } from "@/lib/trail/posthog-wire";
import { openAttemptId, recordStep } from "@/lib/trail/server";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { queuedPostHogEvents } from "../support/posthog-queue";

let database: FreshDatabase;
let customer: { id: string; analyticsId: string };
let agentId: string;
/** The customer's session: /ingest takes whose events a batch carries from it. */
let sessionId: string;

beforeAll(async () => {
  database = await freshDatabase();
  customer = await database.db.user.create({ data: { name: "Trail Tester", email: "trail@example.com", role: "CUSTOMER" } });
  agentId = (await database.db.user.create({ data: { name: "Agent", email: "agent-trail@example.com", role: "AGENT" } })).id;
  sessionId = (await openSession(database.db, customer.id, "vitest")).id;
});
afterAll(() => database.drop());
beforeEach(async () => {
  await database.db.contact.deleteMany();
  await database.db.outboxMessage.deleteMany();
  await database.db.journey.deleteMany();
});

const deviceId = "0192f0c1-aaaa-7bbb-8ccc-000000000001";

function browserEvent(event: string, journeyId: string, extra: Record<string, unknown> = {}, at = new Date()): PostHogEvent {
  return {
    event,
    uuid: crypto.randomUUID(),
    timestamp: at.toISOString(),
    distinctId: customer.analyticsId,
    properties: { journey_id: journeyId, $device_id: deviceId, device_class: "MOBILE", $current_url: "http://localhost/orders/WM-000001?x=1", ...extra },
  };
}

describe("browser batches through /ingest", () => {
  it("stores each declared step once, even when posthog-js retries the batch", async () => {
    const journeyId = crypto.randomUUID();
    const batch = [browserEvent("return_order_viewed", journeyId, { step: "order" }), browserEvent("return_items_viewed", journeyId, { step: "items" })];
    const first = await ingestBrowserBatch(database.db, batch, { forwarding: true, sessionId });
    const retry = await ingestBrowserBatch(database.db, batch, { forwarding: true, sessionId });

    expect(first.stored).toBe(2);
    expect(retry.stored).toBe(0);
    const events = await database.db.trailEvent.findMany({ where: { journeyId }, orderBy: { occurredAt: "asc" } });
    expect(events.map((e) => [e.step, e.kind, e.source])).toEqual([
      ["order", "VIEWED", "BROWSER"],
      ["items", "VIEWED", "BROWSER"],
    ]);
    const journey = await database.db.journey.findUniqueOrThrow({ where: { id: journeyId } });
    expect(journey).toMatchObject({ type: "return", userId: customer.id, deviceClass: "MOBILE", lastStep: "items", outcome: "IN_PROGRESS" });
    // One PostHog copy per event, however often the batch arrived.
    expect(await queuedPostHogEvents(database.db)).toHaveLength(2);
  });

  it("records an exit with its channel and the step it left from", async () => {
    const journeyId = crypto.randomUUID();
    await ingestBrowserBatch(database.db, [browserEvent("return_resolution_viewed", journeyId), browserEvent("return_exited", journeyId, { step: "resolution", channel: "PHONE" })], { forwarding: false, sessionId });
    const journey = await database.db.journey.findUniqueOrThrow({ where: { id: journeyId } });
    expect(journey).toMatchObject({ outcome: "EXITED", exitChannel: "PHONE", lastStep: "resolution" });
    expect(journey.endedAt).not.toBeNull();
    // Nothing is queued for PostHog when none is configured.
    expect(await database.db.outboxMessage.count()).toBe(0);
  });

  it("refuses undeclared steps, events of its own making and exits without a channel, and never forwards personal data", async () => {
    const journeyId = crypto.randomUUID();
    const result = await ingestBrowserBatch(
      database.db,
      [
        browserEvent("return_teleport_viewed", journeyId),
        browserEvent("return_exited", journeyId, { step: "items", channel: "CARRIER_PIGEON" }),
        browserEvent("call me on 07700 900123", journeyId, { $phone: "07700 900123" }),
        browserEvent("$pageview", journeyId, { email: "ada@example.com", name: "Ada", note: "call me", $set: { email: "ada@example.com" } }),
      ],
      { forwarding: true, sessionId },
    );
    expect(result.rejected).toBe(3);
    expect(await database.db.trailEvent.count({ where: { journeyId } })).toBe(0);
    const queued = await queuedPostHogEvents(database.db);
    expect(queued.map((e) => e.event)).toEqual(["$pageview"]);
    const text = JSON.stringify(queued);
    expect(text).not.toContain("ada@example.com");
    expect(text).not.toContain("call me");
    // The page, not the order: its route template, without the query string.
    expect(text).toContain("http://localhost/orders/[number]\"");
    expect(text).not.toContain("WM-000001");
  });

  it("does not forward events of a customer who declined analytics, but keeps the service record", async () => {
    await database.db.user.update({ where: { id: customer.id }, data: { analyticsConsent: false } });
    try {
      const journeyId = crypto.randomUUID();
      await ingestBrowserBatch(database.db, [browserEvent("profile_update_form_viewed", journeyId)], { forwarding: true, sessionId });
      expect(await database.db.trailEvent.count({ where: { journeyId } })).toBe(1);
      expect(await database.db.outboxMessage.count()).toBe(0);
    } finally {
      await database.db.user.update({ where: { id: customer.id }, data: { analyticsConsent: true } });
    }
  });
});

describe("server-side steps", () => {
  it("are written in the caller's transaction: a rolled-back change leaves no step behind", async () => {
    const journeyId = crypto.randomUUID();
    const actor = { userId: customer.id, distinctId: customer.analyticsId, deviceClass: "DESKTOP" as const, consent: true };
    await expect(
      database.db.$transaction(async (tx) => {
        await recordStep(tx, actor, { journeyId, type: "order_cancellation", step: "confirmation", action: "completed" });
        throw new Error("the cancellation failed");
      }),
    ).rejects.toThrow("the cancellation failed");
    expect(await database.db.trailEvent.count({ where: { journeyId } })).toBe(0);

    await database.db.$transaction((tx) => recordStep(tx, actor, { journeyId, type: "order_cancellation", step: "confirmation", action: "completed" }));
    const journey = await database.db.journey.findUniqueOrThrow({ where: { id: journeyId } });
    expect(journey.outcome).toBe("COMPLETED");
    // Reaching the outcome is its step's view, then its completion, here and in PostHog.
    expect(await forwardedEvents()).toEqual([
      { event: "order_cancellation_confirmation_viewed", distinctId: customer.analyticsId },
      { event: "order_cancellation_confirmation_completed", distinctId: customer.analyticsId },
    ]);
  });
});

/** What was queued for PostHog, in the order PostHog's funnels read it (by timestamp). */
async function forwardedEvents(journeyId?: string) {
  return (await queuedPostHogEvents(database.db))
    .filter((p) => !journeyId || p.properties.journey_id === journeyId)
    .sort((a, b) => a.timestamp.localeCompare(b.timestamp))
    .map((p) => ({ event: p.event, distinctId: p.distinctId }));
}

async function storedTrail(journeyId: string) {
  const events = await database.db.trailEvent.findMany({ where: { journeyId }, orderBy: [{ occurredAt: "asc" }] });
  return events.map((e) => `${e.step}:${e.kind}:${e.source}`);
}

describe("the journey rule (lib/trail/journeys.ts)", () => {
  const actor = () => ({ userId: customer.id, distinctId: customer.analyticsId, anonymousId: deviceId, deviceClass: "MOBILE" as const, consent: true });
  const ago = (seconds: number) => new Date(Date.now() - seconds * 1000);

  it("a return submitted on the server is one completed attempt with its steps in order; the confirmation page after it adds nothing", async () => {
    const journeyId = crypto.randomUUID();
    const steps = ["order", "items", "resolution", "review", "method"];
    await ingestBrowserBatch(database.db, steps.map((step, i) => browserEvent(`return_${step}_viewed`, journeyId, { step }, ago(60 - i * 10))), { forwarding: true, sessionId });
    await database.db.$transaction((tx) => recordStep(tx, actor(), { journeyId, type: "return", step: "confirmation", action: "completed" }));
    // The confirmation page renders after the submit (posthog-js sends it a moment later).
    await ingestBrowserBatch(database.db, [browserEvent("return_confirmation_viewed", journeyId, { step: "confirmation" }, new Date(Date.now() + 500))], { forwarding: true, sessionId });

    expect(await storedTrail(journeyId)).toEqual([...steps.map((s) => `${s}:VIEWED:BROWSER`), "confirmation:VIEWED:SERVER", "confirmation:COMPLETED:SERVER"]);
    expect((await forwardedEvents(journeyId)).map((e) => e.event)).toEqual(funnelEvents("return"));
    const [input] = await loadAttemptInputs(database.db, [journeyId]);
    expect(attemptFact(input, { followUpWindowHours: 72 })).toMatchObject({ outcome: "COMPLETED", level: funnelLength("return") });

    // A second return started in the same tab (which still holds the id) is the next attempt, not this one.
    const second = [browserEvent("return_order_viewed", journeyId, { step: "order" }, new Date(Date.now() + 2000)), browserEvent("return_items_viewed", journeyId, { step: "items" }, new Date(Date.now() + 3000))];
    await ingestBrowserBatch(database.db, second, { forwarding: true, sessionId });
    expect(await database.db.trailEvent.count({ where: { journeyId } })).toBe(7);
    const next = nextAttemptId(journeyId);
    expect(await storedTrail(next)).toEqual(["order:VIEWED:BROWSER", "items:VIEWED:BROWSER"]);
    expect((await forwardedEvents(next)).map((e) => e.event)).toEqual(["return_order_viewed", "return_items_viewed"]);
    expect(await database.db.journey.findUniqueOrThrow({ where: { id: next } })).toMatchObject({ type: "return", userId: customer.id, outcome: "IN_PROGRESS" });
  });

  it("a tracking page completes its task when it is shown; showing it again adds nothing", async () => {
    const journeyId = crypto.randomUUID();
    await ingestBrowserBatch(database.db, [browserEvent("order_tracking_history_viewed", journeyId, { step: "history" }, ago(20)), browserEvent("order_tracking_detail_viewed", journeyId, { step: "detail" }, ago(10))], { forwarding: true, sessionId });
    expect(await storedTrail(journeyId)).toEqual(["history:VIEWED:BROWSER", "detail:VIEWED:BROWSER", "detail:COMPLETED:BROWSER"]);
    expect((await forwardedEvents(journeyId)).map((e) => e.event)).toEqual(funnelEvents("order_tracking"));
    expect(await database.db.journey.findUniqueOrThrow({ where: { id: journeyId } })).toMatchObject({ outcome: "COMPLETED" });
    // A browser that kept the old id after the outcome adds nothing to the finished attempt.
    await ingestBrowserBatch(database.db, [browserEvent("order_tracking_detail_viewed", journeyId, { step: "detail" })], { forwarding: true, sessionId });
    expect(await database.db.trailEvent.count({ where: { journeyId } })).toBe(3);
  });

  it("a journey id belongs to its owner: a forged id never appends to another customer's attempt (issue 12, item 10)", async () => {
    const other = await database.db.user.create({ data: { name: "Mallory", email: `mallory-${crypto.randomUUID()}@example.com`, role: "CUSTOMER" } });
    const victim = crypto.randomUUID();
    await ingestBrowserBatch(database.db, [browserEvent("return_items_viewed", victim, { step: "items" }, ago(30))], { forwarding: true, sessionId });
    const before = await database.db.journey.findUniqueOrThrow({ where: { id: victim } });

    // Through /ingest, signed in as someone else, and anonymously from another device.
    const forged = await ingestBrowserBatch(
      database.db,
      [
        { ...browserEvent("return_exited", victim, { step: "items", channel: "PHONE" }), distinctId: other.analyticsId, properties: { journey_id: victim, step: "items", channel: "PHONE", $device_id: "mallory-device" } },
        { ...browserEvent("return_resolution_viewed", victim, { step: "resolution" }), distinctId: "mallory-device", properties: { journey_id: victim, $device_id: "mallory-device" } },
      ],
      { forwarding: true, sessionId: (await openSession(database.db, other.id, "vitest")).id },
    );
    expect(forged.rejected).toBe(2);
    // Through a server action that takes the journey id from its form.
    await database.db.$transaction((tx) =>
      recordStep(tx, { userId: other.id, distinctId: other.analyticsId, anonymousId: "mallory-device", deviceClass: "DESKTOP", consent: true }, { journeyId: victim, type: "return", step: "confirmation", action: "completed" }),
    );

    expect(await storedTrail(victim)).toEqual(["items:VIEWED:BROWSER"]);
    expect(await database.db.journey.findUniqueOrThrow({ where: { id: victim } })).toEqual(before);
    expect((await forwardedEvents(victim)).map((e) => e.distinctId)).toEqual([customer.analyticsId]);
  });

  it("a submit that carries no journey id (sent before the page's scripts ran) continues the customer's open attempt at the task", async () => {
    const open = crypto.randomUUID();
    await ingestBrowserBatch(database.db, [browserEvent("email_change_form_viewed", open, { step: "form" }, ago(120)), browserEvent("email_change_confirmed_viewed", open, { step: "confirmed" }, ago(60))], { forwarding: true, sessionId });
    // Not theirs to continue: an attempt at another task, one already done, another customer's.
    await ingestBrowserBatch(database.db, [browserEvent("profile_update_form_viewed", crypto.randomUUID(), { step: "form" }, ago(10))], { forwarding: true, sessionId });
    const done = crypto.randomUUID();
    await database.db.$transaction((tx) => recordStep(tx, actor(), { journeyId: done, type: "email_change", step: "confirmed", action: "completed" }, ago(300)));
    const other = await database.db.user.create({ data: { name: "Olive", email: `olive-${crypto.randomUUID()}@example.com`, role: "CUSTOMER" } });
    await database.db.$transaction((tx) =>
      recordStep(tx, { userId: other.id, distinctId: other.analyticsId, anonymousId: null, deviceClass: "DESKTOP", consent: true }, { journeyId: crypto.randomUUID(), type: "email_change", step: "form", action: "viewed" }),
    );

    const continued = await openAttemptId(database.db, actor(), "email_change");
    expect(continued).toBe(open);
    await database.db.$transaction((tx) => recordStep(tx, actor(), { journeyId: continued!, type: "email_change", step: "confirmed", action: "completed" }));
    expect(await storedTrail(open)).toEqual(["form:VIEWED:BROWSER", "confirmed:VIEWED:BROWSER", "confirmed:COMPLETED:SERVER"]);

    // Once the attempt is done, or idle for longer than the window that abandons it, a submit starts anew.
    expect(await openAttemptId(database.db, actor(), "email_change")).toBeNull();
    const idle = crypto.randomUUID();
    await ingestBrowserBatch(database.db, [browserEvent("email_change_form_viewed", idle, { step: "form" }, ago(60))], { forwarding: true, sessionId });
    expect(await openAttemptId(database.db, actor(), "email_change", new Date(Date.now() + env().ABANDON_AFTER_MINUTES * 60_000))).toBeNull();
  });

  it("an anonymous attempt stays with its device when the customer signs up on it", async () => {
    const journeyId = crypto.randomUUID();
    const anonymous = { ...browserEvent("signup_details_viewed", journeyId, { step: "details" }, ago(30)), distinctId: deviceId };
    await ingestBrowserBatch(database.db, [anonymous], { forwarding: true });
    await database.db.$transaction(async (tx) => {
      await recordStep(tx, actor(), { journeyId, type: "signup", step: "account", action: "viewed" });
      await recordStep(tx, actor(), { journeyId, type: "signup", step: "account", action: "completed" });
    });
    expect(await storedTrail(journeyId)).toEqual(["details:VIEWED:BROWSER", "account:VIEWED:SERVER", "account:COMPLETED:SERVER"]);
    expect(await database.db.journey.findUniqueOrThrow({ where: { id: journeyId } })).toMatchObject({ userId: customer.id, outcome: "COMPLETED" });
  });

  it("staff activity is kept apart: never forwarded to PostHog, never counted in the insights", async () => {
    const agent = await database.db.user.findUniqueOrThrow({ where: { id: agentId } });
    const journeyId = crypto.randomUUID();
    await ingestBrowserBatch(
      database.db,
      [
        { ...browserEvent("$pageview", journeyId), distinctId: agent.analyticsId },
        { ...browserEvent("order_tracking_history_viewed", journeyId, { step: "history" }), distinctId: agent.analyticsId },
      ],
      { forwarding: true, sessionId: (await openSession(database.db, agent.id, "vitest")).id },
    );
    expect(await database.db.outboxMessage.count()).toBe(0);
    const [input] = await loadAttemptInputs(database.db, [journeyId]);
    expect(input.staff).toBe(true);
    expect(attemptFact(input, { followUpWindowHours: 72 })).toBeNull();
  });
});

describe("abandonment and contacts", () => {
  it("closes idle journeys as abandoned, or failed when the last thing was an error", async () => {
    const idle = crypto.randomUUID();
    const failing = crypto.randomUUID();
    const fresh = crypto.randomUUID();
    const longAgo = new Date(Date.now() - 2 * 3600 * 1000);
    await ingestBrowserBatch(
      database.db,
      [
        browserEvent("return_items_viewed", idle, {}, longAgo),
        browserEvent("return_items_viewed", failing, {}, longAgo),
        browserEvent("return_items_failed", failing, { error_code: "return_window_expired" }, new Date(longAgo.getTime() + 1000)),
        browserEvent("return_items_viewed", fresh),
      ],
      { forwarding: true, sessionId },
    );
    const closed = await closeIdleJourneys(database.db, { idleMinutes: 30, forwarding: true });
    expect(closed).toBe(2);
    const outcomes = Object.fromEntries((await database.db.journey.findMany()).map((j) => [j.id, j.outcome]));
    expect(outcomes).toEqual({ [idle]: "ABANDONED", [failing]: "FAILED", [fresh]: "IN_PROGRESS" });
    expect((await queuedPostHogEvents(database.db)).filter((e) => e.event === "return_abandoned")).toHaveLength(2);
    // Running again finds nothing new.
    expect(await closeIdleJourneys(database.db, { idleMinutes: 30, forwarding: true })).toBe(0);
  });

  it("links a logged call to the journey the customer left for the phone within the window", async () => {
    const left = crypto.randomUUID();
    const twoHoursAgo = new Date(Date.now() - 2 * 3600 * 1000);
    await ingestBrowserBatch(database.db, [browserEvent("return_resolution_viewed", left, {}, twoHoursAgo), browserEvent("return_exited", left, { step: "resolution", channel: "PHONE" }, twoHoursAgo)], { forwarding: false, sessionId });

    const linked = await logInboundContact(database.db, agentId, { customerId: customer.id, channel: "PHONE", reason: "return_refund", trigger: "didnt_work", resolvedNeed: false, note: null }, { windowHours: 72 });
    expect(linked.ok && linked.journey?.id).toBe(left);
    expect(linked.ok && linked.contact.journeyId).toBe(left);

    const outsideWindow = await logInboundContact(database.db, agentId, { customerId: customer.id, channel: "PHONE", reason: "other", trigger: "other", resolvedNeed: true, note: null }, { windowHours: 1 });
    expect(outsideWindow.ok && outsideWindow.contact.journeyId).toBeNull();

    const agentAsCustomer = await logInboundContact(database.db, agentId, { customerId: agentId, channel: "CHAT", reason: "other", trigger: "other", resolvedNeed: false, note: null });
    expect(agentAsCustomer.ok).toBe(false);
  });
});
