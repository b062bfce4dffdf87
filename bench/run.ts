// `npm run bench`: the portal against a bare Next.js app on this machine, in one run, as one table
// (figure, Waymark, bare, ratio, goal, PASS/FAIL). Never part of `npm test`; nothing is downloaded.
//
//   portal     production build served as `npm start` does (scripts/serve.ts; `--server next`: `next start`), embedded PostgreSQL in `waymark_bench_pages` with the
//              demo seed plus one customer with --orders orders (MANY_ORDERS_EMAIL)
//   baseline   bench/baseline: a static page and a force-dynamic page, a heading and 25 order-like rows
//              (16 kB of HTML), same Next.js, built and served the same way; the load part also serves
//              the dynamic page as large as /orders (?rows=N), printed beside the verdict, not in it
//   pages      Lighthouse 13 mobile, simulated throttling, median of --runs runs per page, each app
//              reached through a link of --link-rtt ms (bench/support/link.ts; 0: loopback as it is);
//              a bare page drawn by its script is measured beside them, as the LCP row's control
//   load       autocannon, --connections connections, --rounds interleaved rounds of --seconds s
//   ingest     bench/support/ingest-load.ts against /ingest, vs raw COPY into the same table
//   overhead   interleaved trail on/off of a return, a cancellation and an address change
//
// Flags: --runs 5 --link-rtt 150 --rounds 3 --seconds 5 --connections 20 --ingest-seconds 10 --pairs 500 --orders 1000
//        --only pages,load,ingest,overhead (all by default) --port 3158 (the baseline gets port + 1) --server front|next
import { parseArgs } from "node:util";
import pg from "pg";
import { createDb } from "../lib/db/client";
import { ensureDatabase } from "../lib/db/maintenance";
import { deployMigrations } from "../lib/db/migrations";
import { ensureReturnPolicy } from "../lib/returns/policy-store";
import { ADA } from "../lib/seed/demo/accounts";
import { DEMO_PASSWORD, isSeeded, MANY_ORDERS_EMAIL, seedDemoData } from "../lib/seed/demo";
import { startPostHogStandIn } from "../e2e/support/posthog-stand-in";
import { buildIfChanged } from "../scripts/support/build";
import { DEBIAN_CHROMIUM, findChromium } from "../scripts/support/chromium";
import { resolveDatabaseOrExit } from "../scripts/support/database";
import { copyRowsPerSecond } from "./support/copy";
import { type Figure, formatTable, judge } from "./support/figures";
import { measureIngest, signedInClients } from "./support/ingest-load";
import { TASKS, trailOverhead } from "./support/overhead";
import { startLink } from "./support/link";
import { measurePages, type PageFigures } from "./support/pages";
import { exitAfterStartFailure, startNext } from "./support/servers";
import { signIn } from "./support/sign-in";
import { bareRowsMatching, measureThroughput } from "./support/throughput";

// Batches /ingest is sent before the clock starts (the warm-up, 50 events each).
const INGEST_WARMUP_BATCHES = 20;

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    "link-rtt": { type: "string", default: "150" },
    rounds: { type: "string", default: "3" },
    seconds: { type: "string", default: "5" },
    connections: { type: "string", default: "20" },
    "ingest-seconds": { type: "string", default: "10" },
    pairs: { type: "string", default: "500" },
    orders: { type: "string", default: "1000" },
    only: { type: "string", default: "pages,load,ingest,overhead" },
    server: { type: "string", default: "front" },
    port: { type: "string", default: "3158" },
  },
});
const only = new Set(values.only.split(","));
const TASK_NAMES = { return: "submit a return", cancellation: "cancel an order", address: "change an address" } as const;
const PORT = Number(values.port);
const log = (line: string) => console.log(`[bench] ${line}`);
const started = Date.now();

const database = await resolveDatabaseOrExit("[bench]");
const benchUrl = database.url.replace(/\/[^/?]+(\?|$)/, "/waymark_bench_pages$1");
await ensureDatabase(database.url, "waymark_bench_pages");
await deployMigrations(benchUrl);
const db = createDb(benchUrl, 4);
if (!(await isSeeded(db))) {
  const seeded = await seedDemoData(db, { manyOrders: Number(values.orders) });
  log(`demo data: ${seeded.customers} customers, ${seeded.orders} orders (one customer with ${values.orders})`);
}
await ensureReturnPolicy(db);

/** Both apps built (when their sources changed) and served; only the overhead part does without. */
async function serve() {
  buildIfChanged();
  buildIfChanged({ cwd: "bench/baseline", roots: ["app", "next.config.mjs", "../../package-lock.json"], distDir: ".next", name: "the bare baseline" });
  const posthog = await startPostHogStandIn({ port: 0 });
  const portal = await startNext({
    front: values.server !== "next",
    port: PORT,
    readyPath: "/api/health",
    env: { DATABASE_URL: benchUrl, NEXTAUTH_SECRET: "bench", NEXTAUTH_URL: `http://127.0.0.1:${PORT}`, POSTHOG_HOST: posthog.url, POSTHOG_KEY: "phc_bench", INGEST_REQUESTS_PER_MINUTE: "1000000" },
  });
  const bare = await startNext({ cwd: "bench/baseline", port: PORT + 1 });
  return { portal, bare, stop: () => Promise.all([portal.stop(), bare.stop(), posthog.close()]) };
}
const served = ["pages", "load", "ingest"].some((name) => only.has(name))
  ? await serve().catch((error: unknown) => exitAfterStartFailure("[bench]", error, async () => [await db.$disconnect(), await database.stop()]))
  : null;
const figures: Figure[] = [];
let sizeNote: string | undefined;
let lcpNote: string | undefined;
const DRAWN = "bare, drawn by its script";
const kilobytes = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
/** Runs one part; a part that fails is reported and its rows are FAIL (n/a), the others still run. */
async function part(name: string, measure: () => Promise<Figure[]>, rows: string[]) {
  if (!only.has(name)) return;
  try {
    const measured = await measure();
    figures.push(...measured);
    for (const figure of measured) {
      const { waymark, bare } = judge(figure);
      log(`${figure.figure}: ${waymark}${bare ? ` (bare ${bare})` : ""}`);
    }
  } catch (error) {
    console.error(`[bench] ${name} could not be measured:`, error);
    figures.push(...rows.map((figure) => ({ figure, unit: "", waymark: Number.NaN, bare: null, goal: { kind: "atMost", limit: 0 } as const })));
  }
}

try {
  const portal = served?.portal ?? { url: "" };
  const bare = served?.bare ?? { url: "" };
  const ada = served ? await signIn(portal.url, ADA.email, DEMO_PASSWORD) : "";
  const many = served ? await signIn(portal.url, MANY_ORDERS_EMAIL, DEMO_PASSWORD) : "";
  const adaUser = await db.user.findUniqueOrThrow({ where: { email: ADA.email }, select: { id: true, _count: { select: { orders: true } } } });
  const anOrder = await db.order.findFirstOrThrow({ where: { userId: adaUser.id }, orderBy: { placedAt: "desc" }, select: { number: true } });

  await part("pages", async () => {
    const signedIn = ["/", "/orders", "/returns", "/account", `/orders/${anOrder.number}`];
    const rtt = Number(values["link-rtt"]);
    const [portalLink, bareLink] = await Promise.all([startLink(portal.url, rtt), startLink(bare.url, rtt)]);
    let pages: Map<string, PageFigures>;
    try {
      pages = await measurePages(
        [
          { name: "bare static", url: `${bareLink.url}/` },
          { name: "bare dynamic", url: `${bareLink.url}/dynamic` },
          { name: DRAWN, url: `${bareLink.url}/drawn` },
          { name: "/signin", url: `${portalLink.url}/signin` },
          ...signedIn.map((path) => ({ name: path, url: `${portalLink.url}${path}`, cookie: ada })),
        ],
        { runs: Number(values.runs), chromiumPath: findChromium() ?? DEBIAN_CHROMIUM, debuggingPort: PORT + 2, log },
      );
    } finally {
      await Promise.all([portalLink.close(), bareLink.close()]);
    }
    const of = (names: string[], pick: (p: PageFigures) => number) => names.map((name) => pick(pages.get(name)!));
    const bareOf = (name: string, pick: (p: PageFigures) => number) => pick(pages.get(name)!);
    const kb = (p: PageFigures) => p.scriptKb;
    const seconds = (p: PageFigures) => p.lcpMs / 1000;
    const tbt = (p: PageFigures) => p.tbtMs;
    lcpNote =
      `Pages measured through a ${rtt} ms link. The LCP row's control: the bare page drawn by its script measures ${seconds(pages.get(DRAWN)!).toFixed(2)} s, ` +
      `${(pages.get(DRAWN)!.lcpMs / pages.get("bare static")!.lcpMs).toFixed(2)}× the same rows in its HTML.`;
    log(lcpNote);
    return [
      { figure: "compressed JS, signed-in pages", unit: "kB", waymark: of(signedIn, kb), bare: bareOf("bare dynamic", kb), goal: { kind: "atMostPlus", delta: 40 } },
      { figure: "compressed JS, /signin", unit: "kB", waymark: of(["/signin"], kb), bare: bareOf("bare static", kb), goal: { kind: "atMostPlus", delta: 40 } },
      { figure: "requests per page", unit: "", waymark: of(["/signin", ...signedIn], (p) => p.requests), bare: bareOf("bare dynamic", (p) => p.requests), goal: { kind: "atMost", limit: 12 } },
      { figure: "mobile LCP, signed-in pages", unit: "s", waymark: of(signedIn, seconds), bare: bareOf("bare dynamic", seconds), goal: { kind: "ratioAtMost", limit: 1.15 } },
      { figure: "mobile LCP, /signin", unit: "s", waymark: of(["/signin"], seconds), bare: bareOf("bare static", seconds), goal: { kind: "ratioAtMost", limit: 1.15 } },
      { figure: "total blocking time, signed-in pages", unit: "ms", waymark: of(signedIn, tbt), bare: bareOf("bare dynamic", tbt), goal: { kind: "atMostPlus", delta: 100 } },
      { figure: "total blocking time, /signin", unit: "ms", waymark: of(["/signin"], tbt), bare: bareOf("bare static", tbt), goal: { kind: "atMostPlus", delta: 100 } },
    ];
  }, ["page figures"]);

  await part("load", async () => {
    // Beside the verdict: the bare dynamic page made as large as /orders, so what is left of the gap is
    // the portal's own cost per page rather than its page's size.
    const sameSize = await bareRowsMatching(`${bare.url}/dynamic`, { name: "/orders", url: `${portal.url}/orders`, cookie: ada });
    const rps = await measureThroughput(
      [
        { name: "bare dynamic", url: `${bare.url}/dynamic` },
        { name: "bare dynamic, as large as /orders", url: `${bare.url}/dynamic?rows=${sameSize.rows}` },
        { name: "/orders", url: `${portal.url}/orders`, cookie: ada },
        { name: "/", url: `${portal.url}/`, cookie: ada },
        { name: "/orders many", url: `${portal.url}/orders`, cookie: many },
        { name: "bare static", url: `${bare.url}/` },
        { name: "/signin", url: `${portal.url}/signin` },
      ],
      { rounds: Number(values.rounds), seconds: Number(values.seconds), connections: Number(values.connections), log },
    );
    const sameSizeRps = rps.get("bare dynamic, as large as /orders")!;
    sizeNote =
      `For scale, beside the verdict: /orders answers ${kilobytes(sameSize.pageBytes)} of HTML, the bare dynamic page ${kilobytes(sameSize.bareBytes)} with ${sameSize.rows} rows ` +
      `(25 rows: the yardstick above); at that size it serves ${Math.round(sameSizeRps)} req/s, and /orders ${(rps.get("/orders")! / sameSizeRps).toFixed(2)}× that.`;
    log(sizeNote);
    const ratio = { kind: "ratioAtLeast", limit: 0.5 } as const;
    return [
      { figure: `req/s, signed-in /orders (${adaUser._count.orders} orders)`, unit: "req/s", waymark: rps.get("/orders")!, bare: rps.get("bare dynamic")!, goal: ratio },
      { figure: "req/s, signed-in /", unit: "req/s", waymark: rps.get("/")!, bare: rps.get("bare dynamic")!, goal: ratio },
      { figure: "req/s, /signin (vs static)", unit: "req/s", waymark: rps.get("/signin")!, bare: rps.get("bare static")!, goal: ratio },
      { figure: `req/s, /orders at ${values.orders} orders`, unit: "req/s", waymark: rps.get("/orders many")!, bare: rps.get("bare dynamic")!, goal: ratio },
    ];
  }, ["req/s"]);

  await part("ingest", async () => {
    const clients = await signedInClients(db, 8, "bench");
    const before = await db.trailEvent.count();
    const load = await measureIngest(portal.url, clients, { seconds: Number(values["ingest-seconds"]), batch: 50, warmup: INGEST_WARMUP_BATCHES });
    // What the trail kept, not only what /ingest answered: a batch the rule refused is cheap, and counted as sent it flattered the row.
    const stored = (await db.trailEvent.count()) - before - INGEST_WARMUP_BATCHES * 50;
    if (load.failures) log(`ingest: ${load.failures} batches refused`);
    log(`ingest: ${load.events} events sent in ${load.seconds.toFixed(1)} s, ${stored} stored, batch latency p50 ${load.p50Ms.toFixed(1)} ms, p99 ${load.p99Ms.toFixed(1)} ms`);
    const storedPerSecond = Math.min(load.events, stored) / load.seconds;
    const journeys = await db.journey.findMany({ select: { id: true }, take: 1000, orderBy: { lastActivityAt: "desc" } });
    const copy = await copyRowsPerSecond(benchUrl, { rows: Math.max(50_000, stored), journeyIds: journeys.map((j) => j.id) });
    return [{ figure: "trail ingest vs raw COPY", unit: "events/s", waymark: storedPerSecond, bare: copy, goal: { kind: "ratioAtLeast", limit: 0.25, floor: 10_000 } }];
  }, ["trail ingest vs raw COPY"]);

  await part("overhead", async () => {
    // Read by recordStep on every call (lib/trail/server.ts).
    const setTrail = (on: boolean) => {
      process.env.WAYMARK_TRAIL_DISABLED = on ? "" : "1";
    };
    // Its own database, new each run: the tasks' fixture orders take numbers a past run may have used.
    const tasksUrl = benchUrl.replace(/\/[^/?]+(\?|$)/, "/waymark_bench_tasks$1");
    const admin = new pg.Client({ connectionString: benchUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "waymark_bench_tasks" WITH (FORCE)`);
    await admin.end();
    await ensureDatabase(database.url, "waymark_bench_tasks");
    await deployMigrations(tasksUrl);
    // One connection: the tasks run one at a time, and the CPU read is that connection's backend's.
    const tasksDb = createDb(tasksUrl, 1, { afterCommit: "background" });
    await ensureReturnPolicy(tasksDb);
    const measured: Figure[] = [];
    for (const [name, task] of Object.entries(TASKS)) {
      const overhead = await trailOverhead(tasksDb, task, { pairs: Number(values.pairs), setTrail });
      const cpu = overhead.databaseCpuMs;
      log(
        `overhead, ${name}: ${overhead.percent.toFixed(1)} % (medians), ${overhead.pairedPercent.toFixed(1)} % (paired), task without the trail ${overhead.offMs.toFixed(1)} ms; ` +
          `until the trail is stored ${overhead.settledPercent.toFixed(1)} %; ` +
          `statements ${overhead.statements.on} on / ${overhead.statements.off} off` +
          (cpu ? `; database CPU ${cpu.on.toFixed(2)} / ${cpu.off.toFixed(2)} ms (${((cpu.on / cpu.off - 1) * 100).toFixed(1)} %)` : ""),
      );
      measured.push({ figure: `trail overhead, ${TASK_NAMES[name as keyof typeof TASKS]}`, unit: "", waymark: overhead.percent, bare: null, goal: { kind: "overheadAtMost", limit: 5 } });
    }
    await tasksDb.$disconnect();
    return measured;
  }, ["trail overhead"]);
} finally {
  await served?.stop();
  await db.$disconnect();
  await database.stop();
}

const rows = figures.map(judge);
console.log(`\nWaymark vs bare Next.js 16 on this machine (${((Date.now() - started) / 60_000).toFixed(1)} min; Lighthouse median of ${values.runs} through a ${values["link-rtt"]} ms link, ${values.rounds} load rounds of ${values.seconds} s)\n`);
console.log(formatTable(rows));
if (lcpNote) console.log(`\n${lcpNote}`);
if (sizeNote) console.log(`\n${sizeNote}`);
const failed = rows.filter((row) => row.verdict === "FAIL").length;
console.log(`\nPASS: ${rows.length - failed} rows, FAIL: ${failed} rows`);
process.exit(0);
