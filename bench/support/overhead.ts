// What recording the trail adds to a customer's task: the same task with the trail step and
// without it (WAYMARK_TRAIL_DISABLED, read on every call), alternating one by one so the machine's
// drift hits both sides. Only the task's own call is timed; its fixtures are built before.
import crypto from "node:crypto";
import type { Db } from "../../lib/db/client";
import { cancelOrderLines } from "../../lib/orders/cancellation";
import { changeDeliveryAddress } from "../../lib/orders/delivery-address";
import { submitReturn } from "../../lib/returns/returns";
import type { TrailActor } from "../../lib/trail/server";
import { createCustomer, createOrder } from "../../tests/support/orders";
import { createDeliveredOrder, createReturnCustomer } from "../../tests/support/returns-fixtures";
import { median, overheadPercent, pairedOverheadPercent } from "./figures";

type Task = (db: Db) => Promise<() => Promise<unknown>>;

const NEW_ADDRESS = { fullName: "Bench Customer", line1: "2 New Road", line2: null, city: "London", region: null, postalCode: "WC1N 1AP", country: "GB" as const, phone: null, isDefaultShipping: false, isDefaultBilling: false };

function actorOf(user: { id: string; analyticsId: string }): TrailActor {
  return { userId: user.id, distinctId: user.analyticsId, deviceClass: "DESKTOP", consent: true };
}

export const TASKS: Record<"return" | "cancellation" | "address", Task> = {
  return: async (db) => {
    const { user, actor } = await createReturnCustomer(db);
    const { order, lines } = await createDeliveredOrder(db, user.id, { lines: [{ quantity: 2 }, { category: "home" }] });
    return () =>
      submitReturn(db, {
        userId: user.id,
        actor,
        journeyId: crypto.randomUUID(),
        request: {
          orderNumber: order.number,
          idempotencyKey: crypto.randomUUID(),
          resolution: "REFUND",
          method: "LABEL",
          lines: [
            { lineId: lines[0].id, quantity: 1, reason: "wrong_size", note: "Too small", photo: null, exchangeVariantId: null },
            { lineId: lines[1].id, quantity: 1, reason: "damaged", note: null, photo: null, exchangeVariantId: null },
          ],
        },
      });
  },
  cancellation: async (db) => {
    const customer = await createCustomer(db, "Bench Customer");
    const order = await createOrder(db, customer.id);
    return () => cancelOrderLines(db, { userId: customer.id, orderNumber: order.number, request: { lines: [{ lineId: order.lines[0].id, quantity: 2 }] }, journeyId: crypto.randomUUID(), actor: actorOf(customer) });
  },
  address: async (db) => {
    const customer = await createCustomer(db, "Bench Customer");
    const order = await createOrder(db, customer.id);
    return () => changeDeliveryAddress(db, { userId: customer.id, orderNumber: order.number, to: { address: NEW_ADDRESS }, journeyId: crypto.randomUUID(), actor: actorOf(customer) });
  },
};

export type Overhead = { percent: number; pairedPercent: number; offMs: number };

/**
 * The trail's overhead on `task` in % over `pairs` on/off pairs after a warm-up: median on vs median
 * off (`percent`, the table's figure), and the pairs' median difference (`pairedPercent`, printed beside it).
 */
export async function trailOverhead(db: Db, task: Task, options: { pairs: number; warmup?: number; setTrail: (on: boolean) => void }): Promise<Overhead> {
  const timings = { on: [] as number[], off: [] as number[] };
  const total = (options.warmup ?? 10) * 2 + options.pairs * 2;
  try {
    for (let i = 0; i < total; i++) {
      const on = i % 2 === 0;
      const run = await task(db);
      options.setTrail(on);
      const started = performance.now();
      await run();
      const elapsed = performance.now() - started;
      if (i >= (options.warmup ?? 10) * 2) timings[on ? "on" : "off"].push(elapsed);
    }
  } finally {
    options.setTrail(true);
  }
  return { percent: overheadPercent(timings.on, timings.off), pairedPercent: pairedOverheadPercent(timings.on, timings.off), offMs: median(timings.off) };
}
