// The rollups the pages read must give the same numbers as the raw trail, however the events
// arrive: in any order, in pieces, retried, with refreshes in between, and after the changes that
// come without events (failures, sign-ins joining a device to its customer, contacts, deletions).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRandom } from "@/lib/seed/random";
import { emptyChunk, mergeInto, trailHistory, type TrailChunk } from "@/lib/seed/trail";
import { JOURNEY_TYPES } from "@/lib/trail/journeys";
import { lockEveryAttempt, storeTrailEvents } from "@/lib/trail/store";
import { freshDatabase, type FreshDatabase } from "@/tests/support/db";
import { addDays, type InsightsFilter } from "./filters";
import { loadFollowThrough, loadJourney, loadOverview, loadTrend } from "./pages";
import { rawSource } from "./raw-source";
import { insightsJob, refreshBacklog, refreshInsights } from "./refresh";
import { rollupSource } from "./rollup-source";

const DAY = 86_400_000;
const now = new Date();
const today = now.toISOString().slice(0, 10);
let database: FreshDatabase;
let history: TrailChunk;

beforeAll(async () => {
  database = await freshDatabase();
  const rng = createRandom(11);
  const customers = Array.from({ length: 14 }, (_, i) => ({
    id: `rollup_customer_${i}`,
    analyticsId: rng.uuid(),
    // Some joined during the history (new customers, with a sign-up), most long before.
    createdAt: new Date(now.getTime() - (i < 4 ? rng.int(2, 50) : rng.int(100, 900)) * DAY),
  }));
  await database.db.user.createMany({ data: customers.map((c) => ({ ...c, name: `Customer ${c.id}`, email: `${c.id}@example.com` })) });
  await database.db.user.create({ data: { id: "rollup_agent", name: "Agent", email: "rollup-agent@example.com", role: "AGENT" } });
  history = emptyChunk();
  for (const chunk of trailHistory({ seed: 5, now, customers, agentId: "rollup_agent", days: 60, attemptsPerCustomer: 30 })) mergeInto(history, chunk);
}, 60_000);
afterAll(() => database.drop());

async function expectRollupsToMatchRawEvents() {
  await refreshInsights(database.db, { batchSize: 97, followUpWindowHours: 72 });
  expect((await refreshBacklog(database.db)).waiting).toBe(0);
  const raw = await rawSource(database.db, { followUpWindowHours: 72 });
  const rollups = rollupSource(database.db);
  const everything: InsightsFilter = { from: addDays(today, -70), to: today, device: null, customer: null, journeyType: null };
  const filters: InsightsFilter[] = [
    everything,
    { ...everything, device: "MOBILE" },
    { ...everything, customer: "NEW" },
    { ...everything, customer: "SIGNED_OUT", device: "DESKTOP" },
    { ...everything, from: addDays(today, -20), to: addDays(today, -3) },
  ];
  for (const filter of filters) {
    expect(await loadOverview(rollups, filter)).toEqual(await loadOverview(raw, filter));
    expect(await loadFollowThrough(rollups, filter)).toEqual(await loadFollowThrough(raw, filter));
    for (const granularity of ["day", "week"] as const) expect(await loadTrend(rollups, filter, granularity)).toEqual(await loadTrend(raw, filter, granularity));
    for (const type of JOURNEY_TYPES) expect(await loadJourney(rollups, type, filter)).toEqual(await loadJourney(raw, type, filter));
  }
  const leftovers = await database.db.$queryRaw<{ n: number }[]>`
    SELECT (SELECT COUNT(*) FROM "InsightsDailyAttempts" WHERE "attempts" <= 0) + (SELECT COUNT(*) FROM "InsightsDailyDurations" WHERE "attempts" <= 0)
         + (SELECT COUNT(*) FROM "InsightsDailyErrors" WHERE "attempts" <= 0)::int AS n`;
  expect(Number(leftovers[0].n)).toBe(0);
}

describe("rollups against the raw trail", () => {
  it("agree when events arrive shuffled, in pieces, some twice, with refreshes in between", async () => {
    const rng = createRandom(3);
    const shuffled = rng.sample(history.events, history.events.length);
    for (let i = 0; i < shuffled.length; ) {
      const size = rng.int(1, 400);
      const batch = shuffled.slice(i, i + size);
      await database.db.$transaction((tx) => storeTrailEvents(tx, batch));
      if (rng.chance(0.2)) await database.db.$transaction((tx) => storeTrailEvents(tx, batch.slice(0, rng.int(1, batch.length))));
      if (rng.chance(0.3)) await refreshInsights(database.db, { batchSize: rng.int(5, 200), maxBatches: rng.int(1, 3), followUpWindowHours: 72 });
      i += size;
    }
    await expectRollupsToMatchRawEvents();
  }, 120_000);

  it("agree after changes that come without events: failures, contacts, sign-ins, deletions", async () => {
    await database.db.journey.updateMany({ where: { id: { in: history.failedJourneyIds }, outcome: "ABANDONED" }, data: { outcome: "FAILED" } });
    await database.db.contact.createMany({ data: history.contacts });
    await expectRollupsToMatchRawEvents();

    // A device's signed-out attempts join its customer at sign-in; a contact is unlinked; attempts are deleted.
    const anonymous = await database.db.journey.findMany({ where: { userId: null }, take: 5, select: { id: true } });
    await database.db.journey.updateMany({ where: { id: { in: anonymous.map((j) => j.id) } }, data: { userId: "rollup_customer_0" } });
    const contact = await database.db.contact.findFirstOrThrow({ where: { journeyId: { not: null } } });
    await database.db.contact.update({ where: { id: contact.id }, data: { journeyId: null } });
    const doomed = await database.db.journey.findMany({ where: { outcome: "EXITED" }, take: 3, select: { id: true } });
    await database.db.journey.deleteMany({ where: { id: { in: doomed.map((j) => j.id) } } });
    await expectRollupsToMatchRawEvents();
  }, 120_000);

  it("agree when a transaction changes a journey after storing trail, as an account's deletion does", async () => {
    // trail_store queues its own journeys while the triggers step aside: a write after it in the
    // same transaction must be queued by the triggers again.
    await refreshInsights(database.db, { batchSize: 500, followUpWindowHours: 72 });
    const journey = await database.db.journey.findFirstOrThrow({ where: { userId: { not: null }, outcome: "COMPLETED" }, select: { id: true } });
    await database.db.$transaction(async (tx) => {
      await lockEveryAttempt(tx);
      await tx.journey.update({ where: { id: journey.id }, data: { userId: null } });
    });
    const queued = await database.db.$queryRaw<{ journeyId: string }[]>`SELECT "journeyId" FROM "InsightsStaleAttempt"`;
    expect(queued.map((q) => q.journeyId)).toEqual([journey.id]);
    await expectRollupsToMatchRawEvents();
  }, 120_000);

  it("catch up with a trail stored before the insights existed", async () => {
    await database.db.$executeRaw`TRUNCATE "InsightsAttempt", "InsightsDailyAttempts", "InsightsDailyDurations", "InsightsDailyErrors", "InsightsStaleAttempt"`;
    await insightsJob(() => database.db)();
    await expectRollupsToMatchRawEvents();
  }, 120_000);
});
