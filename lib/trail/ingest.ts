// What /ingest does with a decoded posthog-js batch: declared trail events become journey steps in
// the portal's own store; every event's PostHog copy (stripped of anything personal) is queued in
// the outbox for forwarding; retried events are skipped by their id.
import "server-only";
import { isLiveSessionOf } from "@/lib/accounts/sessions";
import type { Db } from "@/lib/db/client";
import { isLeaveReason } from "@/lib/voice/reasons";
import { isRageTapElement, isStepOf, parseEventName } from "./journeys";
import type { PostHogEvent } from "./posthog-wire";
import { scrubProperties } from "./url-scrub";
import { groupCommit } from "./group-commit";
import { isExitChannel, storeTrailEvents, type DeviceClassValue, type ForwardOnlyEvent, type TrailEventInput, type TrailKind } from "./store";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]+/;
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
// Property names that may hold personal data or free text: never forwarded, whatever the value.
const PERSONAL_KEYS = /^(\$set|\$set_once|\$unset|\$ip|email|name|full_?name|first_?name|last_?name|phone|address|line1|line2|postal_?code|note|text|message|comment|card.*)$/i;
// Trail properties are the only non-$ properties kept: a small, non-personal vocabulary.
const TRAIL_KEYS = new Set(["journey_id", "journey_type", "step", "step_index", "action", "error_code", "channel", "device_class", "source", "analytics_consent", "intervention", "outcome", "reason_code", "resolution", "exit_reason", "element", "taps"]);
// Codes with a closed vocabulary: anything else a client sends under these names is dropped.
const CLOSED_VOCABULARY: Record<string, (value: unknown) => boolean> = { exit_reason: isLeaveReason, element: isRageTapElement, taps: (value) => Number.isInteger(value) };

/** Strips what PostHog must never receive: personal data, free text, secrets and ids in URLs. */
export function sanitizeForPostHog(properties: Record<string, unknown>): Record<string, unknown> {
  const clean: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (PERSONAL_KEYS.test(key)) continue;
    if (!key.startsWith("$") && !TRAIL_KEYS.has(key) && key !== "token" && key !== "distinct_id") continue;
    // The `@` first: the pattern alone backtracks over every position of a long value without one.
    if (typeof value === "string" && value.includes("@") && EMAIL.test(value)) continue;
    if (CLOSED_VOCABULARY[key] && !CLOSED_VOCABULARY[key](value)) continue;
    clean[key] = value;
  }
  return scrubProperties(clean);
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

type Account = { id: string; analyticsId: string; analyticsConsent: boolean; status: string; role: string; signedIn: boolean };

/**
 * The accounts the batch names (as distinct ids, device ids or the anonymous id an $identify
 * joins), each with whether the request's session is a live one of theirs: one query per batch.
 */
async function accountsNamed(db: Db, events: PostHogEvent[], sessionId: string | null): Promise<Map<string, Account>> {
  const named = events.flatMap((e) => [e.distinctId, e.properties.$device_id, e.properties.$anon_distinct_id]);
  const ids = [...new Set(named.filter((id): id is string => typeof id === "string" && UUID.test(id)).map((id) => id.toLowerCase()))];
  if (!ids.length) return new Map();
  const rows = await db.$queryRaw<Account[]>`
    SELECT u."id", u."analyticsId"::text AS "analyticsId", u."analyticsConsent", u."status"::text AS "status", u."role"::text AS "role",
           ${isLiveSessionOf(sessionId)} AS "signedIn"
    FROM "User" u WHERE u."analyticsId" = ANY(${ids}::uuid[])`;
  return new Map(rows.map((account) => [account.analyticsId, account]));
}

/**
 * Stores a browser batch. Whose events they are is the request's to say, never the events': an
 * event carries a customer only when it names the customer of the request's live session. One
 * naming any other account (a forgery, or a tab's last events sent after its sign-out) is the
 * device's, as if signed out: stored and forwarded under its device id, never the account's.
 * Events of customers who declined analytics (and of staff) are kept here but not forwarded.
 */
export async function ingestBrowserBatch(db: Db, events: PostHogEvent[], options: IngestOptions): Promise<IngestResult> {
  const now = options.now ?? new Date();
  const accounts = await accountsNamed(db, events, options.sessionId ?? null);
  const accountOf = (id: unknown) => (typeof id === "string" ? accounts.get(id.toLowerCase()) : undefined);

  const trail: TrailEventInput[] = [];
  const passthrough: ForwardOnlyEvent[] = [];
  const identifies: { deviceId: string; userId: string }[] = [];
  let rejected = 0;

  for (const sent of events) {
    const id = sent.uuid;
    const claimed = accountOf(sent.distinctId);
    const deviceId = typeof sent.properties.$device_id === "string" ? sent.properties.$device_id : null;
    const linksPersons = NEVER_RELAYED.has(sent.event) || (sent.event === IDENTIFY && (!claimed?.signedIn || accountOf(sent.properties.$anon_distinct_id) !== undefined));
    // Someone else's account: the event is its device's, when the device is not an account too.
    const event = claimed && !claimed.signedIn && deviceId && !accountOf(deviceId) ? asDevice(sent, deviceId) : sent;
    if (!id || !UUID.test(id) || !event.distinctId || linksPersons || (claimed && !claimed.signedIn && event === sent)) {
      rejected++;
      continue;
    }
    const user = claimed?.signedIn ? claimed : undefined;
    // Staff (agents, analysts) are not customers using the product: their events never reach
    // PostHog; their trail is kept, and the insights leave it out (lib/insights/refresh.ts). A
    // deleted account's late events stay unattached and never reach PostHog (which forgot the person).
    const consent = claimed ? claimed.status === "ACTIVE" && claimed.analyticsConsent && claimed.role === "CUSTOMER" : event.properties.analytics_consent !== false;
    const sentAt = event.timestamp ? new Date(event.timestamp) : now;
    const occurredAt = Number.isNaN(sentAt.getTime()) || sentAt.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS ? now : sentAt;
    const forwardProperties = sanitizeForPostHog(event.properties);
    if (event.event === IDENTIFY && user && deviceId) identifies.push({ deviceId, userId: user.id });

    const step = browserTrailEvent(event, { userId: user?.id ?? null, occurredAt, forward: options.forwarding && consent ? forwardProperties : null });
    if (step === "invalid") rejected++;
    else if (step) trail.push(step);
    else if (options.forwarding && consent) passthrough.push({ id, distinctId: event.distinctId, occurredAt, event: event.event, properties: forwardProperties });
  }

  const { stored, refused } = await storeBatch(db, { trail, passthrough });
  // Sign-in joins the device's earlier journeys to the customer, as PostHog joins the persons.
  for (const { deviceId, userId } of identifies) {
    await db.journey.updateMany({ where: { anonymousId: deviceId, userId: null }, data: { userId } });
  }
  return { received: events.length, stored, forwarded: trail.filter((t) => t.forward).length + passthrough.length, rejected: rejected + refused };
}

/** The event as its device sent it signed out: the device is its distinct id, no account is named. */
function asDevice(event: PostHogEvent, deviceId: string): PostHogEvent {
  const { $user_id: _userId, ...properties } = event.properties;
  return { ...event, distinctId: deviceId, properties: { ...properties, distinct_id: deviceId } };
}

type Batch = { trail: TrailEventInput[]; passthrough: ForwardOnlyEvent[] };
const writers = new WeakMap<Db, (batch: Batch) => Promise<{ stored: number; refused: number }>>();

/**
 * Stores a batch together with the batches other browsers sent meanwhile (lib/trail/group-commit.ts):
 * one transaction for the group. An event id sent twice in one group (a retry racing its original)
 * is written once, and counts as stored for the batch that sent it first.
 */
function storeBatch(db: Db, batch: Batch) {
  let write = writers.get(db);
  if (!write) {
    write = groupCommit(async (batches: Batch[]) => {
      const seen = new Set<string>();
      const owned = batches.map((b) => b.trail.filter((e) => !seen.has(e.id) && seen.add(e.id)));
      const result = await storeTrailEvents(db, owned.flat(), batches.flatMap((b) => b.passthrough));
      const stored = new Set(result.storedIds);
      const refused = new Set(result.refusedIds);
      return owned.map((events) => ({ stored: events.filter((e) => stored.has(e.id)).length, refused: events.filter((e) => refused.has(e.id)).length }));
    });
    writers.set(db, write);
  }
  return write(batch);
}

/**
 * A declared journey step sent by posthog-js, as the trail stores it (also how the demo seed
 * records its simulated customers' browser steps): "invalid" for a declared event that cannot be
 * a step (no journey id, an exit without a channel, an abandonment, which only the server
 * declares), null for an event that is not a trail step at all ($pageview, …).
 */
export function browserTrailEvent(
  event: PostHogEvent,
  context: { userId: string | null; occurredAt: Date; forward: Record<string, unknown> | null },
): TrailEventInput | "invalid" | null {
  const parsed = parseEventName(event.event);
  if (!parsed) return null;
  const journeyId = event.properties.journey_id;
  if (typeof journeyId !== "string" || !UUID.test(journeyId) || parsed.kind === "abandoned" || !event.uuid || !event.distinctId) return "invalid";
  const step = parsed.kind === "step" ? parsed.step : String(event.properties.step ?? "");
  const channel = event.properties.channel;
  if (parsed.kind === "exited" && (!isExitChannel(channel) || !step)) return "invalid";
  if (parsed.kind === "rage_tapped" && !isStepOf(parsed.type, step)) return "invalid";
  const errorCode = typeof event.properties.error_code === "string" ? event.properties.error_code.slice(0, 64) : null;
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
    anonymousId: typeof event.properties.$device_id === "string" ? event.properties.$device_id : null,
    sessionId: typeof event.properties.$session_id === "string" ? event.properties.$session_id : null,
    deviceClass: deviceClassOf(event.properties.device_class),
    properties: pickTrailProperties(event.properties),
    forward: context.forward ? { event: event.event, properties: context.forward } : null,
  };
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
