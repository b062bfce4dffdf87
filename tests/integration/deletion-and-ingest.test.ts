// An account deleted while the customer's browser is still sending its trail: the deletion detaches
// every journey of theirs, and /ingest writes the same journeys. A fresh-clone run once logged
// `deadlock detected` between the two: the batch held its attempt locks and a journey, and waited
// for the account's row (a new journey's key points at it), which the deletion held while it waited
// for that journey. Both must finish, and the deletion detach every journey the batch wrote first.
import crypto from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { deleteAccount, type DeletionResult } from "@/lib/privacy/deletion";
import { createCustomer, trailFor } from "@/lib/privacy/test-fixtures";
import { lockSlot, storeTrailEvents, type TrailEventInput } from "@/lib/trail/store";
import { freshDatabase, type FreshDatabase } from "../support/db";

let database: FreshDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.drop());

type Browser = { distinctId: string; userId: string | null; anonymousId: string | null };

function pageView(journeyId: string, step: string, browser: Browser): TrailEventInput {
  return { id: crypto.randomUUID(), journeyId, journeyType: "profile_update", step, kind: "VIEWED", source: "BROWSER", occurredAt: new Date(), deviceClass: "DESKTOP", properties: {}, ...browser };
}

/** Sessions of this test's database waiting for a lock another holds. */
async function waitingForALock(): Promise<number> {
  const [row] = await database.db.$queryRaw<{ waiting: number }[]>`SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
  return row.waiting;
}

const settled = async <T>(work: Promise<T>): Promise<PromiseSettledResult<T>> => (await Promise.allSettled([work]))[0];
const failureOf = (result: PromiseSettledResult<unknown>) => (result.status === "rejected" ? String(result.reason) : null);

it("a batch of the customer's trail stored while their account is deleted: both finish, and the deletion detaches every journey", async () => {
  const customer = await createCustomer(database.db, "Leaving Customer");
  const signedIn: Browser = { distinctId: customer.analyticsId, userId: customer.id, anonymousId: null };
  const device = crypto.randomUUID();
  const earlier = crypto.randomUUID();
  await storeTrailEvents(database.db, [pageView(earlier, "form", signedIn)]);

  // The batch's transaction: the customer's journey under way, and a tab opened before sign-in whose
  // attempt becomes theirs in the same batch. It takes the attempts' locks and writes the first
  // journey, then (once the deletion is under way and waiting) gives the second journey its owner.
  // In /ingest that is one statement, whose journeys' keys are checked once they are written: two
  // here, so that the deletion starts between them.
  const anotherTab = crypto.randomUUID();
  let deletion: Promise<PromiseSettledResult<DeletionResult>> | undefined;
  const batch = database.db.$transaction(async (tx) => {
    await storeTrailEvents(tx, [pageView(earlier, "saved", signedIn), pageView(anotherTab, "form", { distinctId: device, userId: null, anonymousId: device })]);
    deletion = settled(deleteAccount(database.db, customer.id, trailFor(customer)));
    await expect.poll(waitingForALock, { timeout: 10_000, interval: 20 }).toBeGreaterThan(0);
    await storeTrailEvents(tx, [pageView(anotherTab, "saved", { distinctId: customer.analyticsId, userId: customer.id, anonymousId: device })]);
  }, { timeout: 20_000 });
  const stored = await settled(batch);
  const deleted = await deletion!;

  expect([failureOf(stored), failureOf(deleted)]).toEqual([null, null]);
  expect(deleted).toEqual({ status: "fulfilled", value: { ok: true } });
  expect(await database.db.user.findUniqueOrThrow({ where: { id: customer.id } })).toMatchObject({ status: "DELETED", email: null });
  const journeys = await database.db.journey.findMany({ where: { id: { in: [earlier, anotherTab] } }, select: { id: true, userId: true, outcome: true } });
  expect(journeys).toHaveLength(2);
  expect(journeys.every((j) => j.userId === null && j.outcome === "ABANDONED")).toBe(true);
});

it("a signed-out tab's batch on two of the customer's attempts while their account is deleted: both finish, the attempts detached", async () => {
  const customer = await createCustomer(database.db, "Leaving Customer");
  const device = crypto.randomUUID();
  // Attempts started signed in on this device; the batch that comes after signing out on it names
  // the device only, and still belongs to them. A batch takes its attempts' locks in slot order:
  // written here in two steps, so that the deletion is under way between them, the second attempt
  // is one whose slot comes after the first's, as in one batch.
  const second = crypto.randomUUID();
  let first = crypto.randomUUID();
  while (lockSlot(first) < lockSlot(second)) first = crypto.randomUUID();
  const signedIn: Browser = { distinctId: customer.analyticsId, userId: customer.id, anonymousId: device };
  const signedOut: Browser = { distinctId: device, userId: null, anonymousId: device };
  await storeTrailEvents(database.db, [pageView(first, "form", signedIn)]);
  await storeTrailEvents(database.db, [pageView(second, "form", signedIn)]);

  let deletion: Promise<PromiseSettledResult<DeletionResult>> | undefined;
  const batch = database.db.$transaction(async (tx) => {
    await storeTrailEvents(tx, [pageView(second, "saved", signedOut)]);
    deletion = settled(deleteAccount(database.db, customer.id, trailFor(customer)));
    await expect.poll(waitingForALock, { timeout: 10_000, interval: 20 }).toBeGreaterThan(0);
    await storeTrailEvents(tx, [pageView(first, "saved", signedOut)]);
  }, { timeout: 20_000 });
  const stored = await settled(batch);
  const deleted = await deletion!;

  expect([failureOf(stored), failureOf(deleted)]).toEqual([null, null]);
  expect(deleted).toEqual({ status: "fulfilled", value: { ok: true } });
  const journeys = await database.db.journey.findMany({ where: { id: { in: [first, second] } }, select: { userId: true, outcome: true } });
  expect(journeys).toEqual([{ userId: null, outcome: "ABANDONED" }, { userId: null, outcome: "ABANDONED" }]);
});

it("a batch whose session was checked before the deletion and that arrives after it: its journeys belong to no one", async () => {
  const customer = await createCustomer(database.db, "Leaving Customer");
  const signedIn: Browser = { distinctId: customer.analyticsId, userId: customer.id, anonymousId: null };
  const before = crypto.randomUUID();
  await storeTrailEvents(database.db, [pageView(before, "form", signedIn)]);
  expect(await deleteAccount(database.db, customer.id, trailFor(customer))).toEqual({ ok: true });

  // The same tab's last batch (its attempt, and a new one), sent as the page was left.
  const after = crypto.randomUUID();
  await storeTrailEvents(database.db, [pageView(before, "saved", signedIn), pageView(after, "form", signedIn)]);

  const journeys = await database.db.journey.findMany({ where: { id: { in: [before, after] } }, select: { id: true, userId: true } });
  expect(journeys).toHaveLength(2);
  expect(journeys.filter((j) => j.userId !== null)).toEqual([]);
});
