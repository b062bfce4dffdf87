// The trail store's one-round-trip path (lib/trail/store.ts, trail_store): the attempt rule is
// applied to what this process last saw of an attempt, and the write happens only if that is still
// what is stored. When another process (another web replica, a worker) changed the attempt since,
// the rule must be applied to what is really stored, refusals included, and nothing doubled.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "@/lib/generated/prisma/client";
import { nextAttemptId } from "@/lib/trail/attempts";
import { recordStep, type TrailActor } from "@/lib/trail/server";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { queuedPostHogEvents } from "../support/posthog-queue";

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

/** A task's transaction that records one step, and how many statements the trail sent in it. */
async function stepInTask(actor: TrailActor, step: Parameters<typeof recordStep>[2], at?: Date) {
  let statements = 0;
  const id = await database.db.$transaction(async (tx) => {
    const counting = new Proxy(tx, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== "$queryRaw") return value;
        return (...args: unknown[]) => {
          statements++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as Prisma.TransactionClient;
    return recordStep(counting, actor, step, at);
  });
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
