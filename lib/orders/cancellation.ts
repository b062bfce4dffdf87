// Cancelling all or some lines of an order before it ships. The order row is locked for the
// whole decision, the money goes back through the refund outbox, and the trail step is written in
// the same transaction, so a refused or replayed request changes nothing.
import "server-only";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { emitBusinessEvent } from "@/lib/integrations/business-events";
import { queueAuthorizationRelease } from "@/lib/payments/authorizations";
import { notify } from "@/lib/notify/notify";
import { lineTaxShare } from "@/lib/orders/billing";
import { queueRefund } from "@/lib/payments/refunds";
import { recordStep, type TrailActor } from "@/lib/trail/server";
import { recordedStep } from "@/lib/trail/store";

export const CANCELLABLE_STATUSES = ["PENDING_PAYMENT", "PROCESSING"] as const;

export const cancellationSchema = z.object({
  lines: z
    .array(z.object({ lineId: z.string().min(1).max(40), quantity: z.coerce.number().int("Quantities are whole numbers.").min(0, "Quantities cannot be negative.").max(1000) }))
    .max(200)
    .refine((lines) => lines.some((l) => l.quantity > 0), "Choose at least one item to cancel."),
});

export type CancellationRequest = z.infer<typeof cancellationSchema>;

export type CancellationOutcome =
  | { ok: true; fullyCancelled: boolean; refundMinor: number; balanceReducedMinor: number; replayed: boolean }
  | { ok: false; code: "order_not_found" | "order_already_shipped" | "order_already_cancelled" | "invalid_line" | "quantity_too_high" };

type LineForCancel = { id: string; quantity: number; cancelledQuantity: number; returnedQuantity: number; unitPriceMinor: number; taxMinor: number };

/** Money of the cancelled part: price plus the line's tax share. Framework-free for unit tests. */
export function cancellationAmount(lines: LineForCancel[], request: CancellationRequest["lines"]): { amountMinor: number; error?: "invalid_line" | "quantity_too_high" } {
  let amountMinor = 0;
  for (const wanted of request.filter((l) => l.quantity > 0)) {
    const line = lines.find((l) => l.id === wanted.lineId);
    if (!line) return { amountMinor: 0, error: "invalid_line" };
    const open = line.quantity - line.cancelledQuantity - line.returnedQuantity;
    if (wanted.quantity > open) return { amountMinor: 0, error: "quantity_too_high" };
    // The tax taken off so far and after this cancel, so cancelling in parts credits exactly the
    // line's tax in the end, and exactly what the invoice no longer bills (lib/orders/billing.ts).
    amountMinor += line.unitPriceMinor * wanted.quantity + lineTaxShare(line, line.cancelledQuantity + wanted.quantity) - lineTaxShare(line, line.cancelledQuantity);
  }
  return { amountMinor };
}

export async function cancelOrderLines(
  db: Db,
  input: {
    userId: string;
    orderNumber: string;
    request: CancellationRequest;
    /** The attempt the cancellation belongs to; also what makes a replayed form change nothing. */
    journeyId: string;
    /**
     * The customer cancelling, whose attempt at the task this is. Null for an agent cancelling for
     * them from a case: that is no step of the customer's own, and counted as one it made their
     * funnel show a self-service cancellation they never made.
     */
    actor: TrailActor | null;
    now?: Date;
  },
): Promise<CancellationOutcome> {
  const now = input.now ?? new Date();
  const actor = input.actor;
  const trail = async (tx: Prisma.TransactionClient, outcome: CancellationOutcome) => {
    if (!actor) return;
    await recordStep(tx, actor, {
      journeyId: input.journeyId,
      type: "order_cancellation",
      step: outcome.ok ? "confirmation" : "lines",
      ...(outcome.ok ? { action: "completed" as const } : { action: "failed" as const, errorCode: outcome.code }),
    });
  };

  return db.$transaction(async (tx) => {
    const order = await tx.order.findFirst({ where: { number: input.orderNumber, userId: input.userId }, select: { id: true } });
    if (!order) return { ok: false, code: "order_not_found" } as const;
    await tx.$executeRaw`SELECT 1 FROM "Order" WHERE "id" = ${order.id} FOR UPDATE`;

    // A replayed form (same journey) finds its own completed step and changes nothing.
    const done = await recordedStep(tx, input.userId, input.journeyId, { journeyType: "order_cancellation", step: "confirmation", kind: "COMPLETED" });
    const locked = await tx.order.findUniqueOrThrow({ where: { id: order.id }, include: { lines: true } });
    if (done) return { ok: true, fullyCancelled: locked.status === "CANCELLED", refundMinor: 0, balanceReducedMinor: 0, replayed: true } as const;

    const refuse = async (code: Extract<CancellationOutcome, { ok: false }>["code"]) => {
      const outcome = { ok: false, code } as const;
      await trail(tx, outcome);
      return outcome;
    };
    if (locked.status === "CANCELLED") return refuse("order_already_cancelled");
    if (!(CANCELLABLE_STATUSES as readonly string[]).includes(locked.status)) return refuse("order_already_shipped");
    const { amountMinor, error } = cancellationAmount(locked.lines, input.request.lines);
    if (error) return refuse(error);

    for (const wanted of input.request.lines.filter((l) => l.quantity > 0)) {
      const line = locked.lines.find((l) => l.id === wanted.lineId)!;
      await tx.orderLine.update({ where: { id: line.id }, data: { cancelledQuantity: { increment: wanted.quantity } } });
      await tx.variant.update({ where: { id: line.variantId }, data: { stock: { increment: wanted.quantity } } });
    }
    const remaining = locked.lines.reduce((sum, l) => {
      const cancelledNow = input.request.lines.find((w) => w.lineId === l.id)?.quantity ?? 0;
      return sum + (l.quantity - l.cancelledQuantity - cancelledNow - l.returnedQuantity);
    }, 0);
    const fullyCancelled = remaining === 0;
    // A full cancellation also gives back the shipping charge.
    const owedBack = amountMinor + (fullyCancelled ? locked.shippingMinor : 0);
    // What was never paid is simply no longer due; what was paid goes back to the card.
    const balanceReducedMinor = Math.min(locked.balanceDueMinor, owedBack);
    const refundMinor = Math.min(owedBack - balanceReducedMinor, locked.paidMinor - locked.refundedMinor);
    // An authorisation that was never captured is released rather than refunded.
    const releasing = locked.paymentStatus === "AUTHORIZED" && fullyCancelled && !!locked.stripePaymentIntentId;
    if (releasing) {
      await queueAuthorizationRelease(tx, { orderId: locked.id, paymentIntentId: locked.stripePaymentIntentId!, idempotencyKey: `release:${locked.id}` });
    } else if (refundMinor > 0) {
      await queueRefund(tx, { orderId: locked.id, amountMinor: refundMinor, reason: fullyCancelled ? "order_cancelled" : "lines_cancelled", idempotencyKey: `cancel:${locked.id}:${input.journeyId}` });
    }
    await tx.order.update({
      where: { id: locked.id },
      data: { balanceDueMinor: { decrement: balanceReducedMinor }, ...(fullyCancelled ? { status: "CANCELLED" } : {}) },
    });
    if (fullyCancelled) await tx.orderStatusChange.create({ data: { orderId: locked.id, from: locked.status, to: "CANCELLED", at: now, actor: actor ? "customer" : "agent" } });
    await emitBusinessEvent(tx, "order.cancelled", { orderNumber: locked.number, fully: fullyCancelled, refundMinor, currency: locked.currency }, now);
    await notify(tx, {
      type: "order_cancelled",
      userId: input.userId,
      eventKey: `order:${locked.id}:cancel:${input.journeyId}`,
      data: {
        orderNumber: locked.number,
        fully: fullyCancelled,
        refund: { amountMinor: releasing ? 0 : refundMinor, currency: locked.currency },
        released: { amountMinor: releasing ? locked.totalMinor : 0, currency: locked.currency },
      },
    });
    const outcome = { ok: true, fullyCancelled, refundMinor, balanceReducedMinor, replayed: false } as const;
    await trail(tx, outcome);
    return outcome;
  });
}
