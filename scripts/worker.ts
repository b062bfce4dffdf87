// `npm run worker`: the background duties (lib/jobs/duties.ts) as graphile-worker jobs (lib/jobs/runner.ts) in
// a process of their own, beside the web server. `npm start` runs one; a deployment runs as many as it likes on the same DATABASE_URL.
import "./support/require-outside-next";
import { envOrExit } from "../lib/config/env";
import { startJobs } from "../lib/jobs/runner";

const databaseUrl = envOrExit("[worker]").DATABASE_URL;
if (!databaseUrl) {
  console.error("[worker] DATABASE_URL must be set: point it at the portal's database (npm start sets it for the embedded one)");
  process.exit(1);
}

const jobs = await startJobs(databaseUrl).catch((error: unknown) => {
  console.error(`[worker] cannot listen on the database: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
console.log(`[worker] running background jobs (pid ${process.pid})`);

async function stop() {
  await jobs.stop();
  process.exit(0);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
