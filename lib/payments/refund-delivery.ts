// Delivery of queued refunds (topic "stripe.refund", written by queueRefund) and their settlement.
// The Stripe call carries the refund's own idempotency key, so a retry after a lost answer replays
// the first refund instead of making a second one. Stripe's answer, and later its refund webhooks,
// settle the Refund row; a settled refund only ever moves forward (pending → succeeded → failed).
import "server-only";
import type Stripe from "stripe";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { notify } from "@/lib/notify/notify";
import { isRefusedStripeError, isTransientStripeError, stripeErrorCode } from "./stripe";

type Tx = Prisma.TransactionClient;

export const refundPayloadSchema = z.object({
  refundId: z.string().min(1),
  paymentIntentId: z.string().nullable(),
  amountMinor: z.number().int().positive(),
  currency: z.string().length(3),
  idempotencyKey: z.string().min(1),
});
export type RefundPayload = z.infer<typeof refundPayloadSchema>;

export type RefundDelivery = { outcome: "sent"; stripeRefundId: string } | { outcome: "refused"; code: string; message: string } | { outcome: "already_done" };

export class StripeUnreachableError extends Error {}

/** Sends one queued refund to Stripe. Throws StripeUnreachableError when it should be tried again. */
export async function deliverRefund(db: Db, stripe: Stripe, payload: RefundPayload): Promise<RefundDelivery> {
  const refund = await db.refund.findUnique({ where: { id: payload.refundId }, select: { status: true, stripeRefundId: true } });
  if (!refund || refund.status !== "PENDING" || refund.stripeRefundId) return { outcome: "already_done" };
  if (!payload.paymentIntentId) return refuse(db, payload, "no_payment_intent", "The order has no Stripe payment to refund.");
  let created: Stripe.Refund;
  try {
    created = await stripe.refunds.create(
      { payment_intent: payload.paymentIntentId, amount: payload.amountMinor, reason: "requested_by_customer", metadata: { waymark_refund_id: payload.refundId } },
      { idempotencyKey: payload.idempotencyKey },
    );
  } catch (error) {
    if (isTransientStripeError(error)) throw new StripeUnreachableError(`Stripe unreachable for refund ${payload.refundId}: ${error instanceof Error ? error.message : String(error)}`);
    if (!isRefusedStripeError(error)) throw error;
    return refuse(db, payload, stripeErrorCode(error), error.message);
  }
  await db.$transaction((tx) => settleRefund(tx, { refundId: payload.refundId, stripeRefundId: created.id, stripeStatus: created.status }));
  return { outcome: "sent", stripeRefundId: created.id };
}

/** Stripe refused the refund (e.g. more than is left on the charge): it fails, visibly, and is not retried. */
async function refuse(db: Db, payload: RefundPayload, code: string, message: string): Promise<RefundDelivery> {
  console.error(`[stripe.refund] refund ${payload.refundId} (${payload.amountMinor} ${payload.currency}) refused by Stripe: ${code}: ${message}`);
  await db.$transaction((tx) => settleRefund(tx, { refundId: payload.refundId, stripeRefundId: null, stripeStatus: "failed" }));
  return { outcome: "refused", code, message };
}

const RANK = { PENDING: 0, SUCCEEDED: 1, FAILED: 2 } as const;

function statusOf(stripeStatus: string | null | undefined): keyof typeof RANK | null {
  if (stripeStatus === "succeeded") return "SUCCEEDED";
  if (stripeStatus === "failed" || stripeStatus === "canceled") return "FAILED";
  return null;
}

/**
 * Applies what Stripe says about a refund, found by our id or by Stripe's. Keeps the order's
 * refunded total and payment status in line with the refunds that succeeded.
 */
export async function settleRefund(tx: Tx, input: { refundId: string | null; stripeRefundId: string | null; stripeStatus: string | null | undefined }): Promise<boolean> {
  const where = input.refundId ? { id: input.refundId } : input.stripeRefundId ? { stripeRefundId: input.stripeRefundId } : null;
  if (!where) return false;
  const refund = await tx.refund.findUnique({ where, select: { id: true, orderId: true, returnId: true, status: true, stripeRefundId: true, amountMinor: true, currency: true, return: { select: { number: true } } } });
  if (!refund) return false;
  await tx.$executeRaw`SELECT 1 FROM "Order" WHERE "id" = ${refund.orderId} FOR UPDATE`;
  if (!refund.stripeRefundId && input.stripeRefundId) await tx.refund.update({ where: { id: refund.id }, data: { stripeRefundId: input.stripeRefundId } });
  const target = statusOf(input.stripeStatus);
  if (!target) return false;
  const moved = await tx.refund.updateMany({
    where: { id: refund.id, status: { in: (Object.keys(RANK) as (keyof typeof RANK)[]).filter((s) => RANK[s] < RANK[target]) } },
    data: { status: target, settledAt: new Date() },
  });
  if (moved.count === 0) return false;
  const order = await tx.order.findUniqueOrThrow({ where: { id: refund.orderId }, select: { number: true, userId: true, paidMinor: true, paymentStatus: true } });
  const succeeded = await tx.refund.aggregate({ where: { orderId: refund.orderId, status: "SUCCEEDED" }, _sum: { amountMinor: true } });
  const refundedMinor = succeeded._sum.amountMinor ?? 0;
  const refundStatuses = ["PAID", "PARTIALLY_REFUNDED", "REFUNDED"];
  const paymentStatus =
    refundedMinor > 0 ? (refundedMinor >= order.paidMinor ? "REFUNDED" : "PARTIALLY_REFUNDED") : refundStatuses.includes(order.paymentStatus) ? "PAID" : order.paymentStatus;
  await tx.order.update({ where: { id: refund.orderId }, data: { refundedMinor, paymentStatus } });
  if (target === "SUCCEEDED" && order.userId) {
    await notify(tx, {
      type: "refund_issued",
      userId: order.userId,
      eventKey: `refund:${refund.id}`,
      data: { amountMinor: refund.amountMinor, currency: refund.currency, orderNumber: order.number, returnNumber: refund.return?.number ?? null },
    });
  }
  // Payments never reach into returns: a return whose refund succeeded is moved on by the returns
  // module itself (settleRefundedReturns), right after the webhook and on every job tick.
  return true;
}

