// Builds @prisma/adapter-pg factories: the one adapter Waymark uses, for the app and for migrations.
import { AsyncLocalStorage } from "node:async_hooks";
import crypto from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import type { Pool, PoolClient, PoolConfig } from "pg";
import { parseIntoClientConfig } from "pg-connection-string";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery } from "@prisma/driver-adapter-utils";

/**
 * Built from a parsed config, not { connectionString }: node-postgres lets a connectionString
 * override `database`, which would point the migration "shadow" database at the main one.
 * `prepared`: the app's queries become prepared statements (see statementName); migrations change
 * the schema under their own statements, so they go without.
 */
export function pgAdapterFactory(url: string, pool: Partial<PoolConfig> = {}, { prepared = false } = {}): PrismaPg {
  return new PrismaPg(poolConfig(url, pool), prepared ? { statementNameGenerator: statementName as (query: SqlQuery) => string } : undefined);
}

export function poolConfig(url: string, pool: Partial<PoolConfig> = {}): PoolConfig {
  return { ...(parseIntoClientConfig(url) as PoolConfig), ...pool };
}

/** The adapter over a pool the caller made, queries itself and ends (lib/db/client.ts): Prisma leaves it open. */
export function pgAdapterOnPool(pool: Pool): PrismaPg {
  return new PgAdapterTellingConnections(pool, { statementNameGenerator: statementName as (query: SqlQuery) => string, disposeExternalPool: false });
}

/**
 * Set by lib/db/client.ts around each interactive transaction it opens: told which connection the
 * transaction runs on, once the adapter has begun it. Prisma begins it within the $transaction
 * call, so the call's async context is the one the adapter sees.
 */
export const transactionOpening = new AsyncLocalStorage<(connection: PoolClient) => void>();

/**
 * The adapter keeps a transaction's connection to itself; queryDirect needs it to send a statement
 * inside the transaction without Prisma's raw-query path. adapter-pg 7.10 holds it in the
 * transaction's `client` field: should a later version not, nothing is told and queryDirect goes
 * through Prisma as before.
 */
class PgAdapterTellingConnections extends PrismaPg {
  override async connect() {
    const adapter = await super.connect();
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      const transaction = await startTransaction(isolationLevel);
      const connection = (transaction as unknown as { client?: Partial<PoolClient> }).client;
      if (typeof connection?.query === "function") transactionOpening.getStore()?.(connection as PoolClient);
      return transaction;
    };
    return adapter;
  }
}

// Every request runs the same few statements (the session check first of all). Named, each is
// parsed and planned once per connection instead of on every call, on the database's CPU, which on
// one machine is the web process's too. The names are per process and stable for a text (node-postgres
// refuses one name for two texts). Only statements with parameters: those already go through the
// extended protocol, so nothing that runs today changes meaning (a parameterless script may hold
// several statements, which a prepared statement cannot; undefined is node-postgres's "unnamed",
// which the adapter's type leaves out). The cap bounds what each connection keeps
// if some caller built texts without end (an IN list of every length): past it, texts go unnamed.
const MAX_NAMED_STATEMENTS = 2000;
const statementNames = new Map<string, string>();

export function statementName(query: SqlQuery): string | undefined {
  if (query.args.length === 0) return undefined;
  let name = statementNames.get(query.sql);
  if (!name && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `waymark_${statementNames.size}`;
    statementNames.set(query.sql, name);
  }
  return name;
}

/** adapter-pg 7.10 cannot decode PostgreSQL's internal "char" (OID 18), which catalog queries return. */
function reportCharAsText<T extends SqlDriverAdapter>(adapter: T): T {
  const a = adapter as T & { performIO(q: unknown): Promise<{ fields?: { dataTypeID: number }[] }> };
  const performIO = a.performIO.bind(a);
  a.performIO = async (q) => {
    const res = await performIO(q);
    for (const f of res.fields ?? []) if (f.dataTypeID === 18) f.dataTypeID = 25;
    return res;
  };
  return a;
}

/** For migrations: a shadow database that is really dropped (pool ended before DROP DATABASE). */
class PgMigrationAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres" as const;
  readonly adapterName = "@prisma/adapter-pg";
  private readonly main: PrismaPg;
  constructor(private readonly url: string) {
    this.main = pgAdapterFactory(url);
  }
  async connect(): Promise<SqlDriverAdapter> {
    return reportCharAsText(await this.main.connect());
  }
  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const admin = await this.main.connect();
    const name = `prisma_migrate_shadow_db_${crypto.randomUUID()}`;
    await admin.executeScript(`CREATE DATABASE "${name}"`);
    const shadow = reportCharAsText(await pgAdapterFactory(this.url, { database: name }).connect());
    const endShadowPool = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await endShadowPool();
      try {
        await admin.executeScript(`DROP DATABASE IF EXISTS "${name}"`);
      } finally {
        await admin.dispose();
      }
    };
    return shadow;
  }
}

/** The schema engine does not dispose the connections it opens; track them so scripts exit promptly. */
export function openMigrationAdapter(url: string) {
  const factory = new PgMigrationAdapterFactory(url);
  const open = new Set<SqlDriverAdapter>();
  const track = async (p: Promise<SqlDriverAdapter>) => {
    const a = await p;
    const dispose = a.dispose.bind(a);
    a.dispose = async () => {
      if (open.delete(a)) await dispose();
    };
    open.add(a);
    return a;
  };
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => track(factory.connect()),
    connectToShadowDb: () => track(factory.connectToShadowDb()),
  };
  return {
    factory: tracked,
    async close() {
      for (const a of [...open]) await a.dispose().catch(() => {});
    },
  };
}
