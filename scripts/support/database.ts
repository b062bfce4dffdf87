// Where scripts find their database: DATABASE_URL when set (production, or your own server),
// otherwise the embedded PostgreSQL for .data/pg, started here or joined when already running.
import path from "node:path";
import { env } from "../../lib/config/env";
import { ensureDatabase } from "../../lib/db/maintenance";
import { describeStartFailure } from "./start-failure";

/** WAYMARK_PG_DIR, absolute. */
export const embeddedDataDir = () => path.resolve(env().WAYMARK_PG_DIR);
const DATABASE = "waymark";

export type ResolvedDatabase = {
  url: string;
  embedded: boolean;
  /** Where the embedded server keeps its files (for the start-up line); absent with DATABASE_URL. */
  location?: string;
  stop(): Promise<void>;
};

export async function resolveDatabase(log?: (line: string) => void): Promise<ResolvedDatabase> {
  const configured = env().DATABASE_URL;
  if (configured) return { url: configured, embedded: false, stop: async () => {} };
  // Loaded here only: a deployment with DATABASE_URL never loads the embedded server (nor its beta package).
  const { startEmbeddedPostgres } = await import("../../lib/db/embedded");
  const server = await startEmbeddedPostgres({ dataDir: embeddedDataDir(), port: env().WAYMARK_PG_PORT, log });
  await ensureDatabase(server.url("postgres"), DATABASE);
  return { url: server.url(DATABASE), embedded: true, location: server.clusterDir, stop: () => server.stop() };
}

/** resolveDatabase for a command run by hand (the benchmarks): a database that cannot start is one line, `prefix` first, and exit code 1, never a stack trace. */
export async function resolveDatabaseOrExit(prefix: string): Promise<ResolvedDatabase> {
  try {
    return await resolveDatabase();
  } catch (error) {
    console.error(`${prefix} ${describeStartFailure(error)}`);
    process.exit(1);
  }
}

/** Deletes the embedded server's data wherever it is kept (`npm start -- --fresh`). */
export async function removeEmbeddedDatabase(): Promise<void> {
  const { removeEmbeddedData } = await import("../../lib/db/embedded");
  removeEmbeddedData(embeddedDataDir());
}

export async function withDatabase(work: (url: string) => Promise<void>) {
  let database: ResolvedDatabase | undefined;
  try {
    database = await resolveDatabase();
    await work(database.url);
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  } finally {
    await database?.stop();
  }
  // Ends the command even when a connection pool still holds the event loop open.
  process.exit(process.exitCode ?? 0);
}
