// Trail ingest benchmark (run on demand: `npm run bench:ingest`; never part of `npm test`).
//
// 1. Throughput and latency of the real /ingest endpoint of a production build (`next start`),
//    storing into PostgreSQL: several concurrent clients post gzip batches of 50 posthog-js
//    events, as browsers do. Forwarding to PostHog is on (a local stand-in), so the outbox rows
//    are written too. Target: ≥ 10,000 events/s on this 2-core machine (server, database and
//    load generator sharing it).
// 2. Trail overhead: a customer task's server time (cancel an order, which locks, refunds and
//    writes history) with the trail step recorded versus switched off. Target: ≤ 5 %.
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import { gzipSync } from "node:zlib";
import { parseArgs } from "node:util";
import { createDb } from "../lib/db/client";
import { deployMigrations } from "../lib/db/migrations";
import { ensureDatabase } from "../lib/db/maintenance";
import { cancelOrderLines } from "../lib/orders/cancellation";
import { startPostHogStandIn } from "../e2e/support/posthog-stand-in";
import { buildIfChanged } from "../scripts/support/build";
import { resolveDatabase } from "../scripts/support/database";
import { createCustomer, createOrder } from "../tests/support/orders";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "15" },
    clients: { type: "string", default: "8" },
    batch: { type: "string", default: "50" },
    tasks: { type: "string", default: "300" },
  },
});
const SECONDS = Number(values.seconds);
const CLIENTS = Number(values.clients);
const BATCH = Number(values.batch);
const TASKS = Number(values.tasks);
const PORT = 3390;

const database = await resolveDatabase();
const benchUrl = database.url.replace(/\/[^/?]+(\?|$)/, "/waymark_bench$1");
await ensureDatabase(database.url, "waymark_bench");
await deployMigrations(benchUrl);
const db = createDb(benchUrl, 4);
await db.trailEvent.deleteMany();
await db.journey.deleteMany();
await db.outboxMessage.deleteMany();

const posthog = await startPostHogStandIn({ port: 0 });
buildIfChanged();
const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(PORT)], {
  env: { ...process.env, DATABASE_URL: benchUrl, NEXTAUTH_SECRET: "bench", NEXTAUTH_URL: `http://127.0.0.1:${PORT}`, POSTHOG_HOST: posthog.url, POSTHOG_KEY: "phc_bench", NEXT_TELEMETRY_DISABLED: "1", INGEST_REQUESTS_PER_MINUTE: "1000000" },
  stdio: "ignore",
});
await waitFor(`http://127.0.0.1:${PORT}/api/health`);

const STEPS = ["order", "items", "resolution", "review", "method", "confirmation"];
function batchBody(): Buffer {
  const deviceId = crypto.randomUUID();
  const journeys = Array.from({ length: 5 }, () => crypto.randomUUID());
  const events = Array.from({ length: BATCH }, (_, i) => ({
    uuid: crypto.randomUUID(),
    event: `return_${STEPS[i % STEPS.length]}_viewed`,
    timestamp: new Date().toISOString(),
    properties: { distinct_id: deviceId, $device_id: deviceId, token: "phc_waymark_local", journey_id: journeys[i % journeys.length], journey_type: "return", step: STEPS[i % STEPS.length], device_class: "MOBILE", $current_url: "http://127.0.0.1/returns" },
  }));
  return gzipSync(JSON.stringify(events));
}

// Warm-up: compile routes, fill connection pools.
for (let i = 0; i < 20; i++) await post(batchBody());

const latencies: number[] = [];
let failures = 0;
const startedAt = performance.now();
const deadline = startedAt + SECONDS * 1000;
await Promise.all(
  Array.from({ length: CLIENTS }, async () => {
    while (performance.now() < deadline) {
      const body = batchBody();
      const t = performance.now();
      const ok = await post(body);
      latencies.push(performance.now() - t);
      if (!ok) failures++;
    }
  }),
);
const elapsed = (performance.now() - startedAt) / 1000;
const stored = await db.trailEvent.count();
const sent = latencies.length * BATCH;
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
server.kill("SIGTERM");
await posthog.close();

// ---- trail overhead on a customer task, in-process against the same database
const overhead = await taskOverhead();

console.log("\nTrail ingest (/ingest on next start, PostgreSQL, forwarding on)");
console.log(`  clients ${CLIENTS} × batches of ${BATCH} events for ${SECONDS} s`);
console.log(`  events sent ${sent}, stored ${stored - 20 * BATCH} (+ warm-up), failed requests ${failures}`);
console.log(`  throughput      ${Math.round(sent / elapsed).toLocaleString("en")} events/s   (target ≥ 10,000: ${sent / elapsed >= 10_000 ? "met" : "NOT met"}, ratio ${(sent / elapsed / 10_000).toFixed(2)})`);
console.log(`  latency per batch p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms`);
console.log("\nTrail overhead on a task (cancel an order, in-process, median of runs)");
console.log(`  trail on  ${overhead.on.toFixed(2)} ms   trail off ${overhead.off.toFixed(2)} ms`);
console.log(`  ratio on/off ${(overhead.on / overhead.off).toFixed(3)}  (target ≤ 1.05: ${overhead.on / overhead.off <= 1.05 ? "met" : "NOT met"})`);

await db.$disconnect();
await database.stop();
process.exit(0);

async function post(body: Buffer): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${PORT}/ingest/e/?ver=1.449.2`, { method: "POST", headers: { "content-type": "text/plain" }, body: new Uint8Array(body) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

async function waitFor(url: string) {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

/** Alternates trail on / off over the same kind of order, so drift affects both equally. */
async function taskOverhead() {
  const customer = await createCustomer(db, "Bench Customer");
  const actor = { userId: customer.id, distinctId: customer.analyticsId, deviceClass: "DESKTOP" as const, consent: true };
  const timings: Record<"on" | "off", number[]> = { on: [], off: [] };
  for (let i = 0; i < TASKS * 2; i++) {
    const mode = i % 2 === 0 ? "on" : "off";
    const order = await createOrder(db, customer.id);
    process.env.WAYMARK_TRAIL_DISABLED = mode === "off" ? "1" : "";
    const t = performance.now();
    await cancelOrderLines(db, { userId: customer.id, orderNumber: order.number, request: { lines: [{ lineId: order.lines[0].id, quantity: 2 }] }, journeyId: crypto.randomUUID(), actor });
    timings[mode].push(performance.now() - t);
  }
  delete process.env.WAYMARK_TRAIL_DISABLED;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { on: median(timings.on), off: median(timings.off) };
}
