// Builds @prisma/adapter-pg factories: the one adapter Waymark uses, for the app and for migrations.
import crypto from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import type { PoolConfig } from "pg";
import { parseIntoClientConfig } from "pg-connection-string";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

/**
 * Built from a parsed config, not { connectionString }: node-postgres lets a connectionString
 * override `database`, which would point the migration "shadow" database at the main one.
 */
export function pgAdapterFactory(url: string, pool: Partial<PoolConfig> = {}): PrismaPg {
  return new PrismaPg({ ...(parseIntoClientConfig(url) as PoolConfig), ...pool });
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
