import crypto from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { logInboundContact } from "@/lib/contacts/contacts";
import { closeIdleJourneys } from "@/lib/trail/abandon";
import { ingestBrowserBatch } from "@/lib/trail/ingest";
import type { PostHogEvent } from "@/lib/trail/posthog-wire";
import { recordStep } from "@/lib/trail/server";
import { freshDatabase, type FreshDatabase } from "../support/db";

let database: FreshDatabase;
let customer: { id: string; analyticsId: string };
let agentId: string;

beforeAll(async () => {
  database = await freshDatabase();
  customer = await database.db.user.create({ data: { name: "Trail Tester", email: "trail@example.com", role: "CUSTOMER" } });
  agentId = (await database.db.user.create({ data: { name: "Agent", email: "agent-trail@example.com", role: "AGENT" } })).id;
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
    const first = await ingestBrowserBatch(database.db, batch, { forwarding: true });
    const retry = await ingestBrowserBatch(database.db, batch, { forwarding: true });

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
    expect(await database.db.outboxMessage.count({ where: { topic: "posthog" } })).toBe(2);
  });

  it("records an exit with its channel and the step it left from", async () => {
    const journeyId = crypto.randomUUID();
    await ingestBrowserBatch(database.db, [browserEvent("return_resolution_viewed", journeyId), browserEvent("return_exited", journeyId, { step: "resolution", channel: "PHONE" })], { forwarding: false });
    const journey = await database.db.journey.findUniqueOrThrow({ where: { id: journeyId } });
    expect(journey).toMatchObject({ outcome: "EXITED", exitChannel: "PHONE", lastStep: "resolution" });
    expect(journey.endedAt).not.toBeNull();
    // Nothing is queued for PostHog when none is configured.
    expect(await database.db.outboxMessage.count()).toBe(0);
  });

  it("refuses undeclared steps and exits without a channel, and never forwards personal data", async () => {
    const journeyId = crypto.randomUUID();
    const result = await ingestBrowserBatch(
      database.db,
      [
        browserEvent("return_teleport_viewed", journeyId),
        browserEvent("return_exited", journeyId, { step: "items", channel: "CARRIER_PIGEON" }),
        browserEvent("$pageview", journeyId, { email: "ada@example.com", name: "Ada", note: "call me", $set: { email: "ada@example.com" } }),
      ],
      { forwarding: true },
    );
    expect(result.rejected).toBe(1); // the exit without a valid channel; the unknown step is not a trail event at all
    expect(await database.db.trailEvent.count({ where: { journeyId } })).toBe(0);
    const [forwarded] = await database.db.outboxMessage.findMany();
    const text = JSON.stringify(forwarded.payload);
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
      await ingestBrowserBatch(database.db, [browserEvent("profile_update_form_viewed", journeyId)], { forwarding: true });
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
    const [queued] = await database.db.outboxMessage.findMany();
    expect(queued.payload).toMatchObject({ event: "order_cancellation_confirmation_completed", distinctId: customer.analyticsId });
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
      { forwarding: true },
    );
    const closed = await closeIdleJourneys(database.db, { idleMinutes: 30, forwarding: true });
    expect(closed).toBe(2);
    const outcomes = Object.fromEntries((await database.db.journey.findMany()).map((j) => [j.id, j.outcome]));
    expect(outcomes).toEqual({ [idle]: "ABANDONED", [failing]: "FAILED", [fresh]: "IN_PROGRESS" });
    expect(await database.db.outboxMessage.count({ where: { payload: { path: ["event"], equals: "return_abandoned" } } })).toBe(2);
    // Running again finds nothing new.
    expect(await closeIdleJourneys(database.db, { idleMinutes: 30, forwarding: true })).toBe(0);
  });

  it("links a logged call to the journey the customer left for the phone within the window", async () => {
    const left = crypto.randomUUID();
    const twoHoursAgo = new Date(Date.now() - 2 * 3600 * 1000);
    await ingestBrowserBatch(database.db, [browserEvent("return_resolution_viewed", left, {}, twoHoursAgo), browserEvent("return_exited", left, { step: "resolution", channel: "PHONE" }, twoHoursAgo)], { forwarding: false });

    const linked = await logInboundContact(database.db, agentId, { customerId: customer.id, channel: "PHONE", reason: "return_refund", resolvedNeed: false }, { windowHours: 72 });
    expect(linked.ok && linked.journey?.id).toBe(left);
    expect(linked.ok && linked.contact.journeyId).toBe(left);

    const outsideWindow = await logInboundContact(database.db, agentId, { customerId: customer.id, channel: "PHONE", reason: "other", resolvedNeed: true }, { windowHours: 1 });
    expect(outsideWindow.ok && outsideWindow.contact.journeyId).toBeNull();

    const agentAsCustomer = await logInboundContact(database.db, agentId, { customerId: agentId, channel: "CHAT", reason: "other", resolvedNeed: false });
    expect(agentAsCustomer.ok).toBe(false);
  });
});
