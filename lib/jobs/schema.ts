// The job library's tables live in their own PostgreSQL schema, created and upgraded by
// graphile-worker's own migrations beside Prisma's (lib/db/migrations.ts runs both).
import "server-only";
import { Logger, runMigrations } from "graphile-worker";

export const JOB_SCHEMA = "graphile_worker";

/** A duty's job: its key keeps one run queued, its queue runs one at a time (see ./runner.ts). */
export function dutyJob(duty: string): { jobKey: string; queueName: string } {
  return { jobKey: duty, queueName: duty };
}

/** graphile-worker's problems in our log; its line per job run (several a second) left out. */
export const jobLogger = new Logger(() => (level, message) => {
  if (["error", "warning"].includes(String(level))) console.error(`[jobs] ${message}`);
});

export async function migrateJobQueue(databaseUrl: string): Promise<void> {
  await runMigrations({ connectionString: databaseUrl, schema: JOB_SCHEMA, logger: jobLogger });
}
