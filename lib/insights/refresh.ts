// Keeps the insights current. Triggers (migration insights_rollups) queue an attempt in
// "InsightsStaleAttempt" whenever its events, its journey row or its linked contacts change; this
// job takes a batch from the queue, recomputes those attempts' facts from their raw events, and
// moves each daily rollup by (new facts − old facts), in one transaction. Run every few seconds by
// lib/jobs/duties.ts, and at the end of the demo seed.
//
// Why a queue and a job rather than recomputing inside each trail write: a customer's request
// never waits for the rollups, and rollup rows (today's counters are shared by every attempt of
// the day) are only ever written by one transaction at a time, under an advisory lock, so busy
// ingest never queues up behind them. The price is freshness: a few seconds (the page says so).
import "server-only";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { env } from "@/lib/config/env";
import { attemptFact, rollupRowsOf, type AttemptFact, type AttemptInput, type ContactChannelValue } from "./facts";
import { ATTEMPTS_ROLLUP, DURATIONS_ROLLUP, ERRORS_ROLLUP, SQL_TYPES, rollupDelta, type RollupSpec } from "./rollups";
import type { TrailKind } from "@/lib/trail/store";

export type SqlClient = Pick<Prisma.TransactionClient, "$queryRaw" | "$executeRaw">;

// pg_advisory_xact_lock key: one refresh at a time, across every server process.
const REFRESH_LOCK = 7_315_022_024;

export const DEFAULT_REFRESH_BATCH = 5000;

export type RefreshResult = { attempts: number; batches: number; busy: boolean };

/**
 * Refreshes queued attempts, `batchSize` at a time, until the queue is empty or `maxBatches` ran.
 * `busy` is true when another process was refreshing (this one then did nothing).
 */
export async function refreshInsights(db: Db, options: { batchSize?: number; maxBatches?: number; followUpWindowHours?: number } = {}): Promise<RefreshResult> {
  const batchSize = options.batchSize ?? DEFAULT_REFRESH_BATCH;
  const followUpWindowHours = options.followUpWindowHours ?? env().CONTACT_LINK_WINDOW_HOURS;
  let attempts = 0;
  let batches = 0;
  while (batches < (options.maxBatches ?? Infinity)) {
    const done = await db.$transaction(async (tx) => refreshBatch(tx, batchSize, followUpWindowHours), { maxWait: 10_000, timeout: 120_000 });
    if (done === null) return { attempts, batches, busy: true };
    attempts += done;
    batches++;
    if (done === 0) break;
  }
  return { attempts, batches, busy: false };
}

/**
 * Queues the journeys that have no facts yet: those stored before the insights existed (a database
 * that had a trail before the insights_rollups migration). Cheap once they are counted.
 */
export async function queueUncountedAttempts(db: SqlClient): Promise<number> {
  return db.$executeRaw`
    INSERT INTO "InsightsStaleAttempt" ("journeyId")
    SELECT j."id" FROM "Journey" j
    WHERE NOT EXISTS (SELECT 1 FROM "InsightsAttempt" f WHERE f."journeyId" = j."id")
      AND NOT EXISTS (SELECT 1 FROM "InsightsStaleAttempt" s WHERE s."journeyId" = j."id")`;
}

/** The background duty (lib/jobs/duties.ts): catches up once, then refreshes what is queued. */
export function insightsJob(db: () => Db): () => Promise<void> {
  let caughtUp = false;
  return async () => {
    if (!caughtUp) {
      await queueUncountedAttempts(db());
      caughtUp = true;
    }
    await refreshInsights(db());
  };
}

/** Counting the queue stops here: past it the page only says "more than". */
export const BACKLOG_COUNT_CAP = 100_000;

/**
 * How far behind the pages are: changes queued (up to BACKLOG_COUNT_CAP, so a large backfill
 * cannot slow the pages down) and since when the oldest waits.
 */
export async function refreshBacklog(db: SqlClient, now: Date = new Date()): Promise<{ waiting: number; oldest: Date | null; behindSeconds: number }> {
  const [row] = await db.$queryRaw<{ waiting: number; oldest: Date | null }[]>`
    SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM "InsightsStaleAttempt" LIMIT ${BACKLOG_COUNT_CAP + 1}) AS queued)::int AS waiting,
           (SELECT "markedAt" FROM "InsightsStaleAttempt" ORDER BY "id" LIMIT 1) AS oldest`;
  const behindSeconds = row.oldest ? Math.max(0, Math.round((now.getTime() - row.oldest.getTime()) / 1000)) : 0;
  return { ...row, behindSeconds };
}

async function refreshBatch(tx: Prisma.TransactionClient, batchSize: number, followUpWindowHours: number): Promise<number | null> {
  const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${REFRESH_LOCK}::bigint) AS locked`;
  if (!locked) return null;
  // Taken off the queue first: anything written after this statement queues again and is seen
  // by a later batch, so no change slips between the read below and the queue.
  const taken = await tx.$queryRaw<{ journeyId: string }[]>`
    DELETE FROM "InsightsStaleAttempt" WHERE "journeyId" IN (SELECT "journeyId" FROM "InsightsStaleAttempt" ORDER BY "id" LIMIT ${batchSize})
    RETURNING "journeyId"`;
  const ids = [...new Set(taken.map((t) => t.journeyId))];
  if (ids.length === 0) return 0;

  const [inputs, before] = await Promise.all([loadAttemptInputs(tx, ids), loadFacts(tx, ids)]);
  const after = inputs.map((input) => attemptFact(input, { followUpWindowHours })).filter((f): f is AttemptFact => f !== null);
  const delta = rollupDelta(before.map(rollupRowsOf), after.map(rollupRowsOf));

  const kept = new Set(after.map((f) => f.journeyId));
  const gone = ids.filter((id) => !kept.has(id));
  if (gone.length) await tx.$executeRaw`DELETE FROM "InsightsAttempt" WHERE "journeyId" = ANY(${gone}::text[])`;
  if (after.length) await writeFacts(tx, after);
  await applyDelta(tx, ATTEMPTS_ROLLUP, delta.attempts);
  await applyDelta(tx, DURATIONS_ROLLUP, delta.durations);
  await applyDelta(tx, ERRORS_ROLLUP, delta.errors);
  return ids.length;
}

/** The raw material of attempts' facts: journey rows, their customer, events and linked contacts. */
export async function loadAttemptInputs(db: SqlClient, ids: string[]): Promise<AttemptInput[]> {
  const [journeys, events, contacts] = await Promise.all([
    db.$queryRaw<(AttemptInput["journey"] & { customerSince: Date | null; staff: boolean })[]>`
      SELECT j."id", j."type", j."deviceClass"::text AS "deviceClass", j."startedAt", j."endedAt", j."outcome"::text AS "outcome",
             j."exitChannel"::text AS "exitChannel", u."createdAt" AS "customerSince", COALESCE(u."role" <> 'CUSTOMER', false) AS "staff"
      FROM "Journey" j LEFT JOIN "User" u ON u."id" = j."userId"
      WHERE j."id" = ANY(${ids}::text[])`,
    db.$queryRaw<{ journeyId: string; step: string; kind: TrailKind; errorCode: string | null; occurredAt: Date }[]>`
      SELECT "journeyId", "step", "kind"::text AS "kind", "errorCode", "occurredAt" FROM "TrailEvent" WHERE "journeyId" = ANY(${ids}::text[])`,
    db.$queryRaw<{ journeyId: string; channel: ContactChannelValue; createdAt: Date; resolvedNeed: boolean }[]>`
      SELECT "journeyId", "channel"::text AS "channel", "createdAt", "resolvedNeed" FROM "Contact" WHERE "journeyId" = ANY(${ids}::text[])`,
  ]);
  const eventsOf = groupBy(events, (e) => e.journeyId);
  const contactsOf = groupBy(contacts, (c) => c.journeyId);
  return journeys.map(({ customerSince, staff, ...journey }) => ({
    journey,
    customerSince,
    staff,
    events: eventsOf.get(journey.id) ?? [],
    contacts: contactsOf.get(journey.id) ?? [],
  }));
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

async function loadFacts(db: SqlClient, ids: string[]): Promise<AttemptFact[]> {
  return db.$queryRaw<AttemptFact[]>`
    SELECT "journeyId", "journeyType", to_char("day", 'YYYY-MM-DD') AS "day", "deviceClass"::text AS "deviceClass", "customer"::text AS "customer",
           "level", "outcome"::text AS "outcome", "exitChannel"::text AS "exitChannel", "exitStep", "startedAt", "enteredAt", "endedAt",
           "stepSeconds", "totalSeconds", "errors", "followUps", "followUpResolved"
    FROM "InsightsAttempt" WHERE "journeyId" = ANY(${ids}::text[])`;
}

async function writeFacts(db: SqlClient, facts: AttemptFact[]): Promise<void> {
  await db.$executeRaw`
    INSERT INTO "InsightsAttempt" ("journeyId", "journeyType", "day", "deviceClass", "customer", "level", "outcome", "exitChannel", "exitStep",
                                   "startedAt", "enteredAt", "endedAt", "stepSeconds", "totalSeconds", "errors", "followUps", "followUpResolved", "refreshedAt")
    SELECT f."journeyId", f."journeyType", f."day", f."deviceClass", f."customer", f."level", f."outcome", f."exitChannel", f."exitStep",
           f."startedAt", f."enteredAt", f."endedAt", f."stepSeconds", f."totalSeconds", f."errors", f."followUps", f."followUpResolved", now()
    FROM jsonb_to_recordset(${JSON.stringify(facts)}::jsonb) AS f(
      "journeyId" text, "journeyType" text, "day" date, "deviceClass" "DeviceClass", "customer" "InsightsCustomer", "level" int,
      "outcome" "JourneyOutcome", "exitChannel" "ExitChannel", "exitStep" text, "startedAt" timestamptz, "enteredAt" timestamptz,
      "endedAt" timestamptz, "stepSeconds" int[], "totalSeconds" int, "errors" jsonb, "followUps" int, "followUpResolved" boolean)
    ON CONFLICT ("journeyId") DO UPDATE SET
      "journeyType" = EXCLUDED."journeyType", "day" = EXCLUDED."day", "deviceClass" = EXCLUDED."deviceClass", "customer" = EXCLUDED."customer",
      "level" = EXCLUDED."level", "outcome" = EXCLUDED."outcome", "exitChannel" = EXCLUDED."exitChannel", "exitStep" = EXCLUDED."exitStep",
      "startedAt" = EXCLUDED."startedAt", "enteredAt" = EXCLUDED."enteredAt", "endedAt" = EXCLUDED."endedAt", "stepSeconds" = EXCLUDED."stepSeconds",
      "totalSeconds" = EXCLUDED."totalSeconds", "errors" = EXCLUDED."errors", "followUps" = EXCLUDED."followUps",
      "followUpResolved" = EXCLUDED."followUpResolved", "refreshedAt" = now()`;
}

/** Adds signed measures to a rollup's rows, then removes the rows that came to nothing. */
async function applyDelta<Row extends object>(db: SqlClient, spec: RollupSpec<Row>, rows: Partial<Row>[]): Promise<void> {
  if (rows.length === 0) return;
  const q = (name: string) => `"${name}"`;
  const columns = [...spec.keys, ...spec.measures];
  const recordType = Prisma.raw(columns.map((c) => `${q(c)} ${SQL_TYPES[spec.columns[c]]}`).join(", "));
  const columnList = Prisma.raw(columns.map(q).join(", "));
  const table = Prisma.raw(q(spec.table));
  const keyList = Prisma.raw(spec.keys.map(q).join(", "));
  const additions = Prisma.raw(spec.measures.map((m) => `${q(m)} = t.${q(m)} + EXCLUDED.${q(m)}`).join(", "));
  const sameKey = Prisma.raw(spec.keys.map((k) => `t.${q(k)} = d.${q(k)}`).join(" AND "));
  const nothingLeft = Prisma.raw(spec.measures.map((m) => `t.${q(m)} = 0`).join(" AND "));
  const json = JSON.stringify(rows);
  await db.$executeRaw`
    INSERT INTO ${table} AS t (${columnList}) SELECT ${columnList} FROM jsonb_to_recordset(${json}::jsonb) AS d(${recordType})
    ON CONFLICT (${keyList}) DO UPDATE SET ${additions}`;
  // Only a row that lost something can have come to nothing.
  const shrunk = rows.filter((row) => spec.measures.some((m) => (row[m] as number) < 0));
  if (shrunk.length === 0) return;
  await db.$executeRaw`DELETE FROM ${table} t USING jsonb_to_recordset(${JSON.stringify(shrunk)}::jsonb) AS d(${recordType}) WHERE ${sameKey} AND ${nothingLeft}`;
}
