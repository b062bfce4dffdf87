// What /ingest does with a decoded posthog-js batch: declared trail events become journey steps in
// the portal's own store; their PostHog copies and those of page views and sign-ins (stripped of
// anything personal) are queued in the outbox for forwarding, any other event is refused; retried
// events are skipped by their id.
import "server-only";
import { isLiveSessionOf } from "@/lib/accounts/sessions";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { isLeaveReason } from "@/lib/voice/reasons";
import { isRageTapElement, isStepOf, parseEventName, stepIndex, type JourneyType, type StepAction } from "./journeys";
import type { PostHogEvent } from "./posthog-wire";
import { scrubValue } from "./url-scrub";
import { groupCommit } from "./group-commit";
import { pageSubjectOf } from "./page-subject";
import { isExitChannel, storeTrailEvents, type DeviceClassValue, type ForwardOnlyEvent, type TrailEventInput, type TrailKind } from "./store";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]+/;
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
// Property names that may hold personal data or free text: never forwarded, whatever the value.
const PERSONAL_KEYS = /^(\$set|\$set_once|\$unset|\$ip|email|name|full_?name|first_?name|last_?name|phone|address|line1|line2|postal_?code|note|text|message|comment|card.*)$/i;
// Trail properties are the only non-$ properties kept: a small, non-personal vocabulary. Not
// `source`: the server's steps say "server", a browser's none (a client's "server" was a forgery).
const TRAIL_KEYS = new Set(["journey_id", "journey_type", "step", "step_index", "action", "error_code", "channel", "device_class", "analytics_consent", "intervention", "outcome", "reason_code", "resolution", "exit_reason", "element", "taps"]);
// PostHog's own context, as posthog-js and the trail's sender (browser-wire.ts) send it: the page,
// the device, the session and the library. Any other `$` name is a hand-written client's, free text
// nobody vetted for PostHog.
const POSTHOG_KEYS = new Set([
  "$lib", "$lib_version", "$insert_id", "$time", "$timezone", "$timezone_offset",
  "$current_url", "$host", "$pathname", "$referrer", "$referring_domain", "$title",
  "$os", "$os_version", "$browser", "$browser_version", "$browser_language", "$browser_language_prefix", "$device", "$device_type", "$device_model", "$raw_user_agent",
  "$screen_height", "$screen_width", "$viewport_height", "$viewport_width",
  "$device_id", "$session_id", "$window_id", "$pageview_id", "$user_id", "$anon_distinct_id", "$is_identified", "$process_person_profile", "$user_state",
  "$active_feature_flags", "$configured_session_timeout_ms", "$lib_rate_limit_remaining_tokens",
]);
// And the families posthog-js names by prefix: where the person and the session began, the page view
// before, each feature flag's value.
const POSTHOG_KEY_FAMILY = /^\$(initial_|session_entry_|prev_pageview_|feature_flag|feature\/)/;
// Codes with a closed vocabulary: anything else a client sends under these names is dropped.
const CLOSED_VOCABULARY: Record<string, (value: unknown) => boolean> = { exit_reason: isLeaveReason, element: isRageTapElement, taps: (value) => Number.isInteger(value) };

/** Strips what PostHog must never receive: personal data, free text, secrets and ids in URLs. */
export function sanitizeForPostHog(properties: Record<string, unknown>): Record<string, unknown> {
  const clean: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (PERSONAL_KEYS.test(key)) continue;
    const known = key.startsWith("$") ? POSTHOG_KEYS.has(key) || POSTHOG_KEY_FAMILY.test(key) : TRAIL_KEYS.has(key) || key === "token" || key === "distinct_id";
    if (!known) continue;
    // The `@` first: the pattern alone backtracks over every position of a long value without one.
    if (typeof value === "string" && value.includes("@") && EMAIL.test(value)) continue;
    if (CLOSED_VOCABULARY[key] && !CLOSED_VOCABULARY[key](value)) continue;
    // Scrubbed as scrubProperties would scrub the whole object (its values one level down), without copying it again.
    clean[key] = scrubValue(value, 1);
  }
  return clean;
}

function deviceClassOf(value: unknown): DeviceClassValue {
  return value === "MOBILE" || value === "TABLET" ? value : "DESKTOP";
}

const KIND_OF: Record<"viewed" | "completed" | "failed", TrailKind> = { viewed: "VIEWED", completed: "COMPLETED", failed: "ERROR" };

export type IngestResult = { received: number; stored: number; forwarded: number; rejected: number };

export type IngestOptions = {
  /** False when no PostHog is configured: then nothing is queued for it. */
  forwarding: boolean;
  /**
   * The id of the session the request's cookie carries (not yet checked): its customer, while the
   * session is live, is the only one whose events the batch may carry.
   */
  sessionId?: string | null;
  now?: Date;
};

// Events that join two PostHog persons. posthog-js sends $identify at sign-in; the portal never
// aliases or merges, so the other two are only ever a forgery.
const IDENTIFY = "$identify";
const NEVER_RELAYED = new Set(["$create_alias", "$merge_dangerously"]);
// The only events forwarded that are not trail steps: those the trail's sender and posthog-js (as
// the portal configures it: no autocapture, no recordings, no surveys) send. Any other name, an
// undeclared step included, is a hand-written client's: refused, as its name and properties are
// free text nobody vetted for PostHog.
const FORWARDED_AS_SENT = new Set(["$pageview", "$pageleave", "$identify"]);

type Account = { id: string; analyticsId: string; analyticsConsent: boolean; status: string; role: string; signedIn: boolean };

/** A batch as its request brought it: the events and the session its cookie named. */
type Received = { events: PostHogEvent[]; sessionId: string | null; forwarding: boolean; now: Date };

function namedIds(events: PostHogEvent[]): string[] {
  const named = events.flatMap((e) => [e.distinctId, e.properties.$device_id, e.properties.$anon_distinct_id]);
  return [...new Set(named.filter((id): id is string => typeof id === "string" && UUID.test(id)).map((id) => id.toLowerCase()))];
}

/** Who a batch speaks for: the accounts it names, by analytics id, and its live session's customer, if any. */
type Speakers = { named: Map<string, Account>; session: Account | null };

/**
 * For each batch, the accounts it names (as distinct ids, device ids or the anonymous id an
 * $identify joins), each with whether that batch's own session is a live one of theirs, and the
 * customer of that session when it is live, whatever the events name: one query for all the
 * batches of a group.
 */
async function speakersOf(db: Db, batches: Received[]): Promise<Speakers[]> {
  const asked = batches.flatMap((batch, index) => namedIds(batch.events).map((id) => ({ index, id, sessionId: batch.sessionId })));
  const sessions = batches.flatMap((batch, index) => (batch.sessionId ? [{ index, sessionId: batch.sessionId }] : []));
  const found = batches.map((): Speakers => ({ named: new Map(), session: null }));
  if (!asked.length && !sessions.length) return found;
  const rows = await db.$queryRaw<(Account & { batch: number; ofSession: boolean })[]>`
    SELECT q."batch", u."id", u."analyticsId"::text AS "analyticsId", u."analyticsConsent", u."status"::text AS "status", u."role"::text AS "role",
           ${isLiveSessionOf(Prisma.sql`q."sessionId"`)} AS "signedIn", false AS "ofSession"
    FROM unnest(${asked.map((a) => a.index)}::int[], ${asked.map((a) => a.id)}::uuid[], ${asked.map((a) => a.sessionId)}::text[]) AS q("batch", "analyticsId", "sessionId")
    JOIN "User" u ON u."analyticsId" = q."analyticsId"
    UNION ALL
    SELECT q."batch", u."id", u."analyticsId"::text, u."analyticsConsent", u."status"::text, u."role"::text, true, true
    FROM unnest(${sessions.map((s) => s.index)}::int[], ${sessions.map((s) => s.sessionId)}::text[]) AS q("batch", "sessionId")
    JOIN "AuthSession" held ON held."id" = q."sessionId"
    JOIN "User" u ON u."id" = held."userId"
    WHERE ${isLiveSessionOf(Prisma.sql`q."sessionId"`)}`;
  for (const { batch, ofSession, ...account } of rows) {
    if (ofSession) found[batch].session = account;
    else found[batch].named.set(account.analyticsId, account);
  }
  return found;
}

/**
 * Stores a browser batch. Whose events they are is the request's to say, never the events': an
 * event carries a customer only when it names the customer of the request's live session. One
 * naming any other account (a forgery, or a tab's last events sent after its sign-out) is the
 * device's, as if signed out: stored and forwarded under its device id, never the account's.
 * Events of customers who declined analytics (and of staff) are kept here but not forwarded.
 *
 * Batches that arrive while another group is being stored are stored together by the next group
 * (lib/trail/group-commit.ts): one account lookup and one trail_store call for the group, each
 * request answered once its own events are stored.
 */
export async function ingestBrowserBatch(db: Db, events: PostHogEvent[], options: IngestOptions): Promise<IngestResult> {
  let ingest = ingestors.get(db);
  if (!ingest) {
    ingest = groupCommit((batches: Received[]) => ingestGroup(db, batches), INGEST_WRITERS);
    ingestors.set(db, ingest);
  }
  return ingest({ events, sessionId: options.sessionId ?? null, forwarding: options.forwarding, now: options.now ?? new Date() });
}

const ingestors = new WeakMap<Db, (batch: Received) => Promise<IngestResult>>();
// Groups in flight at once: the database stores one while this process decodes and sorts the next.
const INGEST_WRITERS = 3;

type Sorted = { trail: TrailEventInput[]; passthrough: ForwardOnlyEvent[]; identifies: { deviceId: string; userId: string }[]; rejected: number };

/**
 * Stores a group of batches in one statement. An event id sent twice in one group (a retry racing
 * its original) is written once, and counts as stored for the batch that sent it first.
 */
async function ingestGroup(db: Db, batches: Received[]): Promise<IngestResult[]> {
  const speakers = await speakersOf(db, batches);
  const sorted = batches.map((batch, i) => sortBatch(batch, speakers[i]));
  const seen = new Set<string>();
  const owned = sorted.map((batch) => batch.trail.filter((e) => !seen.has(e.id) && seen.add(e.id)));
  const result = await storeTrailEvents(db, owned.flat(), sorted.flatMap((batch) => batch.passthrough));
  // Sign-in joins the device's earlier journeys to the customer, as PostHog joins the persons.
  for (const { deviceId, userId } of sorted.flatMap((batch) => batch.identifies)) {
    await db.journey.updateMany({ where: { anonymousId: deviceId, userId: null }, data: { userId } });
  }
  const stored = new Set(result.storedIds);
  const refused = new Set(result.refusedIds);
  return sorted.map((batch, i) => ({
    received: batches[i].events.length,
    stored: owned[i].filter((e) => stored.has(e.id)).length,
    forwarded: batch.trail.filter((t) => t.forward).length + batch.passthrough.length,
    rejected: batch.rejected + owned[i].filter((e) => refused.has(e.id)).length,
  }));
}

/**
 * What each event of a batch is: a trail step, an event only forwarded, or refused. A batch sent
 * with a live session is that customer's, whatever ids its events carry: a tab's steps sent before
 * posthog-js named the customer join the device's attempts and attach them to the customer, as
 * $identify does, and claiming another customer's device never opens that customer's attempts.
 */
function sortBatch({ events, forwarding, now }: Received, speakers: Speakers): Sorted {
  const accountOf = (id: unknown) => (typeof id === "string" ? speakers.named.get(id.toLowerCase()) : undefined);
  const sorted: Sorted = { trail: [], passthrough: [], identifies: [], rejected: 0 };

  for (const sent of events) {
    const id = sent.uuid;
    const claimed = accountOf(sent.distinctId);
    const deviceId = typeof sent.properties.$device_id === "string" ? sent.properties.$device_id : null;
    const linksPersons = NEVER_RELAYED.has(sent.event) || (sent.event === IDENTIFY && (!claimed?.signedIn || accountOf(sent.properties.$anon_distinct_id) !== undefined));
    // Someone else's account: the event is its device's, when the device is not an account too.
    const event = claimed && !claimed.signedIn && deviceId && !accountOf(deviceId) ? asDevice(sent, deviceId) : sent;
    if (!id || !UUID.test(id) || !event.distinctId || linksPersons || (claimed && !claimed.signedIn && event === sent)) {
      sorted.rejected++;
      continue;
    }
    const user = speakers.session ?? undefined;
    const whose = user ?? claimed;
    // Staff (agents, analysts) are not customers using the product: their events never reach
    // PostHog; their trail is kept, and the insights leave it out (lib/insights/refresh.ts). A
    // deleted account's late events stay unattached and never reach PostHog (which forgot the person).
    const consent = whose ? whose.status === "ACTIVE" && whose.analyticsConsent && whose.role === "CUSTOMER" : event.properties.analytics_consent !== false;
    const sentAt = event.timestamp ? new Date(event.timestamp) : now;
    const occurredAt = Number.isNaN(sentAt.getTime()) || sentAt.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS ? now : sentAt;
    const forwardProperties = forwarding && consent ? sanitizeForPostHog(event.properties) : null;
    if (event.event === IDENTIFY && user && deviceId) sorted.identifies.push({ deviceId, userId: user.id });

    const step = browserTrailEvent(event, { userId: user?.id ?? null, occurredAt, forward: forwardProperties });
    if (step === "invalid") sorted.rejected++;
    else if (step) sorted.trail.push(step);
    else if (!FORWARDED_AS_SENT.has(event.event)) sorted.rejected++;
    else if (forwardProperties) sorted.passthrough.push({ id, distinctId: event.distinctId, occurredAt, event: event.event, properties: forwardProperties });
  }
  return sorted;
}

/** The event as its device sent it signed out: the device is its distinct id, no account is named. */
function asDevice(event: PostHogEvent, deviceId: string): PostHogEvent {
  const { $user_id: _userId, ...properties } = event.properties;
  return { ...event, distinctId: deviceId, properties: { ...properties, distinct_id: deviceId } };
}

/**
 * A declared journey step sent by posthog-js, as the trail stores it (also how the demo seed
 * records its simulated customers' browser steps): "invalid" for a declared event that cannot be
 * a browser's step (no journey id, an exit without a channel, a completion or an abandonment,
 * which only the server records, or no one to own it: neither a customer nor a device), null for
 * an event that is not a trail step at all ($pageview, …). What the event says it is (its
 * journey, step and action) comes from its name, never from properties a client may have set.
 */
export function browserTrailEvent(
  event: PostHogEvent,
  context: { userId: string | null; occurredAt: Date; forward: Record<string, unknown> | null },
): TrailEventInput | "invalid" | null {
  const parsed = parseEventName(event.event);
  if (!parsed) return null;
  const journeyId = event.properties.journey_id;
  const deviceId = typeof event.properties.$device_id === "string" && event.properties.$device_id ? event.properties.$device_id : null;
  if (typeof journeyId !== "string" || !UUID.test(journeyId) || parsed.kind === "abandoned" || !event.uuid || !event.distinctId) return "invalid";
  if ((parsed.kind === "step" && parsed.action === "completed") || (!context.userId && !deviceId)) return "invalid";
  const step = parsed.kind === "step" ? parsed.step : String(event.properties.step ?? "");
  const channel = event.properties.channel;
  if (parsed.kind === "exited" && (!isExitChannel(channel) || !step)) return "invalid";
  if (parsed.kind === "rage_tapped" && !isStepOf(parsed.type, step)) return "invalid";
  const errorCode = typeof event.properties.error_code === "string" ? event.properties.error_code.slice(0, 64) : null;
  const own = ownProperties(parsed.type, step, parsed.kind === "step" ? parsed.action : null);
  return {
    id: event.uuid,
    journeyId,
    journeyType: parsed.type,
    step,
    kind: parsed.kind === "step" ? KIND_OF[parsed.action] : parsed.kind === "exited" ? "EXITED" : "RAGE_TAP",
    errorCode,
    channel: parsed.kind === "exited" && isExitChannel(channel) ? channel : null,
    source: "BROWSER",
    occurredAt: context.occurredAt,
    distinctId: event.distinctId,
    userId: context.userId,
    anonymousId: deviceId,
    sessionId: typeof event.properties.$session_id === "string" ? event.properties.$session_id : null,
    deviceClass: deviceClassOf(event.properties.device_class),
    // The page's order or return stays here, for the cases opened on the attempt; PostHog's copy is `forward`.
    properties: { ...pickTrailProperties(event.properties), ...own, ...pageSubjectOf(event.properties.$pathname) },
    forward: context.forward ? { event: event.event, properties: { ...context.forward, ...own } } : null,
  };
}

/**
 * The step's own properties, from its event's name: a client's `journey_type`, `step` or `action`
 * naming another task or step would tell PostHog and the attempt's cases what did not happen.
 */
function ownProperties(type: JourneyType, step: string, action: StepAction | null): Record<string, string | number> {
  return { journey_type: type, step, ...(isStepOf(type, step) ? { step_index: stepIndex(type, step) } : {}), ...(action ? { action } : {}) };
}

function pickTrailProperties(properties: Record<string, unknown>): Record<string, string | number | boolean | null> {
  const picked: Record<string, string | number | boolean | null> = {};
  for (const key of TRAIL_KEYS) {
    const value = properties[key];
    if (CLOSED_VOCABULARY[key] && !CLOSED_VOCABULARY[key](value)) continue;
    if (typeof value === "string") picked[key] = value.slice(0, 100);
    else if (typeof value === "number" || typeof value === "boolean") picked[key] = value;
  }
  return picked;
}
