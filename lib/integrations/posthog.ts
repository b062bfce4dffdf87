// The PostHog seam on the server: the one module that talks to PostHog (lib/trail/browser.ts is the
// browser's). Everything that reaches PostHog goes through a function here:
// - events: the outbox's deliveries, through posthog-node (postHogDeliveryHandler);
// - feature flags: the read that decides help in place (featureFlag), and the relay of posthog-js's
//   /flags and remote config calls made to our /ingest (relayToPostHog);
// - the REST API: person deletion and the funnels sync (callPostHogApi).
// Who may reach PostHog at all (consent, deleted accounts) is decided by the callers' domain rules;
// this module only knows how to talk to it.
import "server-only";
import { PostHog } from "posthog-node";
import { env, type Config } from "@/lib/config/env";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { OutboxRow } from "@/lib/outbox/outbox";
import { deletedDistinctIds } from "@/lib/privacy/deletion";
import { scrubProperties } from "@/lib/trail/url-scrub";

export type PostHogConfig = { host: string; key: string };

/** Null when PostHog is not configured: the trail is then only kept in the portal's database. */
export function posthogConfig(config: Config = env()): PostHogConfig | null {
  if (!config.POSTHOG_HOST || !config.POSTHOG_KEY) return null;
  return { host: config.POSTHOG_HOST, key: config.POSTHOG_KEY };
}

export type PostHogApiAccess = {
  /** The app host (https://us.posthog.com, https://eu.posthog.com or self-hosted), not the ingestion host. */
  host: string;
  projectId: string;
  personalApiKey: string;
  fetch?: typeof fetch;
};

/** PostHog's REST API (person deletion, the funnels sync); null until POSTHOG_PROJECT_ID and POSTHOG_PERSONAL_API_KEY are set. */
export function postHogApiAccess(config: Config = env()): PostHogApiAccess | null {
  if (!config.POSTHOG_PROJECT_ID || !config.POSTHOG_PERSONAL_API_KEY) return null;
  return { host: config.POSTHOG_API_HOST, projectId: config.POSTHOG_PROJECT_ID, personalApiKey: config.POSTHOG_PERSONAL_API_KEY };
}

export type QueuedPostHogEvent = { uuid: string; event: string; distinctId: string; timestamp: string; properties: Record<string, unknown> };

/**
 * The outbox topic of the trail's PostHog copies. Each row is one stored batch's copies
 * (lib/trail/store.ts, trail_store): a row per event cost /ingest as much as storing the event.
 */
export const POSTHOG_TOPIC = "posthog";
export type QueuedPostHogBatch = { events: QueuedPostHogEvent[] };
/** Rows claimed per send: a row holds a group of browser batches, a few hundred events at most. */
export const POSTHOG_ROWS_PER_SEND = 10;

/**
 * Sends one batch with posthog-node and tells whether PostHog accepted it. posthog-node never
 * throws on a failed send, so a fetch wrapper observes the outcome; the outbox does the retrying.
 */
export async function sendToPostHog(config: PostHogConfig, events: QueuedPostHogEvent[]): Promise<void> {
  let failure: string | null = null;
  const client = new PostHog(config.key, {
    host: config.host,
    flushAt: Math.max(events.length, 1),
    flushInterval: 0,
    fetchRetryCount: 0,
    requestTimeout: 5000,
    disableGeoip: true,
    fetch: async (url, options) => {
      try {
        const response = await fetch(url, options as RequestInit);
        if (!response.ok) failure = `PostHog answered ${response.status}`;
        return response;
      } catch (e) {
        failure = `PostHog unreachable: ${e instanceof Error ? e.message : String(e)}`;
        throw e;
      }
    },
  });
  client.on("error", () => {});
  for (const e of events) {
    client.capture({ distinctId: e.distinctId, event: e.event, properties: e.properties, uuid: e.uuid, timestamp: new Date(e.timestamp) });
  }
  await client.flush();
  await client.shutdown(1000);
  if (failure) throw new Error(failure);
}

/**
 * The outbox handler for "posthog" rows, and the last gate before PostHog whatever queued the event
 * (browser batches, server-side steps, the abandonment job): events of deleted accounts are dropped
 * and every URL is scrubbed again, so no path to PostHog can skip either rule.
 */
export function postHogDeliveryHandler(db: Db, config: PostHogConfig) {
  return async (rows: OutboxRow[]) => {
    const events = rows.flatMap((row) => (row.payload as QueuedPostHogBatch).events);
    const deleted = await deletedDistinctIds(db, events.map((e) => e.distinctId));
    const allowed = events.filter((e) => !deleted.has(e.distinctId)).map((e) => ({ ...e, properties: scrubProperties(e.properties) }));
    if (allowed.length) await sendToPostHog(config, allowed);
  };
}

/**
 * Takes a person's events out of the batches still waiting for PostHog (a batch left empty goes):
 * sent after the person's deletion, they would create the person again.
 */
export async function forgetQueuedPostHogEvents(tx: Prisma.TransactionClient, distinctId: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE "OutboxMessage" o
    SET "payload" = jsonb_build_object('events', COALESCE((SELECT jsonb_agg(e) FROM jsonb_array_elements(o."payload"->'events') e WHERE e->>'distinctId' <> ${distinctId}), '[]'::jsonb))
    WHERE o."topic" = ${POSTHOG_TOPIC} AND o."status" = 'PENDING' AND o."payload"->'events' @> ${JSON.stringify([{ distinctId }])}::jsonb`;
  await tx.$executeRaw`DELETE FROM "OutboxMessage" WHERE "topic" = ${POSTHOG_TOPIC} AND "status" = 'PENDING' AND "payload"->'events' = '[]'::jsonb`;
}

// Flag reads and relayed calls answer a waiting page: a slow PostHog counts as no answer.
const FLAG_TIMEOUT_MS = 800;
const RELAY_TIMEOUT_MS = 1500;

/**
 * One flag's value for `distinctId` (true/false, or a variant's name), or undefined when PostHog
 * does not know the flag, is slow or is down. Sends the distinct id and nothing else about the person.
 */
export async function featureFlag(config: PostHogConfig, distinctId: string, flag: string): Promise<boolean | string | undefined> {
  try {
    const response = await fetch(`${config.host}/flags/?v=2`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ api_key: config.key, distinct_id: distinctId }),
      signal: AbortSignal.timeout(FLAG_TIMEOUT_MS),
    });
    const body = (await response.json()) as { featureFlags?: Record<string, boolean | string>; flags?: Record<string, { enabled?: boolean }> };
    return body.featureFlags?.[flag] ?? body.flags?.[flag]?.enabled;
  } catch {
    return undefined;
  }
}

/**
 * Passes a posthog-js call (`/flags/?…`, `/array/<token>/config`) on to PostHog; PostHog's JSON
 * answer, or null when it refused, is slow or is down (the caller then answers locally).
 */
export async function relayToPostHog(config: PostHogConfig, path: string, init: { method: "GET" | "POST"; body?: string }): Promise<Response | null> {
  try {
    const upstream = await fetch(`${config.host}${path}`, {
      method: init.method,
      body: init.body,
      headers: init.body ? { "content-type": "application/json" } : undefined,
      signal: AbortSignal.timeout(RELAY_TIMEOUT_MS),
    });
    if (!upstream.ok) return null;
    return new Response(await upstream.arrayBuffer(), { status: 200, headers: { "content-type": "application/json" } });
  } catch {
    return null;
  }
}

const API_TIMEOUT_MS = 15_000;

/**
 * One call to PostHog's REST API for the project: `target` is a path under
 * /api/projects/<id>/ (`persons/bulk_delete/`) or a URL PostHog gave (a list's `next` page), which
 * must be on the same host: the personal API key is never sent anywhere else. Throws when PostHog
 * cannot be reached; the callers word its answers for their readers.
 */
export async function callPostHogApi(access: PostHogApiAccess, method: "GET" | "POST" | "PATCH", target: string, body?: unknown): Promise<Response> {
  const host = access.host.replace(/\/+$/, "");
  const url = /^https?:\/\//.test(target) ? target : `${host}/api/projects/${encodeURIComponent(access.projectId)}/${target}`;
  if (new URL(url).origin !== new URL(host).origin) throw new Error(`PostHog pointed at another host (${new URL(url).origin}); refusing to send the API key there`);
  return (access.fetch ?? fetch)(url, {
    method,
    headers: { authorization: `Bearer ${access.personalApiKey}`, accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(API_TIMEOUT_MS),
  });
}
