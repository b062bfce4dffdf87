// Whether the background duties run, for /agent/health: the workers' heartbeats and each duty's
// queued run in graphile-worker. Never "ok" while a duty silently does not run: no worker alive, a
// duty with no run queued, or a run long past its time that no worker has taken.
import "server-only";
import type { Db } from "@/lib/db/client";
import type { HealthState } from "@/lib/integrations/health";
import { JOB_SCHEMA } from "./schema";
import type { WorkerSighting } from "./workers";

export type DutyRun = {
  name: string;
  everyMs: number;
  /** When its queued run is due (null: none queued). */
  nextRunAt: Date | null;
  /** When the run in progress started (null: none running). */
  runningSince: Date | null;
  /** For a duty that clears a backlog: when its oldest item came (null: none waiting, or no backlog kept). */
  oldestWaitingAt?: Date | null;
};

export type DutyHealth = DutyRun & { state: HealthState; note: string };

/** A queued run this late, with nobody running it, means no worker is taking the duty's jobs. */
export function overdueAfterMs(everyMs: number): number {
  return Math.max(60_000, 3 * everyMs);
}

/** A run going on this long is stuck or very slow (a delivery waits at most its timeout). */
export const RUNNING_TOO_LONG_MS = 10 * 60_000;

/** A span of time as the health page says it: "45 s", "5 min", "24 h" (not "1440 min"). */
export function spanWords(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}

function since(from: Date, now: Date): string {
  return spanWords(now.getTime() - from.getTime());
}

/** One duty's state, in a sentence. Framework-free. */
export function assessDuty(duty: DutyRun, now: Date): DutyHealth {
  if (duty.runningSince && now.getTime() - duty.runningSince.getTime() > RUNNING_TOO_LONG_MS) {
    return { ...duty, state: "degraded", note: `Running for ${since(duty.runningSince, now)}.` };
  }
  if (!duty.runningSince && !duty.nextRunAt) return { ...duty, state: "down", note: "No run queued: it will not run until a worker starts." };
  const late = duty.nextRunAt ? now.getTime() - duty.nextRunAt.getTime() : 0;
  if (!duty.runningSince && late > overdueAfterMs(duty.everyMs)) return { ...duty, state: "down", note: `Due ${since(duty.nextRunAt!, now)} ago and not taken by any worker.` };
  // Runs that come on time but do not clear their work (each one failing) are no "ok" either.
  if (duty.oldestWaitingAt && now.getTime() - duty.oldestWaitingAt.getTime() > overdueAfterMs(duty.everyMs)) {
    return { ...duty, state: "degraded", note: `Its runs are not clearing its work: the oldest has waited ${since(duty.oldestWaitingAt, now)}.` };
  }
  if (duty.runningSince) return { ...duty, state: "ok", note: "Running now." };
  return { ...duty, state: "ok", note: late > 0 ? "Due now." : `Next run in ${since(now, duty.nextRunAt!)}.` };
}

/** The whole of the background work: down when nothing runs it, whatever the queues say. Framework-free. */
export function assessJobs(workers: WorkerSighting[], duties: DutyRun[], now: Date): { state: HealthState; reason: string; duties: DutyHealth[] } {
  const assessed = duties.map((duty) => assessDuty(duty, now));
  const alive = workers.filter((worker) => worker.alive);
  if (alive.length === 0) {
    const last = workers[0];
    const reason = last
      ? `No worker is running (the last one was seen ${since(last.lastSeenAt, now)} ago): nothing is delivered until one starts (npm run worker).`
      : "No worker has run on this database: nothing is delivered until one starts (npm run worker).";
    return { state: "down", reason, duties: assessed };
  }
  const down = assessed.filter((duty) => duty.state === "down");
  if (down.length) return { state: "down", reason: `Not running: ${down.map((duty) => duty.name).join(", ")}.`, duties: assessed };
  const slow = assessed.filter((duty) => duty.state === "degraded");
  if (slow.length) return { state: "degraded", reason: `Falling behind: ${slow.map((duty) => duty.name).join(", ")}.`, duties: assessed };
  return { state: "ok", reason: `${alive.length === 1 ? "1 worker" : `${alive.length} workers`} running every duty on time.`, duties: assessed };
}

/** Each duty's queued run and run in progress, read from graphile-worker's jobs. */
export async function dutyRuns(db: Db, duties: readonly { name: string; every: () => number; oldestWaiting?: (db: Db) => Promise<Date | null> }[]): Promise<DutyRun[]> {
  const names = duties.map((duty) => duty.name);
  const rows = await db.$queryRawUnsafe<{ duty: string; nextRunAt: Date | null; runningSince: Date | null }[]>(
    `SELECT task_identifier AS duty,
            min(run_at) FILTER (WHERE key IS NOT NULL AND locked_at IS NULL) AS "nextRunAt",
            min(locked_at) FILTER (WHERE locked_at IS NOT NULL) AS "runningSince"
     FROM ${JOB_SCHEMA}.jobs WHERE task_identifier = ANY($1::text[]) GROUP BY task_identifier`,
    names,
  );
  const byDuty = new Map(rows.map((row) => [row.duty, row]));
  const waiting = await Promise.all(duties.map((duty) => duty.oldestWaiting?.(db) ?? null));
  return duties.map((duty, i) => ({
    name: duty.name,
    everyMs: duty.every(),
    nextRunAt: byDuty.get(duty.name)?.nextRunAt ?? null,
    runningSince: byDuty.get(duty.name)?.runningSince ?? null,
    oldestWaitingAt: waiting[i],
  }));
}
