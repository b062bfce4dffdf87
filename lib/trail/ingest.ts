// What /ingest does with a decoded posthog-js batch: declared trail events become journey steps in
// the portal's own store; every event's PostHog copy (stripped of anything personal) is queued in
// the outbox for forwarding; retried events are skipped by their id.
import "server-only";
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

/**
 * Stores a browser batch. `forwarding` is false when no PostHog is configured: then nothing is
 * queued for it. Events of customers who declined analytics are kept here but not forwarded.
 */
export async function ingestBrowserBatch(db: Db, events: PostHogEvent[], options: { forwarding: boolean; now?: Date }): Promise<IngestResult> {
  const now = options.now ?? new Date();
  const distinctIds = [...new Set(events.map((e) => e.distinctId).filter((id): id is string => !!id && UUID.test(id)))];
  const users = distinctIds.length ? await db.user.findMany({ where: { analyticsId: { in: distinctIds } }, select: { id: true, analyticsId: true, analyticsConsent: true, status: true, role: true } }) : [];
  const userByDistinctId = new Map(users.map((u) => [u.analyticsId, u]));

  const trail: TrailEventInput[] = [];
  const passthrough: ForwardOnlyEvent[] = [];
  const identifies: { deviceId: string; userId: string }[] = [];
  let rejected = 0;

  for (const event of events) {
    const id = event.uuid;
    const distinctId = event.distinctId;
    if (!id || !UUID.test(id) || !distinctId) {
      rejected++;
      continue;
    }
    const known = userByDistinctId.get(distinctId);
    // A deleted account's late events stay unattached and never reach PostHog (which forgot the person).
    const user = known?.status === "ACTIVE" ? known : undefined;
    // Staff (agents, analysts) are not customers using the product: their events never reach
    // PostHog; their trail is kept, and the insights leave it out (lib/insights/refresh.ts).
    const consent = known ? known.status === "ACTIVE" && known.analyticsConsent && known.role === "CUSTOMER" : event.properties.analytics_consent !== false;
    const deviceId = typeof event.properties.$device_id === "string" ? event.properties.$device_id : null;
    const sent = event.timestamp ? new Date(event.timestamp) : now;
    const occurredAt = Number.isNaN(sent.getTime()) || sent.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS ? now : sent;
    const forwardProperties = sanitizeForPostHog(event.properties);
    if (event.event === "$identify" && user && deviceId) identifies.push({ deviceId, userId: user.id });

    const step = browserTrailEvent(event, { userId: user?.id ?? null, occurredAt, forward: options.forwarding && consent ? forwardProperties : null });
    if (step === "invalid") rejected++;
    else if (step) trail.push(step);
    else if (options.forwarding && consent) passthrough.push({ id, distinctId, occurredAt, event: event.event, properties: forwardProperties });
  }

  const { stored, refused } = await storeBatch(db, { trail, passthrough });
  // Sign-in joins the device's earlier journeys to the customer, as PostHog joins the persons.
  for (const { deviceId, userId } of identifies) {
    await db.journey.updateMany({ where: { anonymousId: deviceId, userId: null }, data: { userId } });
  }
  return { received: events.length, stored, forwarded: trail.filter((t) => t.forward).length + passthrough.length, rejected: rejected + refused };
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
