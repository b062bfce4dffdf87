// Proactive notices (predict, then intervene): the worker finds orders whose customer is about to
// wonder ("where is my order?", "where is my refund?", "can I still return it?") and tells them
// first. A stable share of orders per notice type (NOTICE_HOLDOUT_PERCENT) is held out: recorded,
// not told, so /insights/help can compare contacts and channel exits with and without the notice.
// One decision per notice type and order (ProactiveNotice is unique on them), taken in the same
// transaction as the message, so reruns and concurrent workers decide and tell once.
//
// `runProactiveNotices(db, now)` is a plain job function, registered in lib/jobs/runner.ts.
import crypto from "node:crypto";
import { env } from "@/lib/config/env";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { deliveryEstimate } from "@/lib/orders/status";
import { activePolicy } from "@/lib/returns/policy-store";
import { notify } from "./notify";

type Tx = Prisma.TransactionClient;

export const NOTICE_TYPES = ["late_order", "refund_late", "return_window_closing"] as const;
export type NoticeType = (typeof NOTICE_TYPES)[number];

const DAY_MS = 86_400_000;
/** Late orders further back than this were dealt with another way; they are not told now. */
const LOOK_BACK_DAYS = 14;
/** A refund still unconfirmed by Stripe after this long is late (they usually confirm within minutes). */
const REFUND_LATE_AFTER_DAYS = 2;
/** How close to its end a return window must be to be worth a reminder. */
const WINDOW_CLOSING_DAYS = 3;
const BATCH = 200;

/** Stable per order and notice type: the same order is always in the same group for a notice. */
export function noticeGroup(type: NoticeType, orderId: string, holdoutPercent = env().NOTICE_HOLDOUT_PERCENT): "NOTICE" | "HELD_OUT" {
  const bucket = crypto.createHash("sha256").update(`notice:${type}:${orderId}`).digest().readUInt32BE(0) % 100;
  return bucket < holdoutPercent ? "HELD_OUT" : "NOTICE";
}

type Candidate<T extends NoticeType> = { orderId: string; userId: string; data: Parameters<typeof notify<T>>[1]["data"] };

async function lateOrders(db: Db, now: Date): Promise<Candidate<"late_order">[]> {
  const orders = await db.order.findMany({
    where: { status: { in: ["PROCESSING", "SHIPPED"] }, userId: { not: null }, promisedDeliveryAt: { lt: now, gte: new Date(now.getTime() - LOOK_BACK_DAYS * DAY_MS) }, proactiveNotices: { none: { type: "late_order" } } },
    select: { id: true, number: true, userId: true, status: true, promisedDeliveryAt: true, shipments: { select: { expectedAt: true }, orderBy: { expectedAt: "desc" }, take: 1 } },
    take: BATCH,
  });
  return orders.map((o) => {
    // The carrier's later date, or none: the order's page says the date is to follow, and so does the notice.
    const estimate = deliveryEstimate(o.shipments[0]?.expectedAt ?? null, o.promisedDeliveryAt, now);
    return { orderId: o.id, userId: o.userId!, data: { orderNumber: o.number, newEstimate: estimate?.toISOString() ?? null, cancellable: o.status === "PROCESSING" } };
  });
}

async function lateRefunds(db: Db, now: Date): Promise<Candidate<"refund_late">[]> {
  const refunds = await db.refund.findMany({
    where: {
      status: "PENDING",
      createdAt: { lt: new Date(now.getTime() - REFUND_LATE_AFTER_DAYS * DAY_MS), gte: new Date(now.getTime() - LOOK_BACK_DAYS * DAY_MS) },
      order: { userId: { not: null }, proactiveNotices: { none: { type: "refund_late" } } },
    },
    select: { orderId: true, amountMinor: true, currency: true, order: { select: { number: true, userId: true } } },
    distinct: ["orderId"],
    take: BATCH,
  });
  return refunds.map((r) => ({ orderId: r.orderId, userId: r.order.userId!, data: { orderNumber: r.order.number, amountMinor: r.amountMinor, currency: r.currency } }));
}

async function closingWindows(db: Db, now: Date): Promise<Candidate<"return_window_closing">[]> {
  const windowDays = (await activePolicy(db)).rules.windowDays.default;
  // Delivered so long ago that the window ends within the next few days (and has not ended).
  const deliveredAfter = new Date(now.getTime() - windowDays * DAY_MS);
  const deliveredBefore = new Date(now.getTime() - (windowDays - WINDOW_CLOSING_DAYS) * DAY_MS);
  const shipments = await db.shipment.findMany({
    where: {
      deliveredAt: { gt: deliveredAfter, lte: deliveredBefore },
      order: { status: "DELIVERED", userId: { not: null }, returns: { none: {} }, proactiveNotices: { none: { type: "return_window_closing" } } },
    },
    select: { deliveredAt: true, order: { select: { id: true, number: true, userId: true } } },
    distinct: ["orderId"],
    take: BATCH,
  });
  return shipments.map((s) => ({
    orderId: s.order.id,
    userId: s.order.userId!,
    data: { orderNumber: s.order.number, closesAt: new Date(s.deliveredAt!.getTime() + windowDays * DAY_MS).toISOString() },
  }));
}

async function decide<T extends NoticeType>(tx: Tx, type: T, candidate: Candidate<T>, now: Date, holdoutPercent: number): Promise<"NOTICE" | "HELD_OUT" | null> {
  const group = noticeGroup(type, candidate.orderId, holdoutPercent);
  const created = await tx.proactiveNotice.createMany({ data: [{ type, orderId: candidate.orderId, userId: candidate.userId, group, decidedAt: now }], skipDuplicates: true });
  if (created.count === 0) return null;
  if (group === "NOTICE") await notify(tx, { type, userId: candidate.userId, eventKey: `${type}:${candidate.orderId}`, data: candidate.data } as Parameters<typeof notify<T>>[1]);
  return group;
}

/** One pass of the job: every due notice decided (told or held out) once. Returns how many of each. */
export async function runProactiveNotices(db: Db, now: Date, holdoutPercent = env().NOTICE_HOLDOUT_PERCENT): Promise<{ told: number; heldOut: number }> {
  const found = { late_order: await lateOrders(db, now), refund_late: await lateRefunds(db, now), return_window_closing: await closingWindows(db, now) };
  const counts = { told: 0, heldOut: 0 };
  for (const type of NOTICE_TYPES) {
    for (const candidate of found[type] as Candidate<typeof type>[]) {
      const group = await db.$transaction((tx) => decide(tx, type, candidate, now, holdoutPercent));
      if (group === "NOTICE") counts.told += 1;
      if (group === "HELD_OUT") counts.heldOut += 1;
    }
  }
  return counts;
}
