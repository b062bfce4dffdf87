// The trail's PostHog copies in the outbox, one entry per event: a "posthog" row holds a stored
// batch's copies (lib/trail/store.ts), so tests read events, never rows.
import type { Db } from "@/lib/db/client";
import type { OutboxStatus } from "@/lib/generated/prisma/client";
import { POSTHOG_TOPIC, type QueuedPostHogBatch, type QueuedPostHogEvent } from "@/lib/integrations/posthog";

export type QueuedCopy = QueuedPostHogEvent & { status: OutboxStatus };

export async function queuedPostHogEvents(db: Db, status?: OutboxStatus): Promise<QueuedCopy[]> {
  const rows = await db.outboxMessage.findMany({ where: { topic: POSTHOG_TOPIC, ...(status ? { status } : {}) }, orderBy: { createdAt: "asc" } });
  return rows.flatMap((row) => (row.payload as QueuedPostHogBatch).events.map((event) => ({ ...event, status: row.status })));
}
