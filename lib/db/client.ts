// The one place that creates the Prisma client. It only knows DATABASE_URL: whether that server
// is the embedded one started by scripts/start.ts or a production PostgreSQL is not its concern.
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "../config/env";
import { pgAdapterFactory } from "./adapter";
import { withBeforeCommit } from "./before-commit";

export type Db = PrismaClient;

const cache = globalThis as unknown as { waymarkDb?: PrismaClient };

/**
 * Prisma's defaults (2 s to get a connection, 5 s per transaction) fail a customer's submit on a
 * busy machine although nothing is wrong; these limits only stop a transaction that is really stuck.
 */
const TRANSACTION_LIMITS = { maxWait: 10_000, timeout: 30_000 };

export function createDb(url: string, poolSize = 10): PrismaClient {
  const client = new PrismaClient({ adapter: pgAdapterFactory(url, { max: poolSize }, { prepared: true }), transactionOptions: TRANSACTION_LIMITS });
  // An interactive transaction runs what was registered to run before its commit
  // (lib/db/before-commit.ts) at the end of its callback, inside it.
  const transaction = client.$transaction.bind(client) as (arg: unknown, options?: unknown) => Promise<unknown>;
  client.$transaction = ((arg: unknown, options?: unknown) =>
    typeof arg === "function" ? transaction((tx: object) => withBeforeCommit(tx, () => arg(tx)), options) : transaction(arg, options)) as PrismaClient["$transaction"];
  return client;
}

/** The process-wide client (cached on globalThis so dev-server reloads do not open new pools). */
export function db(): PrismaClient {
  if (cache.waymarkDb) return cache.waymarkDb;
  const url = env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start Waymark with `npm start`, which provides it.");
  cache.waymarkDb = createDb(url);
  return cache.waymarkDb;
}
