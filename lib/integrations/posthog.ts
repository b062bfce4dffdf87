// The PostHog seam: configuration, and delivery of queued events through posthog-node.
import { PostHog } from "posthog-node";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { OutboxRow } from "@/lib/outbox/outbox";
import { deletedDistinctIds } from "@/lib/privacy/deletion";
import { scrubProperties } from "@/lib/trail/url-scrub";

const configSchema = z.object({
  POSTHOG_HOST: z.string().url().optional(),
  POSTHOG_KEY: z.string().min(1).optional(),
});

export type PostHogConfig = { host: string; key: string };

/** Null when PostHog is not configured: the trail is then only kept in the portal's database. */
export function posthogConfig(env: NodeJS.ProcessEnv = process.env): PostHogConfig | null {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success || !parsed.data.POSTHOG_HOST || !parsed.data.POSTHOG_KEY) return null;
  return { host: parsed.data.POSTHOG_HOST.replace(/\/$/, ""), key: parsed.data.POSTHOG_KEY };
}

export type QueuedPostHogEvent = { uuid: string; event: string; distinctId: string; timestamp: string; properties: Record<string, unknown> };

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
    const events = rows.map((row) => row.payload as QueuedPostHogEvent);
    const deleted = await deletedDistinctIds(db, events.map((e) => e.distinctId));
    const allowed = events.filter((e) => !deleted.has(e.distinctId)).map((e) => ({ ...e, properties: scrubProperties(e.properties) }));
    if (allowed.length) await sendToPostHog(config, allowed);
  };
}
