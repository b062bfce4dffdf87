// The one place that creates the Prisma client. It only knows DATABASE_URL: whether that server
// is the embedded one started by scripts/start.ts or a production PostgreSQL is not its concern.
import { type Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "../config/env";
import pg from "pg";
import crypto from "node:crypto";
import { pgAdapterOnPool, poolConfig, transactionOpening } from "./adapter";
import { withBeforeCommit } from "./before-commit";

export type Db = PrismaClient;

// Kept on globalThis: the HTTP front and Next's bundle each load this module (see db()).
const cache = globalThis as unknown as { waymarkDb?: PrismaClient; waymarkAfterCommit?: AfterCommit; waymarkInBackground?: Set<Promise<void>> };

/**
 * Prisma's defaults (2 s to get a connection, 5 s per transaction) fail a customer's submit on a
 * busy machine although nothing is wrong; these limits only stop a transaction that is really stuck.
 */
const TRANSACTION_LIMITS = { maxWait: 10_000, timeout: 30_000 };

/**
 * What a transaction left for after its commit (lib/db/before-commit.ts, the trail's intents):
 * "awaited" runs it before the transaction's call returns, so the caller reads everything the
 * transaction did (scripts, the worker, tests calling the app's code); "background" lets the
 * caller go on at the commit and runs it meanwhile (the web server: a customer's answer does not
 * wait for it).
 */
export type AfterCommit = "awaited" | "background";

/** For the web server, before its first query: db()'s client runs what a commit leaves for later in the background. */
export function runAfterCommitWorkInBackground(): void {
  cache.waymarkAfterCommit = "background";
}

const inBackground = (cache.waymarkInBackground ??= new Set<Promise<void>>());

// The transaction has committed: a failure here is reported, never thrown at a caller that would
// take its task for undone. Whoever registers the work makes it safe to leave (the trail's intents
// wait for the worker's duty).
async function runCommitted(work: (() => Promise<void>)[]) {
  try {
    for (const run of work) await run();
  } catch (error) {
    console.warn(`[waymark] work after a commit failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Settles the work transactions left to run in the background (for a process about to stop, and tests). */
export async function backgroundWorkSettled(): Promise<void> {
  while (inBackground.size) await Promise.all(inBackground);
}

export function createDb(url: string, poolSize = 10, options: { afterCommit?: AfterCommit } = {}): PrismaClient {
  const pool = new pg.Pool(poolConfig(url, { max: poolSize }));
  const client = new PrismaClient({ adapter: pgAdapterOnPool(pool), transactionOptions: TRANSACTION_LIMITS });
  const transactions = new WeakMap<object, pg.PoolClient>();
  (client as WithPool)[POOL] = { client, pool, transactions };
  // The pool is this function's: Prisma only listens on it once it has run a query of its own, and
  // the pages' hot reads go through queryDirect, so a process may never do. An idle connection the
  // server closes (a restart) must not end the process: the pool opens another on the next query.
  pool.on("error", (error) => console.warn(`[waymark] an idle database connection was closed: ${error.message}`));
  const disconnect = client.$disconnect.bind(client);
  client.$disconnect = async () => {
    await disconnect();
    if (!pool.ending) await pool.end();
  };
  // An interactive transaction runs what was registered to run before its commit
  // (lib/db/before-commit.ts) at the end of its callback, inside it, and its connection is kept
  // for queryDirect's statements in it.
  const transaction = client.$transaction.bind(client) as (arg: unknown, options?: unknown) => Promise<unknown>;
  const afterCommit = options.afterCommit ?? "awaited";
  client.$transaction = ((arg: unknown, transactionOptions?: unknown) => {
    if (typeof arg !== "function") return transaction(arg, transactionOptions);
    let connection: pg.PoolClient | undefined;
    const committed: (() => Promise<void>)[] = [];
    const result = transactionOpening.run(
      (opened) => (connection ??= opened),
      () =>
        transaction(async (tx: object) => {
          if (connection) transactions.set(tx, connection);
          try {
            return await withBeforeCommit(tx, () => arg(tx), committed);
          } finally {
            // Past its end the connection goes back to the pool: a late statement must not follow it there.
            transactions.delete(tx);
          }
        }, transactionOptions),
    );
    return result.then(async (value) => {
      if (committed.length === 0) return value;
      if (afterCommit === "awaited") {
        await runCommitted(committed);
        return value;
      }
      const running = runCommitted(committed).finally(() => inBackground.delete(running));
      inBackground.add(running);
      return value;
    });
  }) as PrismaClient["$transaction"];
  return client;
}

/**
 * A connection of its own, outside every pool, for a session that holds it (a LISTEN): the pool
 * would hand it to other statements between uses. TCP keep-alive, so a connection the network
 * dropped without a word is noticed and reported as ended instead of listening to nothing.
 */
export function dedicatedConnection(url: string, applicationName: string): pg.Client {
  return new pg.Client({ ...poolConfig(url), application_name: applicationName, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
}

// Each client's own connections, for queryDirect: kept on the client under a global symbol, since
// the HTTP front and Next's bundle each load this module, and share the client (see db()).
const POOL = Symbol.for("waymark.db.pool");
// The client is kept beside its pool: a transaction's client reads the same property (it is made
// from the top-level one) and must not be taken for it, or its statement would run outside the transaction.
// `transactions`: each open interactive transaction's connection, by its transaction client.
type WithPool = PrismaClient & { [POOL]?: { client: PrismaClient; pool: pg.Pool; transactions: WeakMap<object, pg.PoolClient> } };

/**
 * One statement with positional parameters ($1, $2…) on the client's own connections, straight
 * through node-postgres, prepared like every other statement: for the statements where Prisma's
 * own path costs more than the database. The trail's batches: Prisma's raw queries pass every
 * parameter through JSON.stringify and JSON.parse first, which cost /ingest more CPU than the rest
 * of its database call. The reads every page makes (the session check, the order history): a
 * /orders request costs the web process 0.94× the CPU this way (measured side by side). Inside an
 * interactive transaction of this client it goes on the transaction's own connection (so it sees
 * and commits or rolls back with the rest); on a client made elsewhere it is Prisma's
 * $queryRawUnsafe with the same text and values. Rows come as node-postgres gives them: fine for
 * text, int, boolean, timestamptz and text[]; a bigint or numeric column would arrive as a string.
 */
export async function queryDirect<T>(db: PrismaClient | Prisma.TransactionClient, text: string, values: unknown[]): Promise<T[]> {
  const own = (db as WithPool)[POOL];
  const target = own?.client === db ? (own.pool.ending ? undefined : own.pool) : own?.transactions.get(db);
  if (!target) return db.$queryRawUnsafe<T[]>(text, ...values);
  const result = await target.query({ name: directStatementName(text), text, values });
  return result.rows as T[];
}

/** The client a transaction's client was made from (the one that opens transactions), or null for a client made elsewhere. */
export function clientOf(db: PrismaClient | Prisma.TransactionClient): PrismaClient | null {
  return (db as WithPool)[POOL]?.client ?? null;
}

/** queryDirect for a tagged statement (Prisma.sql, its values as the parameters). */
export function queryDirectSql<T>(db: PrismaClient | Prisma.TransactionClient, statement: Prisma.Sql): Promise<T[]> {
  return queryDirect<T>(db, statement.text, statement.values);
}

// Named by the text's hash, not by a counter like the adapter's names: the front's copy of this
// module and Next's bundle's share the pool, and two counters would give two texts one name.
const directNames = new Map<string, string>();
function directStatementName(text: string): string {
  let name = directNames.get(text);
  if (!name) directNames.set(text, (name = `waymark_direct_${crypto.createHash("sha256").update(text).digest("hex").slice(0, 24)}`));
  return name;
}

/** The process-wide client (cached on globalThis so dev-server reloads do not open new pools). */
export function db(): PrismaClient {
  if (cache.waymarkDb) return cache.waymarkDb;
  const url = env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start Waymark with `npm start`, which provides it.");
  cache.waymarkDb = createDb(url, 10, { afterCommit: cache.waymarkAfterCommit ?? "awaited" });
  return cache.waymarkDb;
}
