// Returns benchmark (run on demand: `npm run bench:returns -- [--returns 200]`; never part of `npm test`).
//
// What one return costs the server, step by step, against PostgreSQL holding the demo data:
//   page     loading an order's lines and the policy's verdict (the return form's server work)
//   submit   the submission transaction (order lock, verdict again, return, history, outbox, trail)
//   label    booking the label with the carrier (over HTTP, against the local stand-in)
//   receipt  the warehouse's "received" webhook (state machine, refund queued under the order lock)
// The database is `waymark_bench_returns` on the embedded server (or DATABASE_URL's server).
import crypto from "node:crypto";
import { parseArgs } from "node:util";
import { startCarrierStandIn } from "../e2e/support/carrier-stand-in";
import { createDb } from "../lib/db/client";
import { ensureDatabase } from "../lib/db/maintenance";
import { deployMigrations } from "../lib/db/migrations";
import { bookLabel } from "../lib/returns/labels";
import { applyCarrierEvent } from "../lib/returns/lifecycle";
import { loadReturnContext, submitReturn } from "../lib/returns/returns";
import { isSeeded, seedDemoData } from "../lib/seed/demo";
import { resolveDatabaseOrExit } from "../scripts/support/database";
import { createDeliveredOrder, createReturnCustomer } from "../tests/support/returns-fixtures";
import { benchReturnRequest } from "./support/return-request";

const { values } = parseArgs({ options: { returns: { type: "string", default: "200" }, warmup: { type: "string", default: "10" } } });
const RETURNS = Number(values.returns);
const WARMUP = Number(values.warmup);

const database = await resolveDatabaseOrExit("[bench:returns]");
const benchUrl = database.url.replace(/\/[^/?]+(\?|$)/, "/waymark_bench_returns$1");
await ensureDatabase(database.url, "waymark_bench_returns");
await deployMigrations(benchUrl);
const db = createDb(benchUrl, 4);
if (!(await isSeeded(db))) {
  const seeded = await seedDemoData(db, { customers: 300 });
  console.log(`[bench] demo data: ${seeded.customers} customers, ${seeded.orders} orders`);
}
const carrier = await startCarrierStandIn({ port: 0 });
const carrierConfig = { baseUrl: carrier.url, apiKey: null };

type Sample = { page: number; submit: number; label: number; receipt: number };
const samples: Sample[] = [];

async function oneReturn(): Promise<Sample> {
  const { user, actor } = await createReturnCustomer(db);
  const { order, lines } = await createDeliveredOrder(db, user.id, { lines: [{ quantity: 2 }, { category: "home" }, { category: "beauty", hygiene: true }] });
  const t0 = performance.now();
  const context = await loadReturnContext(db, user.id, order.number);
  const t1 = performance.now();
  if (!context) throw new Error("order not found");
  const outcome = await submitReturn(db, { userId: user.id, actor, journeyId: crypto.randomUUID(), request: benchReturnRequest(order.number, lines) });
  const t2 = performance.now();
  if (!outcome.ok) throw new Error(`return refused: ${outcome.code}`);
  await bookLabel(db, carrierConfig, outcome.returnId);
  const t3 = performance.now();
  const applied = await applyCarrierEvent(db, { id: `evt_bench_${crypto.randomUUID()}`, type: "return.received", occurredAt: new Date().toISOString(), data: { reference: outcome.returnNumber } });
  const t4 = performance.now();
  if (applied !== "applied") throw new Error(`receipt ${applied}`);
  return { page: t1 - t0, submit: t2 - t1, label: t3 - t2, receipt: t4 - t3 };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

try {
  for (let i = 0; i < WARMUP; i++) await oneReturn();
  for (let i = 0; i < RETURNS; i++) samples.push(await oneReturn());
  const row = (name: string, pick: (s: Sample) => number) => {
    const v = samples.map(pick);
    return `${name.padEnd(26)} median ${percentile(v, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(v, 95).toFixed(1).padStart(6)} ms`;
  };
  console.log(`[bench] ${RETURNS} returns (after ${WARMUP} warm-up), ${await db.order.count()} orders in the database`);
  console.log(row("page (verdict)", (s) => s.page));
  console.log(row("submit (transaction)", (s) => s.submit));
  console.log(row("label (carrier, HTTP)", (s) => s.label));
  console.log(row("receipt webhook", (s) => s.receipt));
  console.log(row("customer-facing total", (s) => s.page + s.submit + s.label));
} finally {
  await db.$disconnect();
  await carrier.close();
  await database.stop();
}
process.exit(0);
