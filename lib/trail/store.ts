// The one write path of the trail, for browser batches and server-side steps alike: journeys
// upserted, events inserted once (their client-generated id is the key), and the PostHog copy
// queued in the outbox, all inside the caller's transaction.
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { applyAttemptRule, hasEnded, nextAttemptId, type AttemptOutcome, type AttemptState } from "./attempts";
import { EXIT_CHANNELS, JOURNEYS, type ExitChannel, type JourneyType } from "./journeys";

type Tx = Prisma.TransactionClient;

export type TrailKind = "VIEWED" | "COMPLETED" | "ERROR" | "EXITED" | "ABANDONED" | "INTERVENTION" | "OVERRIDE" | "RAGE_TAP";
export type DeviceClassValue = "MOBILE" | "TABLET" | "DESKTOP";

export type TrailEventInput = {
  id: string;
  journeyId: string;
  journeyType: JourneyType;
  step: string;
  kind: TrailKind;
  errorCode?: string | null;
  channel?: ExitChannel | null;
  source: "BROWSER" | "SERVER";
  occurredAt: Date;
  distinctId: string;
  userId?: string | null;
  anonymousId?: string | null;
  sessionId?: string | null;
  deviceClass: DeviceClassValue;
  properties: Record<string, string | number | boolean | null>;
  /** The PostHog copy (event name and properties); omitted when the customer declined analytics. */
  forward?: { event: string; properties: Record<string, unknown> } | null;
};

type JourneyOutcomeValue = "IN_PROGRESS" | "COMPLETED" | "EXITED" | "ABANDONED";

type JourneyChange = {
  id: string;
  type: JourneyType;
  userId: string | null;
  anonymousId: string | null;
  sessionId: string | null;
  deviceClass: DeviceClassValue;
  firstAt: Date;
  lastAt: Date;
  lastStep: string;
  outcome: JourneyOutcomeValue;
  exitChannel: ExitChannel | null;
};

const OUTCOME_RANK: Record<JourneyOutcomeValue, number> = { IN_PROGRESS: 0, ABANDONED: 1, EXITED: 2, COMPLETED: 3 };

function outcomeOf(event: TrailEventInput): JourneyOutcomeValue {
  if (event.kind === "EXITED") return "EXITED";
  if (event.kind === "ABANDONED") return "ABANDONED";
  const steps = JOURNEYS[event.journeyType].steps as readonly string[];
  if (event.kind === "COMPLETED" && event.step === steps[steps.length - 1]) return "COMPLETED";
  return "IN_PROGRESS";
}

/** Folds a batch into one change per journey, so the batch costs one upsert per journey. */
export function summariseJourneys(events: TrailEventInput[]): JourneyChange[] {
  const byJourney = new Map<string, JourneyChange>();
  for (const event of [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime())) {
    const outcome = outcomeOf(event);
    const current = byJourney.get(event.journeyId);
    if (!current) {
      byJourney.set(event.journeyId, {
        id: event.journeyId,
        type: event.journeyType,
        userId: event.userId ?? null,
        anonymousId: event.anonymousId ?? null,
        sessionId: event.sessionId ?? null,
        deviceClass: event.deviceClass,
        firstAt: event.occurredAt,
        lastAt: event.occurredAt,
        lastStep: event.step,
        outcome,
        exitChannel: event.channel ?? null,
      });
      continue;
    }
    current.lastAt = event.occurredAt;
    current.lastStep = event.step;
    current.userId ??= event.userId ?? null;
    current.anonymousId ??= event.anonymousId ?? null;
    if (OUTCOME_RANK[outcome] >= OUTCOME_RANK[current.outcome]) {
      current.outcome = outcome;
      if (outcome === "EXITED") current.exitChannel = event.channel ?? null;
    }
  }
  return [...byJourney.values()];
}

/** An event PostHog should get that is not a trail step ($pageview, $identify, …). */
export type ForwardOnlyEvent = { id: string; distinctId: string; occurredAt: Date; event: string; properties: Record<string, unknown> };

function forwardPayload(id: string, distinctId: string, occurredAt: Date, forward: { event: string; properties: Record<string, unknown> }) {
  return JSON.stringify({ uuid: id, event: forward.event, distinctId, timestamp: occurredAt.toISOString(), properties: forward.properties });
}

/**
 * Takes the batch's attempt locks, then reads what is stored of the attempts it names and of the
 * attempts that followed the ended ones, for the rule (lib/trail/attempts.ts). The locks and the
 * first read are one round trip (the trail_lock_attempts function); each further link of the
 * chain, rare, is one more query.
 */
async function lockedAttemptStates(db: Tx, journeyIds: string[]): Promise<Map<string, AttemptState>> {
  // One of 64 lock slots per attempt, taken in order: a bulk batch (the demo seed) holds at most 64
  // locks, and two batches for different attempts rarely share a slot.
  const slots = [...new Set(journeyIds.map(lockSlot))].sort((a, b) => a - b);
  const states = new Map<string, AttemptState>();
  let found = await storedAttempts(db.$queryRaw<AttemptRow[]>`SELECT * FROM trail_lock_attempts(${slots}::int[], ${journeyIds}::text[])`);
  for (;;) {
    for (const [id, state] of found) states.set(id, state);
    const pending = [...found].filter(([, state]) => hasEnded(state)).map(([id]) => nextAttemptId(id)).filter((id) => !states.has(id));
    if (!pending.length) return states;
    found = await storedAttempts(db.$queryRaw<AttemptRow[]>`SELECT * FROM trail_lock_attempts('{}'::int[], ${pending}::text[])`);
  }
}

type AttemptRow = { attempt_id: string; attempt_type: string; user_id: string | null; anonymous_id: string | null; outcome: AttemptOutcome; ended_at: Date | null; viewed: string[] };

async function storedAttempts(rows: Promise<AttemptRow[]>): Promise<Map<string, AttemptState>> {
  return new Map(
    (await rows).map((row) => [row.attempt_id, { type: row.attempt_type, userId: row.user_id, anonymousId: row.anonymous_id, outcome: row.outcome, endedAt: row.ended_at, viewed: new Set(row.viewed) }]),
  );
}

/** `storedIds`: the events new to the trail; `refusedIds`: those the journey rule refused. */
export type StoreResult = { stored: number; refused: number; storedIds: string[]; refusedIds: string[] };

/**
 * Stores a batch in ONE statement (journeys upserted, new events inserted, their PostHog copies
 * queued), which is atomic on its own; inside a caller's transaction it joins that transaction.
 * First the journey rule decides what each attempt keeps (lib/trail/attempts.ts): events for
 * someone else's attempt are refused, and a task's outcome is recorded as its last step's view
 * then its completion. Returns how many events were new (retried ids are skipped, never doubled)
 * and how many were refused. A later journey outcome never downgrades an earlier one:
 * COMPLETED > EXITED > ABANDONED > IN_PROGRESS.
 */
export async function storeTrailEvents(db: Tx | Db, incoming: TrailEventInput[], forwardOnly: ForwardOnlyEvent[] = []): Promise<StoreResult> {
  if (incoming.length === 0 && forwardOnly.length === 0) return { stored: 0, refused: 0, storedIds: [], refusedIds: [] };
  // The rule reads what an attempt already holds, then writes: two batches for one attempt (a
  // browser batch and a server step arriving together) take turns, or both would count a view.
  // A transaction client has $transaction too (it nests a savepoint, two more round trips): only
  // the top-level client, the one that can $connect, opens a transaction of its own.
  if (isTopLevel(db)) return db.$transaction((tx) => storeLocked(tx, incoming, forwardOnly));
  return storeLocked(db, incoming, forwardOnly);
}

function isTopLevel(db: Tx | Db): db is Db {
  return typeof (db as Partial<Db>).$connect === "function";
}

async function storeLocked(db: Tx, incoming: TrailEventInput[], forwardOnly: ForwardOnlyEvent[]): Promise<StoreResult> {
  const journeyIds = [...new Set(incoming.map((e) => e.journeyId))];
  const { events, refused } = applyAttemptRule(incoming, journeyIds.length ? await lockedAttemptStates(db, journeyIds) : new Map());
  const journeys = summariseJourneys(events);
  const forwarded = events.filter((e) => e.forward);
  const [{ storedIds }] = await db.$queryRaw<{ storedIds: string[] }[]>`
    WITH journeys AS (
      INSERT INTO "Journey" ("id", "type", "userId", "anonymousId", "sessionId", "deviceClass", "startedAt", "lastActivityAt", "lastStep", "outcome", "exitChannel", "endedAt")
      SELECT j.id, j.type, j.user_id, j.anonymous_id, j.session_id, j.device_class::"DeviceClass", j.first_at, j.last_at, j.last_step,
             j.outcome::"JourneyOutcome", j.exit_channel::"ExitChannel", CASE WHEN j.outcome = 'IN_PROGRESS' THEN NULL ELSE j.last_at END
      FROM unnest(${journeys.map((j) => j.id)}::text[], ${journeys.map((j) => j.type)}::text[], ${journeys.map((j) => j.userId)}::text[],
                  ${journeys.map((j) => j.anonymousId)}::text[], ${journeys.map((j) => j.sessionId)}::text[], ${journeys.map((j) => j.deviceClass)}::text[],
                  ${journeys.map((j) => j.firstAt.toISOString())}::timestamptz[], ${journeys.map((j) => j.lastAt.toISOString())}::timestamptz[], ${journeys.map((j) => j.lastStep)}::text[],
                  ${journeys.map((j) => j.outcome)}::text[], ${journeys.map((j) => j.exitChannel)}::text[])
        AS j(id, type, user_id, anonymous_id, session_id, device_class, first_at, last_at, last_step, outcome, exit_channel)
      ON CONFLICT ("id") DO UPDATE SET
        "userId" = COALESCE("Journey"."userId", EXCLUDED."userId"),
        "anonymousId" = COALESCE("Journey"."anonymousId", EXCLUDED."anonymousId"),
        "startedAt" = LEAST("Journey"."startedAt", EXCLUDED."startedAt"),
        "lastStep" = CASE WHEN EXCLUDED."lastActivityAt" >= "Journey"."lastActivityAt" THEN EXCLUDED."lastStep" ELSE "Journey"."lastStep" END,
        "lastActivityAt" = GREATEST("Journey"."lastActivityAt", EXCLUDED."lastActivityAt"),
        "outcome" = CASE WHEN ${outcomeRankSql('EXCLUDED."outcome"')} >= ${outcomeRankSql('"Journey"."outcome"')} THEN EXCLUDED."outcome" ELSE "Journey"."outcome" END,
        "exitChannel" = CASE WHEN EXCLUDED."outcome" = 'EXITED' AND "Journey"."outcome" <> 'COMPLETED' THEN EXCLUDED."exitChannel" ELSE "Journey"."exitChannel" END,
        "endedAt" = CASE WHEN EXCLUDED."outcome" = 'IN_PROGRESS' THEN "Journey"."endedAt" ELSE GREATEST("Journey"."endedAt", EXCLUDED."endedAt") END
      RETURNING 1
    ), inserted AS (
      INSERT INTO "TrailEvent" ("id", "journeyId", "journeyType", "step", "kind", "errorCode", "channel", "source", "occurredAt", "distinctId", "properties")
      SELECT e.id, e.journey_id, e.journey_type, e.step, e.kind::"TrailEventKind", e.error_code, e.channel::"ExitChannel", e.source::"TrailSource",
             e.occurred_at, e.distinct_id, e.properties
      FROM unnest(${events.map((e) => e.id)}::text[], ${events.map((e) => e.journeyId)}::text[], ${events.map((e) => e.journeyType)}::text[],
                  ${events.map((e) => e.step)}::text[], ${events.map((e) => e.kind)}::text[], ${events.map((e) => e.errorCode ?? null)}::text[],
                  ${events.map((e) => e.channel ?? null)}::text[], ${events.map((e) => e.source)}::text[], ${events.map((e) => e.occurredAt.toISOString())}::timestamptz[],
                  ${events.map((e) => e.distinctId)}::text[], ${events.map((e) => JSON.stringify(e.properties))}::jsonb[])
        AS e(id, journey_id, journey_type, step, kind, error_code, channel, source, occurred_at, distinct_id, properties)
      ON CONFLICT ("id") DO NOTHING
      RETURNING "id"
    ), forwards AS (
      -- Only events stored just now get a PostHog copy (a retried batch queues nothing twice);
      -- events that are not trail steps are deduplicated by the outbox's own key.
      SELECT f.id, f.payload FROM unnest(${forwarded.map((e) => e.id)}::text[], ${forwarded.map((e) => forwardPayload(e.id, e.distinctId, e.occurredAt, e.forward!))}::jsonb[]) AS f(id, payload)
      WHERE f.id IN (SELECT "id" FROM inserted)
      UNION ALL
      SELECT p.id, p.payload FROM unnest(${forwardOnly.map((e) => e.id)}::text[], ${forwardOnly.map((e) => forwardPayload(e.id, e.distinctId, e.occurredAt, e))}::jsonb[]) AS p(id, payload)
    ), queued AS (
      INSERT INTO "OutboxMessage" ("id", "topic", "dedupeKey", "payload")
      SELECT gen_random_uuid()::text, 'posthog', 'posthog:' || id, payload FROM forwards
      ON CONFLICT ("dedupeKey") DO NOTHING
      RETURNING 1
    )
    SELECT COALESCE((SELECT array_agg("id") FROM inserted), '{}') AS "storedIds", (SELECT count(*) FROM journeys)::int AS journeys, (SELECT count(*) FROM queued)::int AS queued`;
  return { stored: storedIds.length, refused: refused.length, storedIds, refusedIds: refused.map((e) => e.id) };
}

function outcomeRankSql(column: string) {
  return Prisma.raw(`CASE ${column} WHEN 'COMPLETED' THEN 3 WHEN 'EXITED' THEN 2 WHEN 'ABANDONED' THEN 1 ELSE 0 END`);
}

export function isExitChannel(value: unknown): value is ExitChannel {
  return typeof value === "string" && (EXIT_CHANNELS as readonly string[]).includes(value);
}

function lockSlot(journeyId: string): number {
  return crypto.createHash("sha1").update(journeyId).digest().readUInt8(0) % 64;
}
