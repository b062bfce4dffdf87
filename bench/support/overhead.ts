// What recording the trail adds to a customer's task: the same task with the trail step and
// without it (WAYMARK_TRAIL_DISABLED, read on every call), alternating one by one so the machine's
// drift hits both sides. Only the task's own call is timed; its fixtures are built before. The
// client runs what a commit leaves for later as the portal's does (in the background): the row is
// the task's answer, and the time until the trail has stored the step is printed beside it.
// Beside the time, what does not drift with the machine's load: the statements the task sends,
// and the CPU its database connection spends (read from /proc when PostgreSQL runs on this machine).
import crypto from "node:crypto";
import fs from "node:fs";
import pg from "pg";
import { backgroundWorkSettled, type Db } from "../../lib/db/client";
import { cancelOrderLines } from "../../lib/orders/cancellation";
import { changeDeliveryAddress } from "../../lib/orders/delivery-address";
import { submitReturn } from "../../lib/returns/returns";
import { JOURNEYS, type JourneyType } from "../../lib/trail/journeys";
import { serverStepEvent, type TrailActor } from "../../lib/trail/server";
import { storeTrailEvents } from "../../lib/trail/store";
import { createCustomer, createOrder } from "../../tests/support/orders";
import { createDeliveredOrder, createReturnCustomer } from "../../tests/support/returns-fixtures";
import { median, overheadPercent, pairedOverheadPercent } from "./figures";
import { benchReturnRequest } from "./return-request";

type Task = (db: Db) => Promise<() => Promise<unknown>>;

const NEW_ADDRESS = { fullName: "Bench Customer", line1: "2 New Road", line2: null, city: "London", region: null, postalCode: "WC1N 1AP", country: "GB" as const, phone: null, isDefaultShipping: false, isDefaultBilling: false };

function actorOf(user: { id: string; analyticsId: string }): TrailActor {
  return { userId: user.id, distinctId: user.analyticsId, deviceClass: "DESKTOP", consent: true };
}

/**
 * The attempt as the submit finds it on the live portal: the browser has recorded the task's
 * screens before its last step (each viewed), so the submit completes an attempt that exists.
 */
async function screensViewed(db: Db, actor: TrailActor, type: JourneyType): Promise<string> {
  const journeyId = crypto.randomUUID();
  const before = JOURNEYS[type].steps.slice(0, -1);
  const at = Date.now() - before.length * 1000;
  await storeTrailEvents(db, before.map((step, i) => serverStepEvent(actor, { journeyId, type, step, action: "viewed" }, new Date(at + i * 1000))));
  return journeyId;
}

export const TASKS: Record<"return" | "cancellation" | "address", Task> = {
  return: async (db) => {
    const { user, actor } = await createReturnCustomer(db);
    const { order, lines } = await createDeliveredOrder(db, user.id, { lines: [{ quantity: 2 }, { category: "home" }] });
    const journeyId = await screensViewed(db, actor, "return");
    return () => submitReturn(db, { userId: user.id, actor, journeyId, request: benchReturnRequest(order.number, lines) });
  },
  cancellation: async (db) => {
    const customer = await createCustomer(db, "Bench Customer");
    const order = await createOrder(db, customer.id);
    const journeyId = await screensViewed(db, actorOf(customer), "order_cancellation");
    return () => cancelOrderLines(db, { userId: customer.id, orderNumber: order.number, request: { lines: [{ lineId: order.lines[0].id, quantity: 2 }] }, journeyId, actor: actorOf(customer) });
  },
  address: async (db) => {
    const customer = await createCustomer(db, "Bench Customer");
    const order = await createOrder(db, customer.id);
    const journeyId = await screensViewed(db, actorOf(customer), "delivery_address_change");
    return () => changeDeliveryAddress(db, { userId: customer.id, orderNumber: order.number, to: { address: NEW_ADDRESS }, journeyId, actor: actorOf(customer) });
  },
};

export type Overhead = {
  percent: number;
  pairedPercent: number;
  offMs: number;
  /** The overhead on the time until the work the task left for after its commit is done too (the trail's rows stored). */
  settledPercent: number;
  /** Statements the task sent with the trail on and off (the last run of each). */
  statements: { on: number; off: number };
  /** Median CPU of the task's database connection, on and off, when it can be read (null otherwise). */
  databaseCpuMs: { on: number; off: number } | null;
};

/** Statements sent by this process's node-postgres clients while `counting` is on. */
let sent: number | null = null;
const query = pg.Client.prototype.query;
function countStatements(on: boolean) {
  if (on && pg.Client.prototype.query === query) {
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      if (sent !== null) sent++;
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
  }
  if (!on) pg.Client.prototype.query = query;
}

/** CPU time of a PostgreSQL backend on this machine, in ms (Linux' schedstat), or null. */
function backendCpu(pid: number | null): (() => number) | null {
  if (pid === null) return null;
  const file = `/proc/${pid}/schedstat`;
  try {
    fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
  return () => Number(fs.readFileSync(file, "utf8").split(" ")[0]) / 1e6;
}

/**
 * The trail's overhead on `task` in % over `pairs` on/off pairs after a warm-up: median on vs median
 * off (`percent`, the table's figure), and the pairs' median difference (`pairedPercent`, printed beside it).
 * `db` should hold one connection, so the backend whose CPU is read is the one that ran the task.
 */
export async function trailOverhead(db: Db, task: Task, options: { pairs: number; warmup?: number; setTrail: (on: boolean) => void }): Promise<Overhead> {
  const timings = { on: [] as number[], off: [] as number[] };
  const settled = { on: [] as number[], off: [] as number[] };
  const cpu = { on: [] as number[], off: [] as number[] };
  const statements = { on: 0, off: 0 };
  const [{ pid }] = await db.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
  const cpuNow = backendCpu(pid);
  const total = (options.warmup ?? 10) * 2 + options.pairs * 2;
  countStatements(true);
  try {
    for (let i = 0; i < total; i++) {
      const on = i % 2 === 0;
      const run = await task(db);
      options.setTrail(on);
      const cpuBefore = cpuNow?.() ?? 0;
      sent = 0;
      const started = performance.now();
      await run();
      const elapsed = performance.now() - started;
      await backgroundWorkSettled();
      const settledElapsed = performance.now() - started;
      statements[on ? "on" : "off"] = sent;
      sent = null;
      const cpuMs = (cpuNow?.() ?? 0) - cpuBefore;
      if (i >= (options.warmup ?? 10) * 2) {
        timings[on ? "on" : "off"].push(elapsed);
        settled[on ? "on" : "off"].push(settledElapsed);
        cpu[on ? "on" : "off"].push(cpuMs);
      }
    }
  } finally {
    sent = null;
    countStatements(false);
    options.setTrail(true);
  }
  return {
    percent: overheadPercent(timings.on, timings.off),
    pairedPercent: pairedOverheadPercent(timings.on, timings.off),
    offMs: median(timings.off),
    settledPercent: overheadPercent(settled.on, settled.off),
    statements,
    databaseCpuMs: cpuNow ? { on: median(cpu.on), off: median(cpu.off) } : null,
  };
}
