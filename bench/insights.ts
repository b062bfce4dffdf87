// Benchmark of the analyst pages at scale (npm run bench:insights):
//  1. fills a database of its own (`waymark_insights_bench` on the embedded server, or on the
//     server of DATABASE_URL) with 10 million trail events of the demo's kind, written through the
//     trail's own write path, and lets the refresh job build the rollups; a database filled by an
//     earlier run is reused (--fresh starts over);
//  2. times every analyst page's queries, exactly as the pages run them (lib/insights/pages.ts),
//     for several filters: the median of a few runs after a warm-up, against the 1 s target.
//
//   npm run bench:insights [-- --events 10000000] [--runs 5] [--fresh]
import { parseArgs } from "node:util";
import { createDb, type Db } from "../lib/db/client";
import { ensureDatabase } from "../lib/db/maintenance";
import { deployMigrations } from "../lib/db/migrations";
import { parseExplorerFilter } from "../lib/insights/explorer";
import { addDays, type InsightsFilter } from "../lib/insights/filters";
import { loadExplorer, loadFollowThrough, loadJourney, loadOverview, loadTrail, loadTrend } from "../lib/insights/pages";
import { BACKLOG_COUNT_CAP, refreshBacklog, refreshInsights } from "../lib/insights/refresh";
import { rollupSource } from "../lib/insights/rollup-source";
import { createRandom } from "../lib/seed/random";
import { emptyChunk, mergeInto, trailHistory, writeTrailChunk } from "../lib/seed/trail";
import { withDatabase } from "../scripts/support/database";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "10000000" },
    runs: { type: "string", default: "5" },
    fresh: { type: "boolean", default: false },
  },
});
const TARGET_EVENTS = Number(values.events);
const RUNS = Math.max(1, Number(values.runs));
const TARGET_MS = 1000;
const DATABASE = "waymark_insights_bench";
const DAYS = 180;
// The demo's mix: about 3.6 events per attempt and 80 attempts per customer over the period (a few
// customers more than that needs: generation stops at the target).
const ATTEMPTS_PER_CUSTOMER = 80;
const CUSTOMERS = Math.ceil(TARGET_EVENTS / 3 / ATTEMPTS_PER_CUSTOMER);
const BATCH_EVENTS = 20_000;

const log = (message: string) => console.log(`[bench] ${message}`);

await withDatabase(async (serverUrl) => {
  const url = new URL(serverUrl);
  url.pathname = `/${DATABASE}`;
  if (values.fresh) await dropDatabase(serverUrl);
  await ensureDatabase(serverUrl, DATABASE);
  await deployMigrations(url.toString());
  const db = createDb(url.toString(), 4);
  try {
    await fill(db);
    await timePages(db);
  } finally {
    await db.$disconnect();
  }
});

async function dropDatabase(serverUrl: string) {
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
  await client.end();
  log(`dropped ${DATABASE}`);
}

async function fill(db: Db) {
  const [{ events }] = await db.$queryRaw<{ events: bigint }[]>`SELECT COUNT(*) AS events FROM "TrailEvent"`;
  if (Number(events) >= TARGET_EVENTS * 0.99) {
    log(`reusing ${DATABASE}: ${Number(events).toLocaleString("en-GB")} trail events already there (--fresh to start over)`);
  } else {
    if (Number(events) > 0) throw new Error(`${DATABASE} holds a partial fill (${events} events): run again with --fresh.`);
    await generate(db);
  }
  const started = performance.now();
  let backlog = await refreshBacklog(db);
  if (backlog.waiting > 0) log("building the rollups from the queued attempts");
  while (backlog.waiting > 0) {
    const result = await refreshInsights(db, { maxBatches: 20 });
    if (result.busy) throw new Error("another process is refreshing this database's insights");
    backlog = await refreshBacklog(db);
    log(`  … ${result.attempts.toLocaleString("en-GB")} more attempts counted, ${backlog.waiting > BACKLOG_COUNT_CAP ? "many" : backlog.waiting.toLocaleString("en-GB")} changes left (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  const [sizes] = await db.$queryRaw<{ events: bigint; attempts: bigint; daily: bigint; durations: bigint; errors: bigint }[]>`
    SELECT (SELECT COUNT(*) FROM "TrailEvent") AS events, (SELECT COUNT(*) FROM "InsightsAttempt") AS attempts,
           (SELECT COUNT(*) FROM "InsightsDailyAttempts") AS daily, (SELECT COUNT(*) FROM "InsightsDailyDurations") AS durations,
           (SELECT COUNT(*) FROM "InsightsDailyErrors") AS errors`;
  log(
    `data: ${Number(sizes.events).toLocaleString("en-GB")} trail events, ${Number(sizes.attempts).toLocaleString("en-GB")} attempts; rollup rows: ` +
      `${Number(sizes.daily).toLocaleString("en-GB")} daily attempts, ${Number(sizes.durations).toLocaleString("en-GB")} durations, ${Number(sizes.errors).toLocaleString("en-GB")} errors`,
  );
}

async function generate(db: Db) {
  const now = new Date();
  const rng = createRandom(2026);
  const customers = Array.from({ length: CUSTOMERS }, (_, i) => ({
    id: `bench_customer_${i}`,
    analyticsId: rng.uuid(),
    createdAt: new Date(now.getTime() - rng.int(2, 900) * 86_400_000),
  }));
  log(`creating ${customers.length.toLocaleString("en-GB")} customers`);
  for (let i = 0; i < customers.length; i += 5000) {
    await db.user.createMany({ data: customers.slice(i, i + 5000).map((c) => ({ ...c, name: "Bench customer", email: `${c.id}@bench.example` })) });
  }
  await db.user.create({ data: { id: "bench_agent", name: "Bench agent", role: "AGENT" } });

  const started = performance.now();
  let written = 0;
  let pending = emptyChunk();
  const flush = async () => {
    const chunk = pending;
    pending = emptyChunk();
    written += (await db.$transaction((tx) => writeTrailChunk(tx, chunk), { timeout: 300_000 })).events;
  };
  for (const chunk of trailHistory({ seed: 2026, now, customers, agentId: "bench_agent", days: DAYS, attemptsPerCustomer: ATTEMPTS_PER_CUSTOMER })) {
    mergeInto(pending, chunk);
    if (pending.events.length >= BATCH_EVENTS) {
      await flush();
      if (Math.floor(written / 1_000_000) !== Math.floor((written - BATCH_EVENTS) / 1_000_000)) {
        log(`  … ${written.toLocaleString("en-GB")} events (${((performance.now() - started) / 1000).toFixed(0)} s)`);
      }
      if (written >= TARGET_EVENTS) break;
    }
  }
  if (written < TARGET_EVENTS) await flush();
  log(`wrote ${written.toLocaleString("en-GB")} trail events through storeTrailEvents in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

type Case = { page: string; filter: string; run: () => Promise<unknown> };

async function timePages(db: Db) {
  const source = rollupSource(db);
  const today = new Date().toISOString().slice(0, 10);
  const range = (days: number): InsightsFilter => ({ from: addDays(today, -(days - 1)), to: today, device: null, customer: null, journeyType: null });
  const last28 = range(28);
  const last180 = range(DAYS);
  const [sample] = await db.$queryRaw<{ journeyId: string; customerId: string }[]>`
    SELECT f."journeyId", u."analyticsId"::text AS "customerId" FROM "InsightsAttempt" f JOIN "Journey" j ON j."id" = f."journeyId" JOIN "User" u ON u."id" = j."userId"
    WHERE f."journeyType" = 'return' AND f."outcome" = 'EXITED' ORDER BY f."day" DESC LIMIT 1`;
  const explorer = (filter: InsightsFilter, params: Record<string, string> = {}) => parseExplorerFilter(filter, params).filter;
  const secondPage = await loadExplorer(db, explorer(last180), null);
  const cursor = secondPage.next ? parseExplorerFilter(last180, { after: secondPage.next }).cursor : null;
  const backlog = () => refreshBacklog(db);
  // Each page: its loader plus the freshness line every analyst page shows.
  const page = (run: () => Promise<unknown>) => async () => Promise.all([run(), backlog()]);

  const cases: Case[] = [
    { page: "/insights", filter: "last 28 days", run: page(() => loadOverview(source, last28)) },
    { page: "/insights", filter: "last 180 days", run: page(() => loadOverview(source, last180)) },
    { page: "/insights", filter: "180 days, mobile, new customers", run: page(() => loadOverview(source, { ...last180, device: "MOBILE", customer: "NEW" })) },
    { page: "/insights/journeys/return", filter: "last 28 days", run: page(() => loadJourney(source, "return", last28)) },
    { page: "/insights/journeys/return", filter: "last 180 days", run: page(() => loadJourney(source, "return", last180)) },
    { page: "/insights/journeys/return", filter: "180 days, mobile", run: page(() => loadJourney(source, "return", { ...last180, device: "MOBILE" })) },
    { page: "/insights/journeys/order_tracking", filter: "last 180 days", run: page(() => loadJourney(source, "order_tracking", last180)) },
    { page: "/insights/trends", filter: "28 days, per day", run: page(() => loadTrend(source, last28, "day")) },
    { page: "/insights/trends", filter: "180 days, per day", run: page(() => loadTrend(source, last180, "day")) },
    { page: "/insights/trends", filter: "180 days, return, per week", run: page(() => loadTrend(source, { ...last180, journeyType: "return" }, "week")) },
    { page: "/insights/follow-through", filter: "last 28 days", run: page(() => loadFollowThrough(source, last28)) },
    { page: "/insights/follow-through", filter: "last 180 days", run: page(() => loadFollowThrough(source, last180)) },
    { page: "/insights/explorer", filter: "last 28 days", run: page(() => loadExplorer(db, explorer(last28), null)) },
    { page: "/insights/explorer", filter: "180 days, return, exited to phone", run: page(() => loadExplorer(db, explorer({ ...last180, journeyType: "return" }, { ending: "PHONE" }), null)) },
    { page: "/insights/explorer", filter: "180 days, error return_window_expired", run: page(() => loadExplorer(db, explorer(last180, { error: "return_window_expired" }), null)) },
    { page: "/insights/explorer", filter: "180 days, one customer", run: page(() => loadExplorer(db, explorer(last180, { customerId: sample.customerId }), null)) },
    { page: "/insights/explorer", filter: "180 days, second page", run: page(() => loadExplorer(db, explorer(last180), cursor)) },
    { page: "/insights/explorer/[id]", filter: "one attempt", run: page(() => loadTrail(db, sample.journeyId)) },
    { page: "CSV /insights/export/attempts", filter: "180 days, up to 5,000 rows", run: () => loadExplorer(db, explorer(last180), null, 5000) },
  ];

  log(`timing each page's queries: median of ${RUNS} runs after a warm-up, target ${TARGET_MS} ms`);
  const rows: { page: string; filter: string; median: number; worst: number }[] = [];
  for (const c of cases) {
    await c.run();
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      await c.run();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    rows.push({ page: c.page, filter: c.filter, median: times[Math.floor(times.length / 2)], worst: times[times.length - 1] });
  }
  const pad = (text: string, width: number) => text.padEnd(width);
  console.log(`\n${pad("page", 36)}${pad("filter", 42)}${pad("median", 11)}${pad("slowest", 11)}of target`);
  for (const r of rows) {
    const ratio = r.median / TARGET_MS;
    console.log(`${pad(r.page, 36)}${pad(r.filter, 42)}${pad(`${r.median.toFixed(0)} ms`, 11)}${pad(`${r.worst.toFixed(0)} ms`, 11)}${(ratio * 100).toFixed(0)}%${ratio > 1 ? "  OVER TARGET" : ""}`);
  }
  const over = rows.filter((r) => r.median > TARGET_MS);
  console.log(over.length ? `\n${over.length} case(s) over the ${TARGET_MS} ms target.` : `\nEvery page's queries within ${TARGET_MS} ms (slowest median ${Math.max(...rows.map((r) => r.median)).toFixed(0)} ms).`);
  if (over.length) process.exitCode = 1;
}
