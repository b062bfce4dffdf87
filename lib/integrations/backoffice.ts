// The back-office seam (ERP, CRM): business events go out as signed webhooks (Standard Webhooks,
// see ./backoffice-signature.ts) to every configured endpoint, each endpoint retried on its own.
//
// Exactly once per endpoint, without a table of its own: a queued event ("backoffice.event") is
// fanned out into one outbox row per endpoint, topic "backoffice.delivery:<endpoint>", dedupeKey
// "<event id>:<endpoint>". The unique dedupeKey makes the fan-out idempotent (a fan-out interrupted
// before its event row was marked delivered is simply done again, inserting nothing twice), and
// each delivery row is claimed and sent alone (batch of one), so its DELIVERED state is exactly
// "this endpoint answered 2xx to this event". One endpoint being down only holds back its own rows.
// The webhook-id is the event id, the same on every retry, so receivers de-duplicate by it.
import "server-only";
import { z } from "zod";
import { env, type Config } from "@/lib/config/env";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { BUSINESS_EVENT_TOPIC } from "@/lib/integrations/business-events";
import { deliverDue, type OutboxRow } from "@/lib/outbox/outbox";
import { webhookHeaders } from "./backoffice-signature";

export const DELIVERY_TOPIC_PREFIX = "backoffice.delivery:";

export function deliveryTopic(endpointName: string): string {
  return `${DELIVERY_TOPIC_PREFIX}${endpointName}`;
}

/** `timeoutMs`: how long one delivery may take before it counts as failed (REQUEST_TIMEOUT_MS when unset). */
export type BackOfficeEndpoint = { name: string; url: string; secret: string; timeoutMs?: number };
export type BackOfficeConfig = { endpoints: BackOfficeEndpoint[] };

/** Null when no endpoint is configured: events then wait in the outbox until one is. */
export function backOfficeConfig(config: Config = env()): BackOfficeConfig | null {
  if (!config.BACKOFFICE_ENDPOINTS?.length) return null;
  const shared = config.BACKOFFICE_SIGNING_SECRET;
  // lib/config/env.ts refuses to start with an endpoint that has neither secret.
  return { endpoints: config.BACKOFFICE_ENDPOINTS.map((e) => ({ name: e.name, url: e.url, secret: (e.secret ?? shared)! })) };
}

/** The secret the back office signs its webhooks to us with; null when inbound webhooks are off. */
export function backOfficeInboundSecret(config: Config = env()): string | null {
  return config.BACKOFFICE_INBOUND_SECRET ?? null;
}

const queuedEventSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_:-]{1,200}$/),
  type: z.string().min(1).max(100),
  occurredAt: z.iso.datetime({ offset: true }),
  data: z.record(z.string(), z.unknown()),
});

type QueuedEvent = z.infer<typeof queuedEventSchema>;

function queuedEvent(row: OutboxRow): QueuedEvent {
  const parsed = queuedEventSchema.safeParse(row.payload);
  if (!parsed.success) throw new Error(`outbox row ${row.id} does not hold a business event`);
  return parsed.data;
}

/** Standard Webhooks' recommended envelope: type, timestamp (of the event), data; plus the id receivers de-duplicate by. */
export function webhookBody(event: QueuedEvent): string {
  return JSON.stringify({ id: event.id, type: event.type, timestamp: event.occurredAt, data: event.data });
}

/** A slow endpoint counts as a failed attempt; the spec recommends 15–30 s, we wait less so other endpoints are not held up. */
const REQUEST_TIMEOUT_MS = 10_000;

/** One signed POST; throws (for the outbox to retry) unless the endpoint answers 2xx. Errors never carry the URL or the secret. */
export async function sendWebhook(endpoint: BackOfficeEndpoint, event: QueuedEvent, now = new Date()): Promise<void> {
  const body = webhookBody(event);
  let response: Response;
  try {
    response = await fetch(endpoint.url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Waymark-Webhooks/1", ...webhookHeaders(endpoint.secret, event.id, body, now) },
      body,
      // A redirect is a failure (spec): the endpoint's URL should be updated instead.
      redirect: "manual",
      signal: AbortSignal.timeout(endpoint.timeoutMs ?? REQUEST_TIMEOUT_MS),
    });
  } catch (e) {
    const cause = e instanceof Error ? ((e.cause as { code?: unknown } | undefined)?.code ?? e.name) : "error";
    throw new Error(`${endpoint.name} unreachable (${String(cause)})`);
  }
  await response.body?.cancel();
  if (response.status < 200 || response.status > 299) throw new Error(`${endpoint.name} answered ${response.status}`);
}

/** Copies each queued event into one delivery row per endpoint; idempotent (see the header). */
export async function fanOutBusinessEvents(db: Db, endpoints: BackOfficeEndpoint[]) {
  return deliverDue(db, BUSINESS_EVENT_TOPIC, async (rows) => {
    const deliveries = rows.flatMap((row) => {
      const event = queuedEvent(row);
      // The event as queued (JSON read from the outbox), checked above.
      const payload = row.payload as Prisma.InputJsonValue;
      return endpoints.map((endpoint) => ({ topic: deliveryTopic(endpoint.name), dedupeKey: `${event.id}:${endpoint.name}`, payload }));
    });
    await db.outboxMessage.createMany({ data: deliveries, skipDuplicates: true });
  });
}

/** Sends what is due for one endpoint, one row per claim, stopping at the first failure (the rest wait for the backoff). */
export async function deliverToEndpoint(db: Db, endpoint: BackOfficeEndpoint) {
  return deliverDue(db, deliveryTopic(endpoint.name), ([row]) => sendWebhook(endpoint, queuedEvent(row)), 1);
}

/** One background tick: fan out new events, then deliver to every endpoint side by side. */
export async function deliverBusinessEvents(db: Db, config: BackOfficeConfig) {
  const fannedOut = await fanOutBusinessEvents(db, config.endpoints);
  const results = await Promise.all(config.endpoints.map(async (endpoint) => ({ endpoint: endpoint.name, ...(await deliverToEndpoint(db, endpoint)) })));
  return { fannedOut, endpoints: results };
}
