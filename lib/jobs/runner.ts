// The worker process's job runner: every duty (./duties.ts) is a graphile-worker task, and each duty
// keeps exactly one run of itself queued under its job key — a run schedules the next one when it
// ends, a web process's kick (./kick.ts) brings the queued one forward, and a worker starting up
// queues any that is missing. Each duty's jobs share a named queue, which graphile-worker runs one
// job at a time across all workers: one run of a duty at once, so a delivery in progress is never
// claimed again by a second run, however slow it is (only a worker's death hands it on). Different
// duties run side by side, spread over the workers, which graphile-worker wakes through its own
// LISTEN/NOTIFY. The side effects themselves stay in the outbox, written in the business transaction
// and claimed row by row, which is what makes each one happen once.
import "server-only";
import { EventEmitter } from "node:events";
import { run, type Task, type WorkerEvents } from "graphile-worker";
import { env } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { posthogConfig } from "@/lib/integrations/posthog";
import { personDeletionProblem } from "@/lib/privacy/posthog-person-deletion";
import { DUTIES, type Duty } from "./duties";
import { dutyJob, JOB_SCHEMA, jobLogger } from "./schema";
import { startHeartbeat } from "./workers";

/** Runs the duty, then queues its next run; a failure is logged and the next run comes all the same. */
function dutyTask(duty: Duty): Task {
  return async (_payload, helpers) => {
    try {
      await duty.work();
    } catch (e) {
      console.error(`[jobs] ${duty.name} failed`, e instanceof Error ? e.message : e);
    } finally {
      // preserve_run_at: a kick that came in meanwhile keeps its earlier time.
      await helpers.addJob(duty.name, {}, { ...dutyJob(duty.name), runAt: new Date(Date.now() + duty.every()), jobKeyMode: "preserve_run_at" });
    }
  };
}

export type RunningJobs = { stop(): Promise<void> };

/** Starts graphile-worker with every duty, and this process's heartbeat. */
export async function startJobs(databaseUrl: string): Promise<RunningJobs> {
  // Said once at start, in the worker's log, besides the red row on /agent/health.
  const deletionProblem = personDeletionProblem(posthogConfig() !== null);
  if (deletionProblem) console.warn(`[waymark] warning: ${deletionProblem}`);

  // graphile-worker's id for this process's pool (what it locks jobs by), which the heartbeat records (see ./workers.ts).
  const jobWorkers: string[] = [];
  const events: WorkerEvents = new EventEmitter();
  events.on("pool:create", ({ workerPool }) => jobWorkers.push(workerPool.id));

  const runner = await run({
    connectionString: databaseUrl,
    schema: JOB_SCHEMA,
    // One slot per duty, so a slow destination never holds up the others.
    concurrency: DUTIES.length,
    maxPoolSize: DUTIES.length + 2,
    // A queued run falls due at its time only when a worker polls: as often as the most frequent duty.
    pollInterval: Math.min(...DUTIES.map((duty) => duty.every())),
    taskList: Object.fromEntries(DUTIES.map((duty) => [duty.name, dutyTask(duty)])),
    noHandleSignals: true,
    logger: jobLogger,
    events,
  });
  const heartbeat = await startHeartbeat(db(), jobWorkers, env().WORKER_HEARTBEAT_SECONDS);
  // Queues each duty that has no run queued (a fresh database, or one deleted by hand); a queued run keeps its time.
  for (const duty of DUTIES) await runner.addJob(duty.name, {}, { ...dutyJob(duty.name), jobKeyMode: "preserve_run_at" });
  // Once, however many signals ask (Ctrl-C reaches the worker and `npm start` passes SIGTERM on too).
  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= runner.stop().then(() => heartbeat.stop());
      return stopping;
    },
  };
}
