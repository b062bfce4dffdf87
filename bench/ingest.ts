// Trail ingest benchmark (run on demand: `npm run bench:ingest`; never part of `npm test`).
// `npm run bench` has the same figures in its table, beside raw COPY; this one is quicker and
// works on an empty trail.
//
// 1. Throughput and latency of the real /ingest endpoint of a production build (`next start`),
//    storing into PostgreSQL: several concurrent clients post gzip batches of 50 posthog-js
//    events, as browsers do. Forwarding to PostHog is on (a local stand-in), so the outbox rows
//    are written too. Target: ≥ 10,000 events/s on this 2-core machine (server, database and
//    load generator sharing it).
// 2. Trail overhead: a customer task's server time (cancel an order, which locks, refunds and
//    writes history) with the trail step recorded versus switched off. Target: ≤ 5 %.
import { parseArgs } from "node:util";
import { createDb } from "../lib/db/client";
import { deployMigrations } from "../lib/db/migrations";
import { ensureDatabase } from "../lib/db/maintenance";
import { startPostHogStandIn } from "../e2e/support/posthog-stand-in";
import { buildIfChanged } from "../scripts/support/build";
import { resolveDatabaseOrExit } from "../scripts/support/database";
import { measureIngest, signedInClients } from "./support/ingest-load";
import { TASKS, trailOverhead } from "./support/overhead";
import { exitAfterStartFailure, startNext } from "./support/servers";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "15" },
    clients: { type: "string", default: "8" },
    batch: { type: "string", default: "50" },
    tasks: { type: "string", default: "300" },
    // front: the portal as `npm start` serves it (scripts/serve.ts); next: `next start`.
    server: { type: "string", default: "front" },
  },
});
const SECONDS = Number(values.seconds);
const CLIENTS = Number(values.clients);
const BATCH = Number(values.batch);
const PORT = 3390;

const database = await resolveDatabaseOrExit("[bench:ingest]");
const benchUrl = database.url.replace(/\/[^/?]+(\?|$)/, "/waymark_bench$1");
await ensureDatabase(database.url, "waymark_bench");
await deployMigrations(benchUrl);
const db = createDb(benchUrl, 4);
await db.trailEvent.deleteMany();
await db.journey.deleteMany();
await db.outboxMessage.deleteMany();

const posthog = await startPostHogStandIn({ port: 0 });
const server = await (async () => {
  buildIfChanged();
  return startNext({
    front: values.server !== "next",
    port: PORT,
    readyPath: "/api/health",
    env: { DATABASE_URL: benchUrl, NEXTAUTH_SECRET: "bench", NEXTAUTH_URL: `http://127.0.0.1:${PORT}`, POSTHOG_HOST: posthog.url, POSTHOG_KEY: "phc_bench", INGEST_REQUESTS_PER_MINUTE: "1000000" },
  });
})().catch((error: unknown) => exitAfterStartFailure("[bench:ingest]", error, async () => [await posthog.close(), await db.$disconnect(), await database.stop()]));
const load = await measureIngest(server.url, await signedInClients(db, CLIENTS, "bench"), { seconds: SECONDS, batch: BATCH });
const stored = await db.trailEvent.count();
await server.stop();
await posthog.close();

// ---- trail overhead on a customer task, in-process against the same database
const overhead = await trailOverhead(db, TASKS.cancellation, {
  pairs: Number(values.tasks),
  setTrail: (on) => {
    process.env.WAYMARK_TRAIL_DISABLED = on ? "" : "1";
  },
});

console.log("\nTrail ingest (/ingest on next start, PostgreSQL, forwarding on)");
console.log(`  clients ${CLIENTS} × batches of ${BATCH} events for ${SECONDS} s, served by ${values.server === "next" ? "next start" : "the HTTP front (npm start)"}`);
console.log(`  events sent ${load.events}, stored ${stored - 20 * BATCH} (+ warm-up), failed requests ${load.failures}`);
console.log(`  throughput      ${Math.round(load.eventsPerSecond).toLocaleString("en")} events/s   (target ≥ 10,000: ${load.eventsPerSecond >= 10_000 ? "met" : "NOT met"})`);
console.log(`  latency per batch p50 ${load.p50Ms.toFixed(1)} ms, p99 ${load.p99Ms.toFixed(1)} ms`);
console.log("\nTrail overhead on a task (cancel an order, in-process, interleaved on/off)");
console.log(`  ${overhead.percent >= 0 ? "+" : ""}${overhead.percent.toFixed(1)} % (paired: ${overhead.pairedPercent.toFixed(1)} %)  (target ≤ 5 %: ${overhead.percent <= 5 ? "met" : "NOT met"})`);

await db.$disconnect();
await database.stop();
process.exit(0);
