// Read-only look into the portal's database during browser tests, to assert what the trail stored.
import pg from "pg";
import { embeddedPassword } from "../../lib/db/embedded-password";
import { NEW_ORDER_NUMBER_LOCK, orderNumberAfter } from "../../lib/orders/order-number";
import { E2E_PG_DIR, E2E_PG_PORT } from "./env";

// The password is generated when the test server first starts: read when connecting, not on import.
const pool = new pg.Pool({ host: "127.0.0.1", port: E2E_PG_PORT, user: "postgres", password: () => embeddedPassword(E2E_PG_DIR), database: "waymark", max: 2 });

// Steps recorded in one server transaction can share a timestamp: reaching a step comes before its outcome.
const VIEW_BEFORE_OUTCOME = "CASE kind WHEN 'VIEWED' THEN 0 ELSE 1 END";

export type StoredTrailEvent = { id: string; journeyId: string; journeyType: string; step: string; kind: string; source: string; channel: string | null; errorCode: string | null };

/** The test server's database URL, for code under test that needs a Prisma client of its own. */
export function portalDatabaseUrl(): string {
  return `postgresql://postgres:${encodeURIComponent(embeddedPassword(E2E_PG_DIR))}@127.0.0.1:${E2E_PG_PORT}/waymark`;
}

export async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await pool.query<T>(sql, params)).rows;
}

/**
 * Writes a test's own order under a number no other order has, taken as the portal takes a replacement
 * order's: under the same lock, the one after the highest. Drawn at random, parallel workers' numbers met
 * (a fresh-clone CI run failed on it), and a replacement order could take a number a test drew next.
 */
export async function withNewOrderNumber(write: (number: string, run: typeof query) => Promise<void>): Promise<string> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [NEW_ORDER_NUMBER_LOCK]);
    const [{ max }] = (await client.query<{ max: string | null }>(`SELECT max("number") AS max FROM "Order" WHERE "number" ~ '^WM-[0-9]{6}$'`)).rows;
    const number = orderNumberAfter(max);
    await write(number, async (sql, params = []) => (await client.query(sql, params)).rows);
    await client.query("COMMIT");
    return number;
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}

/** Trail events of one customer (by email) for one journey type, oldest first. */
export async function trailOf(email: string, journeyType: string): Promise<StoredTrailEvent[]> {
  return query<StoredTrailEvent>(
    `SELECT e."id", e."journeyId", e."journeyType", e."step", e."kind", e."source", e."channel", e."errorCode"
     FROM "TrailEvent" e JOIN "Journey" j ON j."id" = e."journeyId" JOIN "User" u ON u."id" = j."userId"
     WHERE u."email" = $1 AND e."journeyType" = $2 ORDER BY e."occurredAt", e."receivedAt", ${VIEW_BEFORE_OUTCOME.replaceAll("kind", 'e."kind"')}`,
    [email, journeyType],
  );
}

/** Trail events of one journey, oldest first. */
export async function trailOfJourney(journeyId: string): Promise<StoredTrailEvent[]> {
  return query<StoredTrailEvent>(
    `SELECT "id", "journeyId", "journeyType", "step", "kind", "source", "channel", "errorCode" FROM "TrailEvent" WHERE "journeyId" = $1 ORDER BY "occurredAt", "receivedAt", ${VIEW_BEFORE_OUTCOME.replaceAll("kind", '"kind"')}`,
    [journeyId],
  );
}

export async function orderNumbersOf(email: string): Promise<string[]> {
  const rows = await query<{ number: string }>(`SELECT o."number" FROM "Order" o JOIN "User" u ON u."id" = o."userId" WHERE u."email" = $1 ORDER BY o."placedAt" DESC`, [email]);
  return rows.map((r) => r.number);
}
