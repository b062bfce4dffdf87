// Which worker processes are running, for the health page: each worker's kick listener connects with
// its own application_name, so PostgreSQL's own session list is the register (no heartbeat table to
// keep, and a killed worker drops out as soon as its connection ends).
import "server-only";
import os from "node:os";
import type { Db } from "@/lib/db/client";

const APPLICATION_NAME = "waymark-worker";

export type RunningWorker = { name: string; since: Date };

/** The application_name a worker's connection carries: which machine and process it is. */
export function workerApplicationName(): string {
  return `${APPLICATION_NAME} ${os.hostname()}:${process.pid}`.slice(0, 63);
}

/** Workers connected to this database now, the longest-running first. */
export async function runningWorkers(db: Db): Promise<RunningWorker[]> {
  const rows = await db.$queryRaw<{ name: string; since: Date }[]>`
    SELECT application_name AS name, backend_start AS since FROM pg_stat_activity
    WHERE datname = current_database() AND application_name LIKE ${`${APPLICATION_NAME} %`}
    ORDER BY backend_start`;
  return rows.map((row) => ({ name: row.name.slice(APPLICATION_NAME.length + 1), since: row.since }));
}
