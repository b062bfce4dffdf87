// PostHog down during a journey, then back: every event arrives exactly once. Real HTTP to the
// PostHog stand-in through posthog-node, real PostgreSQL outbox.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outboxQueueStats } from "@/lib/integrations/health";
import { postHogDeliveryHandler } from "@/lib/integrations/posthog";
import { deliverDue } from "@/lib/outbox/outbox";
import { ingestBrowserBatch } from "@/lib/trail/ingest";
import type { PostHogEvent } from "@/lib/trail/posthog-wire";
import { startPostHogStandIn, type PostHogStandIn } from "../../e2e/support/posthog-stand-in";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { queuedPostHogEvents } from "../support/posthog-queue";

let database: FreshDatabase;
let posthog: PostHogStandIn;

beforeAll(async () => {
  database = await freshDatabase();
  posthog = await startPostHogStandIn({ port: 0 });
});
afterAll(async () => {
  await posthog.close();
  await database.drop();
});

/** `count` step views of a signed-out device's sign-ups, one attempt per pass through the steps (an attempt views each step once). */
function journeyEvents(count: number): PostHogEvent[] {
  const steps = ["details", "email", "account"];
  const journeyIds = Array.from({ length: Math.ceil(count / steps.length) }, () => crypto.randomUUID());
  const device = "0192f0c1-bbbb-7bbb-8ccc-000000000002";
  return Array.from({ length: count }, (_, i) => ({
    event: `signup_${steps[i % steps.length]}_viewed`,
    uuid: crypto.randomUUID(),
    timestamp: new Date(Date.now() - (count - i) * 1000).toISOString(),
    distinctId: device,
    properties: { journey_id: journeyIds[Math.floor(i / steps.length)], device_class: "DESKTOP", $device_id: device },
  }));
}

// Two rows per claim, so that three workers at once compete for the rows.
const deliver = () => deliverDue(database.db, "posthog", postHogDeliveryHandler(database.db, { host: posthog.url, key: "phc_test" }), 2);

describe("forwarding to PostHog through the outbox", () => {
  it("keeps events while PostHog is down and delivers each exactly once when it is back", async () => {
    posthog.setDown(true);
    const batch = journeyEvents(6);
    await ingestBrowserBatch(database.db, batch, { forwarding: true });
    // A retried browser batch during the outage must not queue anything twice.
    await ingestBrowserBatch(database.db, batch, { forwarding: true });

    // One outbox row for the batch, its retry queued nothing.
    const duringOutage = await deliver();
    expect(duringOutage).toEqual({ delivered: 0, failed: 1 });
    const pending = await database.db.outboxMessage.findMany({ where: { status: "PENDING" } });
    expect(pending).toHaveLength(1);
    expect(await queuedPostHogEvents(database.db, "PENDING")).toHaveLength(6);
    // Staff's health page counts the events that wait, not the rows they wait in.
    expect((await outboxQueueStats(database.db)).get("posthog")).toMatchObject({ queued: 6, failing: 6 });
    expect(pending.every((row) => row.nextAttemptAt.getTime() > Date.now() && row.lastError?.includes("503"))).toBe(true);

    posthog.setDown(false);
    // Nothing is retried before its backoff has passed ...
    expect(await deliver()).toEqual({ delivered: 0, failed: 0 });
    // ... then everything goes, once.
    await database.db.outboxMessage.updateMany({ data: { nextAttemptAt: new Date() } });
    expect(await deliver()).toEqual({ delivered: 1, failed: 0 });
    expect(await deliver()).toEqual({ delivered: 0, failed: 0 });

    const received = posthog.events().filter((e) => batch.some((b) => b.uuid === e.uuid));
    expect(received.map((e) => e.uuid).sort()).toEqual(batch.map((e) => e.uuid).sort());
    // PostHog orders by the event's own timestamp, which travels unchanged.
    const byTime = [...received].sort((a, b) => Date.parse(a.timestamp!) - Date.parse(b.timestamp!));
    expect(byTime.map((e) => [e.event, Date.parse(e.timestamp!)])).toEqual(batch.map((e) => [e.event, Date.parse(e.timestamp!)]));
    expect(received.every((e) => e.distinctId === batch[0].distinctId && e.path === "/batch/")).toBe(true);
  });

  it("never hands the same row to two concurrent workers", async () => {
    const batches = Array.from({ length: 8 }, () => journeyEvents(6));
    for (const batch of batches) await ingestBrowserBatch(database.db, batch, { forwarding: true });
    const before = posthog.events().length;
    const results = await Promise.all([deliver(), deliver(), deliver()]);
    expect(results.reduce((sum, r) => sum + r.delivered, 0)).toBe(8);
    expect(posthog.events().length - before).toBe(48);
    expect(new Set(posthog.events().map((e) => e.uuid)).size).toBe(posthog.events().length);
  });
});
