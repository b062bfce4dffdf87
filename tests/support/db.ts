// Real PostgreSQL for tests. The global setup starts one throw-away server per `vitest run` and
// migrates `waymark_template` once; each test file copies it into its own database, which is fast
// (a file copy inside PostgreSQL) and keeps files that run in parallel apart.
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { createDb, type Db } from "@/lib/db/client";
import { settleKick } from "@/lib/jobs/kick";
import { removeEmbeddedData, startEmbeddedPostgres } from "@/lib/db/embedded";

export const TEMPLATE_DATABASE = "waymark_template";

export type FreshDatabase = { db: Db; url: string; drop(): Promise<void> };
export type ThrowawayPostgres = { serverUrl: string; stop(): Promise<void> };

/** URL of `database` on the server that `serverUrl` (any database on it) points at. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * For a file whose tests run the real server actions: a fresh database for the file's tests that
 * the app's own client (db(), read from DATABASE_URL) reaches too. Registers its own hooks.
 */
export function freshDatabaseForActions(): FreshDatabase {
  let current: FreshDatabase | undefined;
  beforeAll(async () => {
    current = await freshDatabase();
    process.env.DATABASE_URL = current.url;
  });
  afterAll(async () => {
    // A kick the tests' actions left waiting would otherwise open a client on the dropped database.
    await settleKick();
    const cached = globalThis as unknown as { waymarkDb?: { $disconnect(): Promise<void> } };
    await cached.waymarkDb?.$disconnect();
    delete cached.waymarkDb;
    await current?.drop();
  });
  return {
    get db() {
      return current!.db;
    },
    get url() {
      return current!.url;
    },
    drop: () => current!.drop(),
  };
}

/** A new database copied from the migrated template; call drop() when done (afterAll). */
export async function freshDatabase(): Promise<FreshDatabase> {
  const serverUrl = inject("postgresServerUrl");
  const name = `test_${crypto.randomUUID().replaceAll("-", "")}`;
  await runMaintenance(serverUrl, `CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE_DATABASE}"`);
  const url = databaseUrl(serverUrl, name);
  const db = createDb(url, 4);
  return {
    db,
    url,
    async drop() {
      await db.$disconnect();
      await runMaintenance(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

/** A PostgreSQL server of its own on a free port, its data removed again by stop(). */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), "waymark-test-pg-"));
  const dataDir = path.join(parent, "data");
  const port = await freePort();
  const removeAll = () => {
    removeEmbeddedData(dataDir);
    fs.rmSync(parent, { recursive: true, force: true });
  };
  try {
    const server = await startEmbeddedPostgres({ dataDir, port });
    return {
      serverUrl: server.url("postgres"),
      async stop() {
        await server.stop();
        removeAll();
      },
    };
  } catch (error) {
    removeAll();
    throw error;
  }
}

/** Runs one statement through the server's `postgres` database (CREATE/DROP DATABASE cannot run inside the target). */
export async function runMaintenance(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl(serverUrl, "postgres") });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error("no free port found"))));
    });
  });
}
