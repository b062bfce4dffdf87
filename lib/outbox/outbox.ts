// Delivery of queued side effects with retry and backoff. Rows are leased with SKIP LOCKED, so
// several workers (or server processes) never deliver the same row at the same time.
import "server-only";
import { env } from "@/lib/config/env";
import type { Db } from "@/lib/db/client";

export type OutboxRow = { id: string; topic: string; dedupeKey: string; payload: unknown; attempts: number };
export type TopicHandler = (rows: OutboxRow[]) => Promise<void>;

export const MAX_ATTEMPTS = 25;

/** 5 s, 10 s, 20 s … capped at one hour. */
export function backoffSeconds(attempts: number): number {
  return Math.min(5 * 2 ** Math.max(attempts - 1, 0), 3600);
}

async function claim(db: Db, topic: string, limit: number): Promise<OutboxRow[]> {
  return db.$queryRaw<OutboxRow[]>`
    UPDATE "OutboxMessage" SET "attempts" = "attempts" + 1, "nextAttemptAt" = now() + make_interval(secs => ${env().OUTBOX_LEASE_SECONDS})
    WHERE "id" IN (
      SELECT "id" FROM "OutboxMessage"
      WHERE "status" = 'PENDING' AND "topic" = ${topic} AND "nextAttemptAt" <= now()
      ORDER BY "createdAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING "id", "topic", "dedupeKey", "payload", "attempts"`;
}

/** Delivers what is due for one topic in batches; returns how many rows were delivered. */
export async function deliverDue(db: Db, topic: string, handler: TopicHandler, batchSize = 100): Promise<{ delivered: number; failed: number }> {
  let delivered = 0;
  let failed = 0;
  for (;;) {
    const rows = await claim(db, topic, batchSize);
    if (rows.length === 0) break;
    try {
      await handler(rows);
      await db.outboxMessage.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { status: "DELIVERED", deliveredAt: new Date(), lastError: null } });
      delivered += rows.length;
    } catch (e) {
      const message = (e instanceof Error ? e.message : String(e)).slice(0, 500);
      for (const row of rows) {
        await db.outboxMessage.update({
          where: { id: row.id },
          data: row.attempts >= MAX_ATTEMPTS ? { status: "DEAD", lastError: message } : { lastError: message, nextAttemptAt: new Date(Date.now() + backoffSeconds(row.attempts) * 1000) },
        });
      }
      failed += rows.length;
      break; // the destination is failing: wait for the backoff instead of hammering it
    }
    if (rows.length < batchSize) break;
  }
  return { delivered, failed };
}
