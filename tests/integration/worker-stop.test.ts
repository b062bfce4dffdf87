// A worker that stops holds nothing: graphile-worker can stop with a run it fetched in its last
// moments still locked, and that duty's queue with it (seen in tests/integration/worker.test.ts on a
// loaded machine). Left so, no worker would take the duty for four hours and the health page would
// read the lock as a run in progress.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assessDuty, dutyRuns } from "@/lib/jobs/health";
import { startHeartbeat, workerSightings } from "@/lib/jobs/workers";
import { type FreshDatabase, freshDatabase } from "../support/db";

const DUTY = { name: "sign-ups", every: () => 1000 };

describe("a worker that stops", () => {
  let fresh: FreshDatabase;
  beforeAll(async () => {
    fresh = await freshDatabase();
  });
  afterAll(async () => {
    await fresh?.drop();
  });

  const locks = () =>
    fresh.db.$queryRaw<{ what: string; lockedBy: string }[]>`
      SELECT 'run' AS what, locked_by AS "lockedBy" FROM graphile_worker._private_jobs WHERE locked_by IS NOT NULL
      UNION ALL SELECT 'queue ' || queue_name, locked_by FROM graphile_worker._private_job_queues WHERE locked_by IS NOT NULL`;

  it("hands back the run and the queue it still held, so its duty runs again", async () => {
    const pool = "pool-stopping-worker";
    const heartbeat = await startHeartbeat(fresh.db, [pool], 60);
    // What graphile-worker left behind: the duty's queued run fetched by this worker's pool (run and queue locked).
    await fresh.db.$executeRaw`SELECT graphile_worker.add_job(${DUTY.name}, queue_name => ${DUTY.name}, job_key => ${DUTY.name})`;
    await fresh.db.$executeRaw`
      WITH queue AS (UPDATE graphile_worker._private_job_queues SET locked_by = ${pool}, locked_at = now() WHERE queue_name = ${DUTY.name})
      UPDATE graphile_worker._private_jobs SET locked_by = ${pool}, locked_at = now(), attempts = attempts + 1 WHERE key = ${DUTY.name}`;
    expect(await locks()).toEqual([
      { what: "run", lockedBy: pool },
      { what: `queue ${DUTY.name}`, lockedBy: pool },
    ]);
    const [held] = await dutyRuns(fresh.db, [DUTY]);
    expect(assessDuty(held, new Date()).note).toBe("Running now.");

    await heartbeat.stop();

    expect(await locks()).toEqual([]);
    const [released] = await dutyRuns(fresh.db, [DUTY]);
    expect(released.runningSince).toBeNull();
    expect(released.nextRunAt).not.toBeNull();
    expect((await workerSightings(fresh.db, 60)).map((worker) => worker.stoppedAt === null)).toEqual([false]);
  });
});
