// The one way money goes back to a customer's card: a Refund row (PENDING) and an outbox message
// written in the caller's transaction. The outbox worker calls Stripe's Refund API with the
// refund's own idempotency key, so retries, double submits and concurrent workers never refund
// twice; Stripe's signed webhook settles it.
import type { Prisma } from "@/lib/generated/prisma/client";

type Tx = Prisma.TransactionClient;

export const REFUND_TOPIC = "stripe.refund";

export class RefundExceedsPaymentError extends Error {
  constructor(readonly refundableMinor: number) {
    super("refund would exceed what was paid");
  }
}

export type RefundRequest = {
  orderId: string;
  returnId?: string | null;
  amountMinor: number;
  reason: string;
  /** Derived from our own record, e.g. `return:<id>` or `cancel:<orderId>:<n>`. */
  idempotencyKey: string;
};

/**
 * Queues a refund. Locks the order row so concurrent refunds of one order are serialised and the
 * sum of refunds never exceeds what was paid. Queuing the same idempotency key twice returns the
 * first refund.
 */
export async function queueRefund(tx: Tx, request: RefundRequest) {
  if (!Number.isInteger(request.amountMinor) || request.amountMinor <= 0) throw new Error("refund amount must be a positive number of minor units");
  const existing = await tx.refund.findUnique({ where: { idempotencyKey: request.idempotencyKey } });
  if (existing) return existing;
  await tx.$executeRaw`SELECT 1 FROM "Order" WHERE "id" = ${request.orderId} FOR UPDATE`;
  const order = await tx.order.findUniqueOrThrow({ where: { id: request.orderId }, select: { paidMinor: true, currency: true, stripePaymentIntentId: true } });
  const committed = await tx.refund.aggregate({ where: { orderId: request.orderId, status: { in: ["PENDING", "SUCCEEDED"] } }, _sum: { amountMinor: true } });
  const refundable = order.paidMinor - (committed._sum.amountMinor ?? 0);
  if (request.amountMinor > refundable) throw new RefundExceedsPaymentError(refundable);
  const refund = await tx.refund.create({
    data: { orderId: request.orderId, returnId: request.returnId ?? null, amountMinor: request.amountMinor, currency: order.currency, status: "PENDING", reason: request.reason, idempotencyKey: request.idempotencyKey },
  });
  await tx.outboxMessage.create({
    data: { topic: REFUND_TOPIC, dedupeKey: `refund:${refund.id}`, payload: { refundId: refund.id, paymentIntentId: order.stripePaymentIntentId, amountMinor: refund.amountMinor, currency: refund.currency, idempotencyKey: refund.idempotencyKey } },
  });
  return refund;
}
