// A task's trail steps commit with it as intents and are stored in the trail right after the commit
// (lib/trail/store.ts, queueTrailEvents): the customer's answer does not wait for the trail's rows,
// nothing is lost when the process stops in between, and a browser batch that arrives first does
// not change where the journey rule places its steps.
import crypto from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { backgroundWorkSettled, createDb, type Db } from "@/lib/db/client";
import { cancelOrderLines } from "@/lib/orders/cancellation";
import { changeDeliveryAddress } from "@/lib/orders/delivery-address";
import { nextAttemptId } from "@/lib/trail/attempts";
import { attemptOfStep, recordStep, serverStepEvent, type TrailActor } from "@/lib/trail/server";
import { lockSlot, storeLeftIntents, storeTrailEvents } from "@/lib/trail/store";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { createCustomer, createOrder } from "../support/orders";
import { queuedPostHogEvents } from "../support/posthog-queue";

let database: FreshDatabase;
/** A client as the portal's processes make it: what a commit leaves for later runs in the background. */
let portal: Db;

beforeAll(async () => {
  database = await freshDatabase();
  portal = createDb(database.url, 2, { afterCommit: "background" });
});
afterAll(async () => {
  await backgroundWorkSettled();
  await portal.$disconnect();
  await database.drop();
});

const NEW_ADDRESS = { fullName: "Ada Lovelace", line1: "2 New Road", line2: null, city: "London", region: null, postalCode: "WC1N 1AP", country: "GB" as const, phone: null, isDefaultShipping: false, isDefaultBilling: false };

async function customerWithOrder() {
  const user = await createCustomer(database.db, "Ada");
  const order = await createOrder(database.db, user.id);
  const actor: TrailActor = { userId: user.id, distinctId: user.analyticsId, anonymousId: null, deviceClass: "MOBILE", consent: true };
  return { user, order, actor, journeyId: crypto.randomUUID() };
}

const trail = async (journeyId: string) =>
  (await database.db.trailEvent.findMany({ where: { journeyId }, orderBy: [{ occurredAt: "asc" }, { receivedAt: "asc" }] })).map((e) => `${e.step}:${e.kind}`);
const intents = (journeyId: string) => database.db.trailIntent.count({ where: { journeyId } });

/**
 * Runs `work` while another connection holds the attempt's trail lock, so whatever would store the
 * attempt's trail waits: what `work` sees is the moment between a task's commit and its trail.
 */
async function withAttemptLocked<T>(journeyId: string, work: (holder: pg.Client) => Promise<T>): Promise<T> {
  const holder = new pg.Client({ connectionString: database.url });
  await holder.connect();
  try {
    await holder.query("SELECT pg_advisory_lock(7261003, $1)", [lockSlot(journeyId)]);
    return await work(holder);
  } finally {
    await holder.query("SELECT pg_advisory_unlock_all()");
    await holder.end();
  }
}

/** Ends the connection that is storing a trail (waiting on the lock): its process stopping before the trail was stored. */
async function stopTheTrailWriter(holder: pg.Client) {
  const waiting = async () =>
    (await holder.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory' AND query LIKE '%trail_store%'`)).rows;
  await expect.poll(async () => (await waiting()).length).toBe(1);
  await holder.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = $1", [(await waiting())[0].pid]);
}

/**
 * Runs a task whose process stops before storing its trail: the task commits while the attempt's
 * lock is held elsewhere, and the connection waiting to store its step is ended (which the process
 * reports in one line).
 */
async function withTrailWriterStopped<T>(journeyId: string, task: () => Promise<T>): Promise<T> {
  const warned = vi.spyOn(console, "warn").mockImplementation(() => undefined);
  try {
    const result = await withAttemptLocked(journeyId, async (holder) => {
      const result = await task();
      await stopTheTrailWriter(holder);
      return result;
    });
    await backgroundWorkSettled();
    expect(warned).toHaveBeenCalledWith(expect.stringContaining("[waymark] work after a commit failed"));
    return result;
  } finally {
    warned.mockRestore();
  }
}

describe("a task's trail step, committed with the task and stored after it", () => {
  it("answers the customer before the trail has stored the step, and stores it right after", async () => {
    const { user, order, actor, journeyId } = await customerWithOrder();

    const outcome = await withAttemptLocked(journeyId, async () => {
      const outcome = await changeDeliveryAddress(portal, { userId: user.id, orderNumber: order.number, to: { address: NEW_ADDRESS }, journeyId, actor });
      // Answered while the trail cannot be written: the step waits as an intent, committed with the address.
      expect(await intents(journeyId)).toBe(1);
      expect(await trail(journeyId)).toEqual([]);
      expect((await database.db.order.findUniqueOrThrow({ where: { id: order.id } })).shippingAddress).toMatchObject({ line1: "2 New Road" });
      return outcome;
    });
    await backgroundWorkSettled();

    expect(outcome).toEqual({ ok: true });
    expect(await trail(journeyId)).toContain("confirmation:COMPLETED");
    expect((await database.db.journey.findUniqueOrThrow({ where: { id: journeyId } })).outcome).toBe("COMPLETED");
    expect(await intents(journeyId)).toBe(0);
  });

  it("leaves nothing of a task that rolled back", async () => {
    const { actor, journeyId } = await customerWithOrder();
    await expect(
      portal.$transaction(async (tx) => {
        await recordStep(tx, actor, { journeyId, type: "delivery_address_change", step: "confirmation", action: "completed" });
        throw new Error("the address could not be saved");
      }),
    ).rejects.toThrow("the address could not be saved");
    await backgroundWorkSettled();
    expect(await intents(journeyId)).toBe(0);
    expect(await database.db.journey.count({ where: { id: journeyId } })).toBe(0);
  });

  it("loses nothing when the process stops before storing it: the attempt's next batch stores it first, in time order", async () => {
    const { user, order, actor, journeyId } = await customerWithOrder();
    await withTrailWriterStopped(journeyId, () => changeDeliveryAddress(portal, { userId: user.id, orderNumber: order.number, to: { address: NEW_ADDRESS }, journeyId, actor }));
    expect(await intents(journeyId)).toBe(1);
    const completion = (await database.db.trailIntent.findFirstOrThrow({ where: { journeyId } })).payload;

    // The customer, back on the order a moment later, starts the task again: that view belongs to a
    // new attempt, since the first one was completed (what it would not be, stored before the completion).
    const again = { ...serverStepEvent(actor, { journeyId, type: "delivery_address_change", step: "detail", action: "viewed" }), source: "BROWSER" as const };
    const result = await storeTrailEvents(database.db, [again]);

    expect(result).toMatchObject({ stored: 1, refused: 0, storedIds: [again.id] });
    expect(await intents(journeyId)).toBe(0);
    expect((await database.db.journey.findUniqueOrThrow({ where: { id: journeyId } })).outcome).toBe("COMPLETED");
    expect(await trail(journeyId)).toContain("confirmation:COMPLETED");
    expect(await trail(nextAttemptId(journeyId))).toEqual(["detail:VIEWED"]);
    // The completion's PostHog copy is queued once, and the view's too.
    const copies = await queuedPostHogEvents(database.db);
    const completions = copies.filter((e) => e.properties.journey_id === journeyId && e.event === "delivery_address_change_confirmation_completed");
    expect(completions).toHaveLength(1);
    expect(completion).toContain(completions[0].uuid);
    expect(copies.filter((e) => e.uuid === again.id)).toHaveLength(1);
  });

  it("is stored by the worker's duty when nothing else writes the attempt", async () => {
    const { user, order, actor, journeyId } = await customerWithOrder();
    await withTrailWriterStopped(journeyId, () => changeDeliveryAddress(portal, { userId: user.id, orderNumber: order.number, to: { address: NEW_ADDRESS }, journeyId, actor }));

    // Younger than the grace the duty leaves a process to store its own: untouched.
    expect(await storeLeftIntents(database.db, new Date(Date.now() - 60_000))).toBe(0);
    expect(await intents(journeyId)).toBe(1);
    expect(await storeLeftIntents(database.db, new Date(Date.now() + 1000))).toBeGreaterThanOrEqual(1);

    expect(await intents(journeyId)).toBe(0);
    expect((await database.db.journey.findUniqueOrThrow({ where: { id: journeyId } })).outcome).toBe("COMPLETED");
  });

  it("is stored before help in place reads the attempt: the refusal a moment ago counts", async () => {
    const { user, actor, journeyId } = await customerWithOrder();
    const shipped = await createOrder(database.db, user.id, { status: "SHIPPED" });
    const refused = await withTrailWriterStopped(journeyId, () => changeDeliveryAddress(portal, { userId: user.id, orderNumber: shipped.number, to: { address: NEW_ADDRESS }, journeyId, actor }));
    expect(refused).toMatchObject({ ok: false });
    expect(await intents(journeyId)).toBe(1);

    expect(await attemptOfStep(database.db, journeyId, "address")).toMatchObject({ id: journeyId, userId: user.id });
    expect(await intents(journeyId)).toBe(0);
    expect(await database.db.trailEvent.count({ where: { journeyId, kind: "ERROR", step: "address" } })).toBe(1);
  });

  it("is found by a replayed cancellation before the trail has stored it: the replay changes nothing", async () => {
    const { user, order, actor, journeyId } = await customerWithOrder();
    const request = { lines: [{ lineId: order.lines[0].id, quantity: 1 }] };
    const [first, replay] = await withAttemptLocked(journeyId, async () => {
      const first = await cancelOrderLines(portal, { userId: user.id, orderNumber: order.number, request, journeyId, actor });
      const replay = await cancelOrderLines(portal, { userId: user.id, orderNumber: order.number, request, journeyId, actor });
      expect(await trail(journeyId)).toEqual([]);
      return [first, replay];
    });
    await backgroundWorkSettled();

    expect(first).toMatchObject({ ok: true, replayed: false });
    expect(replay).toMatchObject({ ok: true, replayed: true, refundMinor: 0 });
    expect((await database.db.orderLine.findUniqueOrThrow({ where: { id: order.lines[0].id } })).cancelledQuantity).toBe(1);
    expect(await trail(journeyId)).toContain("confirmation:COMPLETED");
  });

  it("is no replay of another customer's form: a cancellation carrying someone else's attempt id goes through", async () => {
    const ada = await customerWithOrder();
    const grace = await customerWithOrder();
    const adaRequest = { lines: [{ lineId: ada.order.lines[0].id, quantity: 1 }] };
    await withAttemptLocked(ada.journeyId, async () => {
      expect(await cancelOrderLines(portal, { userId: ada.user.id, orderNumber: ada.order.number, request: adaRequest, journeyId: ada.journeyId, actor: ada.actor })).toMatchObject({ ok: true, replayed: false });
      // Grace's form names Ada's attempt, whose completion is still on its way into the trail.
      const graceRequest = { lines: [{ lineId: grace.order.lines[0].id, quantity: 1 }] };
      expect(await cancelOrderLines(portal, { userId: grace.user.id, orderNumber: grace.order.number, request: graceRequest, journeyId: ada.journeyId, actor: grace.actor })).toMatchObject({ ok: true, replayed: false });
    });
    await backgroundWorkSettled();
    expect((await database.db.orderLine.findUniqueOrThrow({ where: { id: grace.order.lines[0].id } })).cancelledQuantity).toBe(1);
    // Once stored, Ada's completion is not Grace's either.
    const again = { lines: [{ lineId: grace.order.lines[0].id, quantity: 1 }] };
    expect(await cancelOrderLines(portal, { userId: grace.user.id, orderNumber: grace.order.number, request: again, journeyId: ada.journeyId, actor: grace.actor })).toMatchObject({ ok: true, replayed: false });
  });

  it("left by a stopped process beside one the trail cannot take, is stored by the duty all the same", async () => {
    const { user, order, actor, journeyId } = await customerWithOrder();
    await withTrailWriterStopped(journeyId, () => changeDeliveryAddress(portal, { userId: user.id, orderNumber: order.number, to: { address: NEW_ADDRESS }, journeyId, actor }));
    // An intent no trail row can hold (a NUL byte, which PostgreSQL's text refuses), older than the task's.
    const unstorable = serverStepEvent({ ...actor, anonymousId: "dev\u0000ice" }, { journeyId: crypto.randomUUID(), type: "profile_update", step: "form", action: "viewed" });
    const poison = JSON.stringify({ incoming: [unstorable], forwardOnly: [] });
    await database.db.trailIntent.create({ data: { journeyId: unstorable.journeyId, id: crypto.randomUUID(), payload: poison, createdAt: new Date(Date.now() - 120_000) } });
    // And one that is not even JSON.
    const unreadable = crypto.randomUUID();
    await database.db.trailIntent.create({ data: { journeyId: unreadable, id: crypto.randomUUID(), payload: "{not json", createdAt: new Date(Date.now() - 120_000) } });

    const warned = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      // The task's intent stored; the two others reported, left, and not counted (the duty stops there).
      expect(await storeLeftIntents(database.db, new Date(Date.now() + 1000))).toBe(1);
      expect(warned).toHaveBeenCalledWith(expect.stringContaining(`a trail intent of attempt ${unstorable.journeyId} could not be stored`));
      expect(warned).toHaveBeenCalledWith(expect.stringContaining(`a trail intent of attempt ${unreadable} could not be stored`));
    } finally {
      warned.mockRestore();
    }
    expect(await intents(journeyId)).toBe(0);
    expect((await database.db.journey.findUniqueOrThrow({ where: { id: journeyId } })).outcome).toBe("COMPLETED");
    expect(await intents(unstorable.journeyId)).toBe(1);
    await database.db.trailIntent.deleteMany({ where: { journeyId: { in: [unstorable.journeyId, unreadable] } } });
  });
});
