// Which worker processes are alive, for the health page and for each other. Every worker beats
// (its WorkerProcess row's lastSeenAt) every WORKER_HEARTBEAT_SECONDS. A worker silent for
// MISSED_BEATS beats is gone: the next beat of any other worker releases the jobs it held
// (graphile-worker would otherwise keep them locked for four hours), so a duty whose run was in a
// killed worker's hands runs again within seconds; a worker that stops hands back what it held as it
// goes. The beat is this process's own timer on purpose: it says this process is alive, which no
// job handed to just any worker could say.
import "server-only";
import os from "node:os";
import type { Db } from "@/lib/db/client";
import { JOB_SCHEMA } from "./schema";

/** Beats a worker may miss before it counts as gone. */
export const MISSED_BEATS = 3;

export type WorkerSighting = { name: string; startedAt: Date; lastSeenAt: Date; stoppedAt: Date | null; alive: boolean };

/** This process, as the health page names it: which machine and process. */
export function workerName(): string {
  return `${os.hostname()}:${process.pid}`;
}

/** Starts beating for this process; `jobWorkers` (what graphile-worker locks its jobs by) is filled by the job runner. */
export async function startHeartbeat(db: Db, jobWorkers: readonly string[], everySeconds: number): Promise<{ stop(): Promise<void> }> {
  const name = workerName();
  const beat = async () => {
    await db.$executeRaw`
      INSERT INTO "WorkerProcess" ("id", "jobWorkers", "startedAt", "lastSeenAt") VALUES (${name}, ${[...jobWorkers]}, now(), now())
      ON CONFLICT ("id") DO UPDATE SET "jobWorkers" = excluded."jobWorkers", "lastSeenAt" = now(), "stoppedAt" = NULL`;
    await releaseGoneWorkers(db, everySeconds);
  };
  await beat();
  const timer = setInterval(() => void beat().catch((e: unknown) => console.error("[jobs] heartbeat failed", e instanceof Error ? e.message : e)), everySeconds * 1000);
  return {
    /** Call once graphile-worker has stopped: this process runs nothing any more, so it holds nothing either. */
    async stop() {
      clearInterval(timer);
      // graphile-worker can stop with a run it fetched in its last moments still locked, and that
      // duty's queue with it: no worker would take the duty for four hours, and the health page
      // would read the lock as a run in progress. Released as the process is marked stopped, in one
      // statement, so a stopped row never keeps a lock (a row that is not marked is released as gone).
      await db.$executeRawUnsafe(
        `WITH stopped AS (UPDATE "WorkerProcess" SET "stoppedAt" = now() WHERE "id" = $1 RETURNING "jobWorkers")
         SELECT ${JOB_SCHEMA}.force_unlock_workers(array(SELECT unnest("jobWorkers") FROM stopped))`,
        name,
      );
    },
  };
}

/** Marks workers silent for MISSED_BEATS beats as stopped and hands the jobs they held back to the queue. */
export async function releaseGoneWorkers(db: Db, everySeconds: number): Promise<string[]> {
  return db.$transaction(async (tx) => {
    const gone = await tx.$queryRaw<{ id: string; jobWorkers: string[] }[]>`
      UPDATE "WorkerProcess" SET "stoppedAt" = now()
      WHERE "stoppedAt" IS NULL AND "lastSeenAt" < now() - make_interval(secs => ${MISSED_BEATS * everySeconds})
      RETURNING "id", "jobWorkers"`;
    const jobWorkers = gone.flatMap((worker) => worker.jobWorkers);
    if (jobWorkers.length) await tx.$executeRawUnsafe(`SELECT ${JOB_SCHEMA}.force_unlock_workers($1::text[])`, jobWorkers);
    // A run that lost its job key to a newer queued run of its duty (add_job while it was locked) is
    // left with no attempts; released, it would sit in the queue as a dead job for ever.
    await tx.$executeRawUnsafe(
      `SELECT ${JOB_SCHEMA}.complete_jobs(array(SELECT id FROM ${JOB_SCHEMA}.jobs WHERE key IS NULL AND locked_at IS NULL AND attempts >= max_attempts))`,
    );
    return gone.map((worker) => worker.id);
  });
}

/** Every worker seen in the last day, alive ones first, then by when each was last seen. */
export async function workerSightings(db: Db, everySeconds: number, now: Date = new Date()): Promise<WorkerSighting[]> {
  const rows = await db.workerProcess.findMany({ where: { lastSeenAt: { gte: new Date(now.getTime() - 86_400_000) } }, orderBy: { lastSeenAt: "desc" } });
  return rows
    .map((row) => ({
      name: row.id,
      startedAt: row.startedAt,
      lastSeenAt: row.lastSeenAt,
      stoppedAt: row.stoppedAt,
      alive: row.stoppedAt === null && now.getTime() - row.lastSeenAt.getTime() <= MISSED_BEATS * everySeconds * 1000,
    }))
    .sort((a, b) => Number(b.alive) - Number(a.alive));
}
