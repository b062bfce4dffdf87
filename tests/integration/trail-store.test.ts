// The trail store's one-round-trip path (lib/trail/store.ts, trail_store): the attempt rule is
// applied to what this process last saw of an attempt, and the write happens only if that is still
// what is stored. When another process (another web replica, a worker) changed the attempt since,
// the rule must be applied to what is really stored, refusals included, and nothing doubled.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nextAttemptId } from "@/lib/trail/attempts";
import { recordMessageEvent } from "@/lib/notify/message-trail";
import { recordStep, type TrailActor } from "@/lib/trail/server";
import { storeTransactionTrailNow } from "@/lib/trail/store";
import { createDb } from "@/lib/db/client";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { queuedPostHogEvents } from "../support/posthog-queue";
import { statementCounter } from "../support/statements";

let database: FreshDatabase;
let ada: TrailActor;
let bob: TrailActor;

beforeAll(async () => {
  database = await freshDatabase();
  const actorOf = (user: { id: string; analyticsId: string }): TrailActor => ({ userId: user.id, distinctId: user.analyticsId, anonymousId: null, deviceClass: "DESKTOP", consent: true });
  ada = actorOf(await database.db.user.create({ data: { name: "Ada", email: "ada-store@example.com", role: "CUSTOMER" } }));
  bob = actorOf(await database.db.user.create({ data: { name: "Bob", email: "bob-store@example.com", role: "CUSTOMER" } }));
});
afterAll(() => database.drop());

/** How many trail_store calls some work (a transaction) made. */
const countingTrailStores = statementCounter((text) => text.includes("trail_store("));

/** A task's transaction that records one step, and how many statements the trail sent in it. */
async function stepInTask(actor: TrailActor, step: Parameters<typeof recordStep>[2], at?: Date) {
  const { result: id, statements } = await countingTrailStores(() => database.db.$transaction((tx) => recordStep(tx, actor, step, at)));
  return { id, statements };
}

const trail = async (journeyId: string) =>
  (await database.db.trailEvent.findMany({ where: { journeyId }, orderBy: { occurredAt: "asc" } })).map((e) => `${e.step}:${e.kind}`);
const queued = async (eventIds: string[]) => (await queuedPostHogEvents(database.db)).filter((e) => eventIds.includes(e.uuid)).length;
const ago = (seconds: number) => new Date(Date.now() - seconds * 1000);

describe("a trail step inside a task's transaction", () => {
  it("costs one statement when the attempt is as this process last stored it", async () => {
    const journeyId = crypto.randomUUID();
    const first = await stepInTask(ada, { journeyId, type: "order_cancellation", step: "detail", action: "viewed" }, ago(20));
    expect(first.statements).toBe(1);
    const second = await stepInTask(ada, { journeyId, type: "order_cancellation", step: "lines", action: "viewed" }, ago(10));
    expect(second.statements).toBe(1);
    expect(await trail(journeyId)).toEqual(["detail:VIEWED", "lines:VIEWED"]);
  });

  it("refuses a step for an attempt another process stored as someone else's, and writes nothing", async () => {
    const journeyId = crypto.randomUUID();
    // Bob's attempt, stored by another replica: this process has never seen it.
    await database.db.journey.create({ data: { id: journeyId, type: "order_cancellation", userId: bob.userId, deviceClass: "DESKTOP", startedAt: ago(60), lastActivityAt: ago(60), lastStep: "detail" } });
    const before = await database.db.journey.findUniqueOrThrow({ where: { id: journeyId } });

    const forged = await stepInTask(ada, { journeyId, type: "order_cancellation", step: "confirmation", action: "completed" });

    expect(forged.statements).toBe(2);
    expect(await trail(journeyId)).toEqual([]);
    expect(await database.db.journey.findUniqueOrThrow({ where: { id: journeyId } })).toEqual(before);
    expect(await queued([forged.id!])).toBe(0);
  });

  it("moves a step to the next attempt when another process ended the attempt since this one stored it", async () => {
    const journeyId = crypto.randomUUID();
    await stepInTask(ada, { journeyId, type: "order_cancellation", step: "detail", action: "viewed" }, ago(30));
    // Another replica records the attempt's end (its cancellation went through there).
    await database.db.journey.update({ where: { id: journeyId }, data: { outcome: "EXITED", exitChannel: "PHONE", endedAt: ago(20) } });

    const later = await stepInTask(ada, { journeyId, type: "order_cancellation", step: "lines", action: "viewed" }, ago(10));

    expect(later.statements).toBe(2);
    expect(await trail(journeyId)).toEqual(["detail:VIEWED"]);
    expect(await trail(nextAttemptId(journeyId))).toEqual(["lines:VIEWED"]);
  });

  it("follows a long chain of attempts another process ended in a few statements, not one per attempt", async () => {
    // A tab that left the task for another channel 25 times: each exit ended an attempt, and the
    // tab's next step went to the next one (made by another replica: this process knows none of them).
    const chain: string[] = [crypto.randomUUID()];
    for (let i = 0; i < 25; i++) chain.push(nextAttemptId(chain.at(-1)!));
    await database.db.journey.createMany({
      data: chain.slice(0, 25).map((id, i) => ({ id, type: "order_cancellation", userId: ada.userId, deviceClass: "DESKTOP" as const, startedAt: ago(200 - i * 2), lastActivityAt: ago(199 - i * 2), lastStep: "lines", outcome: "EXITED" as const, exitChannel: "PHONE" as const, endedAt: ago(199 - i * 2) })),
    });

    const later = await stepInTask(ada, { journeyId: chain[0], type: "order_cancellation", step: "lines", action: "viewed" }, ago(10));

    expect(later.statements).toBeLessThanOrEqual(3);
    expect(await trail(chain[25])).toEqual(["lines:VIEWED"]);
  });

  it("does not count a view twice when another process stored the same view since", async () => {
    const journeyId = crypto.randomUUID();
    await stepInTask(ada, { journeyId, type: "order_cancellation", step: "detail", action: "viewed" }, ago(30));
    // The customer's browser sent the same step's view to another replica.
    await database.db.trailEvent.create({
      data: { id: crypto.randomUUID(), journeyId, journeyType: "order_cancellation", step: "lines", kind: "VIEWED", source: "BROWSER", occurredAt: ago(20), distinctId: ada.distinctId, properties: {} },
    });

    const again = await stepInTask(ada, { journeyId, type: "order_cancellation", step: "lines", action: "viewed" }, ago(10));

    expect(again.statements).toBe(2);
    expect(await trail(journeyId)).toEqual(["detail:VIEWED", "lines:VIEWED"]);
    expect(await queued([again.id!])).toBe(0);
  });
});

describe("the steps of a task's transaction, stored at its commit", () => {
  const notification = async (actor: TrailActor) =>
    database.db.notification.create({ data: { userId: actor.userId!, type: "delivery_address_changed", dedupeKey: crypto.randomUUID(), data: { orderNumber: "WM-1", addressLine: "2 New Road, London WC1N 1AP" } }, select: { id: true } });

  it("stores every step and message copy of a task that commits once, in one statement, with one PostHog row", async () => {
    const journeyId = crypto.randomUUID();
    const message = await notification(ada);
    const outboxBefore = await database.db.outboxMessage.count();

    const { result: ids, statements } = await countingTrailStores(() =>
      database.db.$transaction(async (tx) => {
        const lines = await recordStep(tx, ada, { journeyId, type: "order_cancellation", step: "lines", action: "viewed" }, ago(2));
        await recordMessageEvent(tx, { notificationId: message.id, action: "sent", channel: "portal" });
        const done = await recordStep(tx, ada, { journeyId, type: "order_cancellation", step: "confirmation", action: "completed" }, ago(1));
        return [lines!, done!];
      }),
    );

    expect(statements).toBe(1);
    expect(await trail(journeyId)).toEqual(["lines:VIEWED", "confirmation:VIEWED", "confirmation:COMPLETED"]);
    expect((await database.db.journey.findUniqueOrThrow({ where: { id: journeyId } })).outcome).toBe("COMPLETED");
    expect(await queued(ids)).toBe(2);
    expect((await queuedPostHogEvents(database.db)).filter((e) => e.event === "message_sent" && e.distinctId === ada.distinctId)).toHaveLength(1);
    expect(await database.db.outboxMessage.count()).toBe(outboxBefore + 1);
  });

  it("stores nothing of a task that rolls back", async () => {
    const journeyId = crypto.randomUUID();
    const message = await notification(bob);
    const outboxBefore = await database.db.outboxMessage.count();

    await expect(
      database.db.$transaction(async (tx) => {
        await recordStep(tx, bob, { journeyId, type: "order_cancellation", step: "confirmation", action: "completed" });
        await recordMessageEvent(tx, { notificationId: message.id, action: "sent", channel: "portal" });
        throw new Error("the cancellation failed");
      }),
    ).rejects.toThrow("the cancellation failed");

    expect(await trail(journeyId)).toEqual([]);
    expect(await database.db.journey.findUnique({ where: { id: journeyId } })).toBeNull();
    expect(await database.db.outboxMessage.count()).toBe(outboxBefore);
  });

  it("stores nothing when the task fails after storing its steps early, and a later attempt stores them once", async () => {
    const journeyId = crypto.randomUUID();
    await expect(
      database.db.$transaction(async (tx) => {
        await recordStep(tx, bob, { journeyId, type: "order_cancellation", step: "confirmation", action: "completed" });
        await storeTransactionTrailNow(tx, bob.userId!);
        throw new Error("the cancellation failed");
      }),
    ).rejects.toThrow("the cancellation failed");
    expect(await trail(journeyId)).toEqual([]);

    await database.db.$transaction((tx) => recordStep(tx, bob, { journeyId, type: "order_cancellation", step: "confirmation", action: "completed" }));
    expect(await trail(journeyId)).toEqual(["confirmation:VIEWED", "confirmation:COMPLETED"]);
  });

  it("lets the task read its own steps after storing them early, and stores them once", async () => {
    const journeyId = crypto.randomUUID();
    const { result: seen, statements } = await countingTrailStores(() =>
      database.db.$transaction(async (tx) => {
        await recordStep(tx, ada, { journeyId, type: "order_cancellation", step: "lines", action: "viewed" }, ago(3));
        const before = await tx.trailEvent.count({ where: { journeyId } });
        await storeTransactionTrailNow(tx, ada.userId!);
        const after = await tx.trailEvent.count({ where: { journeyId } });
        // Recorded after the early store: stored at the commit.
        await recordStep(tx, ada, { journeyId, type: "order_cancellation", step: "confirmation", action: "completed" }, ago(1));
        return { before, after };
      }),
    );

    expect(seen).toEqual({ before: 0, after: 1 });
    expect(statements).toBe(2);
    expect(await trail(journeyId)).toEqual(["lines:VIEWED", "confirmation:VIEWED", "confirmation:COMPLETED"]);
  });

  it("knows the attempt it stored at a commit, so the next step of the attempt is one statement too", async () => {
    const journeyId = crypto.randomUUID();
    await stepInTask(ada, { journeyId, type: "order_cancellation", step: "detail", action: "viewed" }, ago(20));
    await stepInTask(ada, { journeyId, type: "order_cancellation", step: "lines", action: "viewed" }, ago(10));
    // A view already stored is not stored again, and the rule knew it without reading the attempt.
    const again = await stepInTask(ada, { journeyId, type: "order_cancellation", step: "lines", action: "viewed" }, ago(5));
    const done = await stepInTask(ada, { journeyId, type: "order_cancellation", step: "confirmation", action: "completed" });

    expect([again.statements, done.statements]).toEqual([1, 1]);
    expect(await trail(journeyId)).toEqual(["detail:VIEWED", "lines:VIEWED", "confirmation:VIEWED", "confirmation:COMPLETED"]);
    expect(await queued([again.id!])).toBe(0);
  });
});

describe("the cost of a step as the trail grows", () => {
  it("reads journeys and accounts by their keys on a connection that planned its statements on small tables", async () => {
    // A few hundred accounts and a thousand journeys, analysed: the size at which the planner, pricing
    // the check of the expected attempts for any values, chose to read every journey (found in the
    // benchmark's database, where it cost each call about 0.1 ms). A new connection plans anew.
    await database.db.$executeRaw`INSERT INTO "User" ("id", "analyticsId", "email", "name", "role", "updatedAt")
      SELECT 'small-' || n, gen_random_uuid(), 'small-' || n || '@example.com', 'Small', 'CUSTOMER', now() FROM generate_series(1, 300) AS n`;
    await database.db.$executeRaw`INSERT INTO "Journey" ("id", "type", "userId", "deviceClass", "startedAt", "lastActivityAt", "lastStep")
      SELECT 'small-' || n, 'order_cancellation', 'small-' || (n % 300 + 1), 'DESKTOP', now(), now(), 'detail' FROM generate_series(1, 1000) AS n`;
    await database.db.$executeRaw`ANALYZE "User", "Journey", "TrailEvent"`;
    const fresh = createDb(database.url, 1);
    try {
      const scans = await fresh.$transaction(async (tx) => {
        for (let i = 0; i < 8; i++) {
          const journeyId = crypto.randomUUID();
          await recordStep(tx, ada, { journeyId, type: "order_cancellation", step: "detail", action: "viewed" });
          await storeTransactionTrailNow(tx, ada.userId!);
          await recordStep(tx, ada, { journeyId, type: "order_cancellation", step: "lines", action: "viewed" });
          await storeTransactionTrailNow(tx, ada.userId!);
        }
        return tx.$queryRaw<{ relname: string; seq_scan: bigint }[]>`SELECT relname, seq_scan FROM pg_stat_xact_user_tables WHERE relname IN ('Journey', 'User', 'TrailEvent')`;
      });
      expect(Object.fromEntries(scans.map((row) => [row.relname, Number(row.seq_scan)]))).toEqual({ Journey: 0, User: 0, TrailEvent: 0 });
    } finally {
      await fresh.$disconnect();
    }
  });

  it("looks up only the attempts it checks, however many journeys are stored, on every call of a connection", async () => {
    // Enough journeys that reading them all is the slow way (PostgreSQL chose it for the check's
    // generic plan on a table of a few thousand, costing a step 0.2-1.6 ms as the table grew).
    await database.db.$executeRaw`INSERT INTO "Journey" ("id", "type", "userId", "deviceClass", "startedAt", "lastActivityAt", "lastStep")
      SELECT 'bulk-' || n, 'order_cancellation', NULL, 'DESKTOP', now(), now(), 'detail' FROM generate_series(1, 5000) AS n`;
    const journeyIds = Array.from({ length: 8 }, () => crypto.randomUUID());
    const scans = await database.db.$transaction(async (tx) => {
      // One connection, past the calls after which PostgreSQL may settle on a plan for any values.
      for (const journeyId of journeyIds) {
        await recordStep(tx, ada, { journeyId, type: "order_cancellation", step: "detail", action: "viewed" });
        await storeTransactionTrailNow(tx, ada.userId!);
      }
      const [row] = await tx.$queryRaw<{ seq_scan: bigint }[]>`SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relname = 'Journey'`;
      return Number(row.seq_scan);
    });

    expect(scans).toBe(0);
    for (const journeyId of journeyIds) expect(await trail(journeyId)).toEqual(["detail:VIEWED"]);
  });
});
