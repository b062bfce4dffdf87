// The one write path of the trail, for browser batches and server-side steps alike: journeys
// upserted, events inserted once (their client-generated id is the key), and the PostHog copy
// queued in the outbox. A task's steps commit with it as intents and are stored right after
// (queueTrailEvents); everything else is stored at once, in the caller's transaction if any.
import crypto from "node:crypto";
import { pendingBeforeCommit, runAfterCommit, takeBeforeCommit } from "@/lib/db/before-commit";
import { clientOf, queryDirect, type Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
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

// As trail_outcome_rank ranks them in the database (a sweep's FAILED ranks with IN_PROGRESS).
const OUTCOME_RANK: Record<AttemptOutcome, number> = { IN_PROGRESS: 0, FAILED: 0, ABANDONED: 1, EXITED: 2, COMPLETED: 3 };

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
  return { uuid: id, event: forward.event, distinctId, timestamp: occurredAt.toISOString(), properties: forward.properties };
}

// What this process last saw stored of recent attempts: the expectation trail_store checks, so a
// batch for an attempt this process wrote (a tab's next batch, a task's step after its pages'
// views) is stored in one round trip. A wrong or missing entry only costs a second round trip.
const ATTEMPTS_SEEN_MAX = 10_000;
const attemptsSeen = new Map<string, AttemptState>();

function remember(states: Map<string, AttemptState | null>) {
  for (const [id, state] of states) {
    attemptsSeen.delete(id);
    if (state) attemptsSeen.set(id, state);
  }
  for (const id of attemptsSeen.keys()) {
    if (attemptsSeen.size <= ATTEMPTS_SEEN_MAX) break;
    attemptsSeen.delete(id);
  }
}

/**
 * The attempts the rule will read for these journeys, as far as `known` (null: not stored) and
 * then this process's memory tell: each journey's attempt, and after an ended one the next.
 */
function expectedAttempts(journeyIds: string[], known: Map<string, AttemptState | null>): Map<string, AttemptState | null> {
  const expected = new Map<string, AttemptState | null>();
  let pending = journeyIds;
  while (pending.length) {
    const next: string[] = [];
    for (const id of pending) {
      if (expected.has(id)) continue;
      const state = known.has(id) ? known.get(id)! : (attemptsSeen.get(id) ?? null);
      expected.set(id, state);
      if (state && hasEnded(state)) next.push(nextAttemptId(id));
    }
    pending = next;
  }
  return expected;
}

type StateRow = { id: string; type: string; userId: string | null; anonymousId: string | null; outcome: AttemptOutcome; endedAt: string | null; viewed: string[] };

function statesOf(ids: Iterable<string>, rows: StateRow[]): Map<string, AttemptState | null> {
  const states = new Map<string, AttemptState | null>([...ids].map((id) => [id, null]));
  for (const row of rows) {
    states.set(row.id, { type: row.type, userId: row.userId, anonymousId: row.anonymousId, outcome: row.outcome, endedAt: row.endedAt === null ? null : new Date(row.endedAt), viewed: new Set(row.viewed) });
  }
  return states;
}

/** `storedIds`: the events new to the trail; `refusedIds`: those the journey rule refused. */
export type StoreResult = { stored: number; refused: number; storedIds: string[]; refusedIds: string[] };

type Attempt = { result: StoreResult } | { retry: true };

/**
 * Stores a batch (journeys upserted, new events inserted, their PostHog copies queued) in one
 * statement, atomic on its own; inside a caller's transaction it joins that transaction. The
 * journey rule decides what each attempt keeps (lib/trail/attempts.ts): events for someone else's
 * attempt are refused, and a task's outcome is recorded as its last step's view then its
 * completion. Returns how many events were new (retried ids are skipped, never doubled) and how
 * many were refused. A later journey outcome never downgrades an earlier one:
 * COMPLETED > EXITED > ABANDONED > IN_PROGRESS.
 *
 * The rule reads what an attempt already holds, then writes: two batches for one attempt (a
 * browser batch and a server step arriving together) take turns on the attempt's lock, or both
 * would count a view. The rule is applied to what this process expects is stored, and
 * trail_store writes only if that is what it finds under the lock (one round trip); otherwise it
 * answers what is stored, and the rule is applied again to that (a second round trip, the lock
 * still held).
 */
export async function storeTrailEvents(db: Tx | Db, incoming: TrailEventInput[], forwardOnly: ForwardOnlyEvent[] = [], intents: TrailIntent[] = []): Promise<StoreResult> {
  if (incoming.length === 0 && forwardOnly.length === 0 && intents.length === 0) return { stored: 0, refused: 0, storedIds: [], refusedIds: [] };
  const known = new Map<string, AttemptState | null>();
  const carried = new Map(intents.map((intent) => [intentKey(intent), intent]));
  if (isTopLevel(db)) {
    // Without a caller's transaction, one statement is a transaction of its own: a right guess
    // stores the batch in one round trip. A wrong one wrote nothing, and its locks are gone with
    // its statement, so the retry takes them again in a transaction that spans its round trips.
    // (A transaction client has $transaction too, nesting a savepoint: only the top-level client,
    // the one that can $connect, opens a transaction of its own.)
    const first = await attemptStore(db, incoming, forwardOnly, known, carried);
    if ("result" in first) return first.result;
    return db.$transaction((tx) => storeLocked(tx, incoming, forwardOnly, known, carried));
  }
  return storeLocked(db, incoming, forwardOnly, known, carried);
}

const TRANSACTION_TRAIL = Symbol("trail of the transaction");
type PendingTrail = { incoming: TrailEventInput[]; forwardOnly: ForwardOnlyEvent[] };

/**
 * A task's events committed with it and not stored in the trail yet: one per attempt and
 * transaction (the PostHog copies that are no step ride with the first, or alone under the
 * attempt ""). trail_store stores it with the next call for its attempt, from whichever writer.
 */
export type TrailIntent = { journeyId: string; id: string; incoming: TrailEventInput[]; forwardOnly: ForwardOnlyEvent[] };

function intentKey(intent: { journeyId: string; id: string }): string {
  return `${intent.journeyId} ${intent.id}`;
}

/** The transaction's events as intents, one per attempt. */
function intentsOf(pending: PendingTrail): TrailIntent[] {
  const byJourney = new Map<string, TrailEventInput[]>();
  for (const event of pending.incoming) {
    const events = byJourney.get(event.journeyId);
    if (events) events.push(event);
    else byJourney.set(event.journeyId, [event]);
  }
  const intents = [...byJourney].map(([journeyId, incoming]): TrailIntent => ({ journeyId, id: crypto.randomUUID(), incoming, forwardOnly: [] }));
  if (pending.forwardOnly.length) {
    if (intents.length) intents[0].forwardOnly = pending.forwardOnly;
    else intents.push({ journeyId: "", id: crypto.randomUUID(), incoming: [], forwardOnly: pending.forwardOnly });
  }
  return intents;
}

type IntentRow = { journeyId: string; id: string; payload: string };

/** The intents pending, as rows (`condition`: what follows FROM, with its parameters). */
function intentRows(db: Tx | Db, condition: string, values: unknown[]): Promise<IntentRow[]> {
  return queryDirect<IntentRow>(db, `SELECT "journeyId", "id", "payload" FROM "TrailIntent" ${condition}`, values);
}

function intentOf(row: IntentRow): TrailIntent {
  const payload = JSON.parse(row.payload) as { incoming: (Omit<TrailEventInput, "occurredAt"> & { occurredAt: string })[]; forwardOnly: (Omit<ForwardOnlyEvent, "occurredAt"> & { occurredAt: string })[] };
  return {
    journeyId: row.journeyId,
    id: row.id,
    incoming: payload.incoming.map((e) => ({ ...e, occurredAt: new Date(e.occurredAt) })),
    forwardOnly: payload.forwardOnly.map((e) => ({ ...e, occurredAt: new Date(e.occurredAt) })),
  };
}

const INSERT_INTENTS = `INSERT INTO "TrailIntent" ("journeyId", "id", "payload") SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`;

/**
 * Records events and PostHog copies the way a task's transaction needs them: all those of one
 * transaction are written together just before it commits, as one intent per attempt (one row,
 * one index), and stored in the trail right after the commit by the process that committed them
 * (the client's after-commit work), or by the worker's "trail-intents" duty if that process
 * stopped first. They commit with the task, and a rolled-back task leaves none; the task's answer
 * does not wait for the trail's rows. Until they are stored, an attempt with an intent pending is
 * written only by a call that carries it (trail_store), so the journey rule places every later
 * step as it would have. Without a transaction (the top-level client), or in one opened by a
 * client without before-commit hooks, they are stored at once.
 */
export async function queueTrailEvents(db: Tx | Db, incoming: TrailEventInput[], forwardOnly: ForwardOnlyEvent[] = []): Promise<void> {
  const pending = isTopLevel(db) ? null : pendingBeforeCommit<PendingTrail>(db, TRANSACTION_TRAIL, () => ({ incoming: [], forwardOnly: [] }), (p) => commitIntents(db, p));
  if (!pending) {
    await storeTrailEvents(db, incoming, forwardOnly);
    return;
  }
  pending.incoming.push(...incoming);
  pending.forwardOnly.push(...forwardOnly);
}

async function commitIntents(tx: Tx, pending: PendingTrail): Promise<void> {
  const intents = intentsOf(pending);
  if (intents.length === 0) return;
  // A client made elsewhere has no after-commit work to run: stored in the transaction, as before.
  const client = clientOf(tx);
  if (!client) {
    await storeTrailEvents(tx, pending.incoming, pending.forwardOnly);
    return;
  }
  await queryDirect(tx, INSERT_INTENTS, [intents.map((i) => i.journeyId), intents.map((i) => i.id), intents.map((i) => JSON.stringify({ incoming: i.incoming, forwardOnly: i.forwardOnly }))]);
  runAfterCommit(tx, () => storeTrailEvents(client, [], [], intents).then(() => {}));
}

/**
 * Stores now what this transaction has queued, with the customer's steps other tasks committed and
 * the trail has not stored yet: for a transaction that holds every attempt's lock
 * (lockEveryAttempt) and then changes the customer's trail as a whole (their account's deletion
 * detaches their journeys). Other customers' intents are left to their processes.
 */
export async function storeTransactionTrailNow(tx: Tx, userId: string): Promise<void> {
  const pending = takeBeforeCommit<PendingTrail>(tx, TRANSACTION_TRAIL);
  const all = (await intentRows(tx, "", [])).map(intentOf);
  const intents = all.filter((intent) => intent.incoming.some((e) => e.userId === userId));
  if (!pending && intents.length === 0) return;
  await storeLocked(tx, pending?.incoming ?? [], pending?.forwardOnly ?? [], new Map(), new Map(intents.map((i) => [intentKey(i), i])));
}

/**
 * Stores the intents committed before `olderThan` that are still waiting (the worker's duty: a
 * process that stopped before storing its own); how many it stored. Together in one call; if that
 * fails, one by one, so one intent the trail cannot take (reported) does not hold the others back:
 * it stays, and the health page says the duty is falling behind.
 */
export async function storeLeftIntents(db: Db, olderThan: Date, limit = 200): Promise<number> {
  const rows = await intentRows(db, `WHERE "createdAt" < $1 ORDER BY "createdAt" LIMIT $2`, [olderThan, limit]);
  const report = (row: IntentRow, error: unknown) =>
    console.warn(`[waymark] a trail intent of attempt ${row.journeyId || "(none)"} could not be stored: ${error instanceof Error ? error.message : String(error)}`);
  const readable: { row: IntentRow; intent: TrailIntent }[] = [];
  for (const row of rows) {
    try {
      readable.push({ row, intent: intentOf(row) });
    } catch (error) {
      report(row, error);
    }
  }
  if (readable.length === 0) return 0;
  try {
    await storeTrailEvents(db, [], [], readable.map((r) => r.intent));
    return readable.length;
  } catch {
    let stored = 0;
    for (const { row, intent } of readable) {
      await storeTrailEvents(db, [], [], [intent]).then(
        () => stored++,
        (error: unknown) => report(row, error),
      );
    }
    return stored;
  }
}

/**
 * Stores the attempt's pending intents now, for a read that must see every step recorded so far
 * (help in place counts the attempt's failures; an attempt's owner is checked before a case or an
 * answer is tied to it). One probe of the intents' key when none is pending, as almost always.
 */
export async function storePendingSteps(db: Tx | Db, journeyId: string): Promise<void> {
  const rows = await intentRows(db, `WHERE "journeyId" = $1`, [journeyId]);
  if (rows.length) await storeTrailEvents(db, [], [], rows.map(intentOf));
}

/** When the oldest intent still waiting was committed (null: none), for the health page. */
export async function oldestIntentAt(db: Db): Promise<Date | null> {
  const [row] = await queryDirect<{ at: Date | null }>(db, `SELECT min("createdAt") AS "at" FROM "TrailIntent"`, []);
  return row.at;
}

/**
 * The customer's step of the attempt as recorded, stored or committed by a task and not stored yet
 * (its properties), or null: for a replayed form, which must find what the first submit recorded a
 * moment before. Only the customer's own: a form carrying another customer's attempt id finds nothing.
 */
export async function recordedStep(tx: Tx, userId: string, journeyId: string, step: Pick<TrailEventInput, "journeyType" | "step" | "kind">): Promise<{ properties: Record<string, unknown> } | null> {
  const [row] = await queryDirect<{ stored: Record<string, unknown> | null; pending: string[] }>(
    tx,
    `SELECT (SELECT e."properties" FROM "TrailEvent" e JOIN "Journey" j ON j."id" = e."journeyId"
             WHERE e."journeyId" = $1 AND j."userId" = $5 AND e."journeyType" = $2 AND e."step" = $3 AND e."kind" = $4::"TrailEventKind" LIMIT 1) AS "stored",
            ARRAY(SELECT "payload" FROM "TrailIntent" WHERE "journeyId" = $1) AS "pending"`,
    [journeyId, step.journeyType, step.step, step.kind, userId],
  );
  if (row.stored) return { properties: row.stored };
  const same = (e: TrailEventInput) => e.userId === userId && e.journeyId === journeyId && e.journeyType === step.journeyType && e.step === step.step && e.kind === step.kind;
  const pending = row.pending.flatMap((payload) => intentOf({ journeyId, id: "", payload }).incoming).find(same);
  return pending ? { properties: pending.properties } : null;
}

function isTopLevel(db: Tx | Db): db is Db {
  return typeof (db as Partial<Db>).$connect === "function";
}

// Each wrong guess teaches the attempts it checked, so the guesses converge: a chain of ended
// attempts is learnt one link per round. Only writers that skip the locks (none should) could keep
// it from converging.
const MAX_ROUNDS = 20;

async function storeLocked(db: Tx, incoming: TrailEventInput[], forwardOnly: ForwardOnlyEvent[], known: Map<string, AttemptState | null>, carried: Map<string, TrailIntent>): Promise<StoreResult> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const attempt = await attemptStore(db, incoming, forwardOnly, known, carried);
    if ("result" in attempt) return attempt.result;
  }
  throw new Error("the trail's attempts kept changing under their locks");
}

// The events go as one array per column and the PostHog copies as the outbox payload itself:
// taking JSON documents apart and together again cost PostgreSQL more than the inserts. Sent
// through node-postgres directly (queryDirect): Prisma's raw queries serialise every parameter as
// JSON and parse it back, the web process's largest cost per batch after decoding it.
const TRAIL_STORE = `
  SELECT * FROM trail_store($1::int[], $2::text[], $3::text[], $4::jsonb, $5::jsonb,
                            $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
                            $12::text[], $13::text[], $14::timestamptz[], $15::text[], $16::jsonb[],
                            $17::text[], $18::boolean[], $19::jsonb, $20::text[], $21::text[])`;

/**
 * One round trip: the rule applied to the expected attempts, written if they are what is stored.
 * `carried`: the intents stored with the caller's events (those it was answered with, for its
 * attempts); the result counts the caller's own events only.
 */
async function attemptStore(db: Tx | Db, own: TrailEventInput[], ownForwardOnly: ForwardOnlyEvent[], known: Map<string, AttemptState | null>, carried: Map<string, TrailIntent>): Promise<Attempt> {
  const intents = [...carried.values()];
  const incoming = intents.length ? [...intents.flatMap((i) => i.incoming), ...own] : own;
  const forwardOnly = intents.length ? [...intents.flatMap((i) => i.forwardOnly), ...ownForwardOnly] : ownForwardOnly;
  const journeyIds = [...new Set(incoming.map((e) => e.journeyId))];
  // One of 64 lock slots per attempt, taken in order: a bulk batch (the demo seed) holds at most 64
  // locks, and two batches for different attempts rarely share a slot.
  const slots = [...new Set(journeyIds.map(lockSlot))].sort((a, b) => a - b);
  const expected = expectedAttempts(journeyIds, known);
  const { events, refused } = applyAttemptRule(incoming, new Map([...expected].filter((entry): entry is [string, AttemptState] => entry[1] !== null)));
  const journeys = summariseJourneys(events);
  const forwards = [
    ...events.filter((e) => e.forward).map((e) => ({ id: e.id, step: true, payload: forwardPayload(e.id, e.distinctId, e.occurredAt, e.forward!) })),
    ...forwardOnly.map((e) => ({ id: e.id, step: false, payload: forwardPayload(e.id, e.distinctId, e.occurredAt, e) })),
  ];
  const checked = [...expected.keys()];
  const present: Record<string, unknown> = {};
  for (const [id, state] of expected) {
    if (state) present[id] = { type: state.type, userId: state.userId, anonymousId: state.anonymousId, outcome: state.outcome, endedAt: state.endedAt, viewed: [...state.viewed] };
  }
  const row = await trailStore(db, { slots, checked, present, journeys, events, forwards, intents });
  if (!row.stored_ids) {
    // Not as expected: nothing was written, and the attempts came back as they are, with the
    // intents pending for them (or still pending of those carried).
    const stored = statesOf(checked, row.attempt_states ?? []);
    remember(stored);
    for (const [id, state] of stored) known.set(id, state);
    carried.clear();
    for (const pending of row.pending_intents ?? []) carried.set(intentKey(pending), intentOf(pending));
    await learnChainsAhead(db, known);
    return { retry: true };
  }
  remember(afterWrite(expected, journeys, events, row.stored_ids));
  const mine = new Set(own.map((e) => e.id));
  const storedIds = intents.length ? row.stored_ids.filter((id) => mine.has(id)) : row.stored_ids;
  const refusedIds = refused.filter((e) => mine.has(e.id)).map((e) => e.id);
  return { result: { stored: storedIds.length, refused: refusedIds.length, storedIds, refusedIds } };
}

// A tab's attempts after an ended one follow each other by id (nextAttemptId), and each round trip
// of the check learns one more link of such a chain: a tab with more ended attempts than
// MAX_ROUNDS (a batch of 25 exits naming one attempt made them) could no longer store anything.
const CHAIN_LOOKAHEAD = 32;

/** Reads ahead along every chain of ended attempts `known` holds, in one statement: the next links as stored. */
async function learnChainsAhead(db: Tx | Db, known: Map<string, AttemptState | null>) {
  const ahead: string[] = [];
  for (const [id, state] of known) {
    if (!state || !hasEnded(state)) continue;
    let next = nextAttemptId(id);
    for (let i = 0; i < CHAIN_LOOKAHEAD && !known.has(next); i++, next = nextAttemptId(next)) ahead.push(next);
  }
  if (ahead.length === 0) return;
  const [row] = await queryDirect<{ states: StateRow[] | null }>(db, `SELECT "trail_attempt_states_json"($1::text[]) AS "states"`, [ahead]);
  // Only the links found: an absent one ends its chain, as the rule already assumes of one it does not know.
  for (const [id, state] of statesOf([], row.states ?? [])) known.set(id, state);
}

type TrailStoreCall = {
  slots: number[];
  checked: string[];
  /** The attempts expected stored, by id (those checked and absent from it are expected absent). */
  present: Record<string, unknown>;
  journeys: JourneyChange[];
  events: TrailEventInput[];
  forwards: { id: string; step: boolean; payload: unknown }[];
  /** Intents stored by this call (deleted by it). */
  intents: { journeyId: string; id: string }[];
};

async function trailStore(db: Tx | Db, call: TrailStoreCall) {
  const e = eventColumns(call.events);
  const userIds = [...new Set(call.journeys.flatMap((j) => (j.userId ? [j.userId] : [])))].sort();
  const [row] = await queryDirect<{ stored_ids: string[] | null; attempt_states: StateRow[] | null; pending_intents: IntentRow[] | null }>(db, TRAIL_STORE, [
    call.slots, userIds, call.checked, JSON.stringify(call.present), JSON.stringify(call.journeys),
    e.id, e.journeyId, e.journeyType, e.step, e.kind, e.errorCode, e.channel, e.source, e.occurredAt, e.distinctId, e.properties,
    call.forwards.map((f) => f.id), call.forwards.map((f) => f.step), JSON.stringify({ events: call.forwards.map((f) => f.payload) }),
    call.intents.map((i) => i.journeyId), call.intents.map((i) => i.id),
  ]);
  return row;
}

const LOCK_SLOTS = 64;
const EVERY_SLOT = Array.from({ length: LOCK_SLOTS }, (_, slot) => slot);

/**
 * Holds every attempt's lock until the transaction ends: no trail write is under way, and none
 * starts, while the caller changes journeys the trail writes too (an account's, detached when it is
 * deleted). trail_store given every slot and nothing to store takes them as it takes a batch's, in
 * the same order. Taken before the caller stores trail of its own, and after it locked the rows
 * its task writes, as a task's commit takes them.
 */
export async function lockEveryAttempt(tx: Tx): Promise<void> {
  await trailStore(tx, { slots: EVERY_SLOT, checked: [], present: {}, journeys: [], events: [], forwards: [], intents: [] });
}

/**
 * The attempts as stored after a write, worked out rather than read back: those checked were found
 * as expected (under the locks), and each journey written is merged into its expected state as
 * trail_store merges it (owner kept, the higher outcome, the latest end), with the steps whose
 * view was stored just now. Only this process's guess for its next call: where it is wrong (an
 * account deleted meanwhile, so the journey was stored without its owner), that call finds out
 * under the locks and reads the attempt.
 */
function afterWrite(expected: Map<string, AttemptState | null>, journeys: JourneyChange[], events: TrailEventInput[], storedIds: string[]): Map<string, AttemptState | null> {
  const stored = new Set(storedIds);
  const after = new Map(expected);
  for (const journey of journeys) {
    const before = expected.get(journey.id) ?? null;
    const outcome = before && OUTCOME_RANK[before.outcome] > OUTCOME_RANK[journey.outcome] ? before.outcome : journey.outcome;
    const endedAt = journey.outcome === "IN_PROGRESS" ? (before?.endedAt ?? null) : laterOf(before?.endedAt ?? null, journey.lastAt);
    after.set(journey.id, {
      type: before?.type ?? journey.type,
      userId: before?.userId ?? journey.userId,
      anonymousId: before?.anonymousId ?? journey.anonymousId,
      outcome,
      endedAt,
      viewed: new Set(before?.viewed),
    });
  }
  for (const e of events) if (e.kind === "VIEWED" && stored.has(e.id)) after.get(e.journeyId)?.viewed.add(e.step);
  return after;
}

function laterOf(a: Date | null, b: Date): Date {
  return a && a > b ? a : b;
}

/** The events as trail_store takes them: one array per column, in the same order. */
function eventColumns(events: TrailEventInput[]) {
  return {
    id: events.map((e) => e.id),
    journeyId: events.map((e) => e.journeyId),
    journeyType: events.map((e) => e.journeyType),
    step: events.map((e) => e.step),
    kind: events.map((e) => e.kind),
    errorCode: events.map((e) => e.errorCode ?? null),
    channel: events.map((e) => e.channel ?? null),
    source: events.map((e) => e.source),
    occurredAt: events.map((e) => e.occurredAt.toISOString()),
    distinctId: events.map((e) => e.distinctId),
    properties: events.map((e) => JSON.stringify(e.properties)),
  };
}

export function isExitChannel(value: unknown): value is ExitChannel {
  return typeof value === "string" && (EXIT_CHANNELS as readonly string[]).includes(value);
}

// The slots of the attempts this process wrote lately: a task's step names the attempt its pages'
// views named a moment before, and hashing the id again cost the step, cold, about 7 µs.
const slotsSeen = new Map<string, number>();

/** The attempt lock a batch naming this journey takes (one of LOCK_SLOTS). */
export function lockSlot(journeyId: string): number {
  let slot = slotsSeen.get(journeyId);
  if (slot === undefined) {
    slot = crypto.hash("sha1", journeyId, "buffer").readUInt8(0) % LOCK_SLOTS;
    if (slotsSeen.size >= ATTEMPTS_SEEN_MAX) slotsSeen.delete(slotsSeen.keys().next().value!);
    slotsSeen.set(journeyId, slot);
  }
  return slot;
}
