// A return after it was submitted: every status change is guarded by the state machine
// (status.ts) under a row lock, so replayed and out-of-order events change nothing, and the money
// moves in the same transaction as the status that causes it (refund queued, credit added,
// exchange shipped when the parcel is received).
import "server-only";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { closeCasesOfReturn, openCase } from "@/lib/cases/cases";
import { addCredit } from "@/lib/credit/ledger";
import { emitBusinessEvent } from "@/lib/integrations/business-events";
import { notify } from "@/lib/notify/notify";
import { queueRefund, RefundExceedsPaymentError } from "@/lib/payments/refunds";
import { CARRIER_EVENT_STATUS, type CarrierEvent } from "./carrier-webhook";
import { openParcelAfterCancellationCase, queueLabel } from "./labels";
import { canMove, PARCEL_AFTER_CANCELLATION_NOTE, type ReturnStatus } from "./status";

type Tx = Prisma.TransactionClient;

export type LockedReturn = {
  id: string;
  number: string;
  orderId: string;
  userId: string | null;
  status: ReturnStatus;
  resolution: "REFUND" | "STORE_CREDIT" | "EXCHANGE";
  refundMinor: number;
  bonusMinor: number;
  currency: string;
};

export type StatusChange = { actor: string; at: Date; note?: string | null };

/** The idempotency key of a return's refund: one Stripe refund per return, however often it is asked for. */
export const refundKeyOf = (returnId: string) => `return:${returnId}`;

export async function lockReturn(tx: Tx, where: { id: string } | { number: string }): Promise<LockedReturn | null> {
  const found = await tx.return.findUnique({ where, select: { id: true } });
  if (!found) return null;
  await tx.$executeRaw`SELECT 1 FROM "Return" WHERE "id" = ${found.id} FOR UPDATE`;
  return tx.return.findUniqueOrThrow({
    where: { id: found.id },
    select: { id: true, number: true, orderId: true, userId: true, status: true, resolution: true, refundMinor: true, bonusMinor: true, currency: true },
  });
}

/** Moves a locked return one allowed step; false (and nothing written) when the move is not allowed. */
export async function moveReturn(tx: Tx, ret: LockedReturn, to: ReturnStatus, change: StatusChange): Promise<boolean> {
  if (!canMove(ret.status, to)) return false;
  await tx.return.update({ where: { id: ret.id }, data: { status: to } });
  await tx.returnStatusChange.create({ data: { returnId: ret.id, from: ret.status, to, at: change.at, actor: change.actor, note: change.note ?? null } });
  ret.status = to;
  return true;
}

async function markReturned(tx: Tx, returnId: string) {
  const lines = await tx.returnLine.findMany({ where: { returnId }, select: { orderLineId: true, quantity: true } });
  for (const line of lines) await tx.orderLine.update({ where: { id: line.orderLineId }, data: { returnedQuantity: { increment: line.quantity } } });
}

/** Gives back the units held for an exchange that will not happen. */
export async function releaseExchangeStock(tx: Tx, returnId: string) {
  const lines = await tx.returnLine.findMany({ where: { returnId, exchangeVariantId: { not: null } }, select: { exchangeVariantId: true, quantity: true } });
  for (const line of lines) await tx.variant.update({ where: { id: line.exchangeVariantId! }, data: { reserved: { decrement: line.quantity } } });
}

async function settle(tx: Tx, ret: LockedReturn, to: "REFUNDED" | "CREDITED" | "EXCHANGED", change: StatusChange) {
  if (await moveReturn(tx, ret, to, change)) await markReturned(tx, ret.id);
}

/**
 * Queues the refund of a return (at most once: the key is derived from the return). When less
 * than expected is left to refund (another refund of the order got there first), refunds what is left.
 */
export async function queueReturnRefund(tx: Tx, ret: LockedReturn) {
  const request = { orderId: ret.orderId, returnId: ret.id, amountMinor: ret.refundMinor, reason: "return", idempotencyKey: refundKeyOf(ret.id) };
  try {
    return await queueRefund(tx, request);
  } catch (e) {
    if (!(e instanceof RefundExceedsPaymentError) || e.refundableMinor <= 0) throw e;
    await tx.return.update({ where: { id: ret.id }, data: { refundMinor: e.refundableMinor } });
    ret.refundMinor = e.refundableMinor;
    return queueRefund(tx, { ...request, amountMinor: e.refundableMinor });
  }
}

/** A store-credit return's credit, bonus included, added when the parcel arrives: what it added and the new balance. */
async function creditReturn(tx: Tx, ret: LockedReturn, at: Date) {
  const amountMinor = ret.refundMinor + ret.bonusMinor;
  if (amountMinor <= 0 || !ret.userId) return undefined;
  const { balanceMinor } = await addCredit(tx, { userId: ret.userId, amountMinor, currency: ret.currency, reason: "return", returnId: ret.id, orderId: ret.orderId });
  await emitBusinessEvent(tx, "credit.granted", { returnNumber: ret.number, amountMinor, currency: ret.currency }, at);
  return { amountMinor, currency: ret.currency, balanceMinor };
}

/** The parcel is at the warehouse: the money moves now, whatever the resolution. */
async function settleOnReceipt(tx: Tx, ret: LockedReturn, at: Date) {
  await emitBusinessEvent(tx, "return.received", { returnNumber: ret.number, resolution: ret.resolution }, at);
  // Keyed by the return alone: the parcel arrives once, however many scans say so. Store credit is
  // added on arrival and told in this message, with the new balance, not in one of its own.
  const credit = ret.resolution === "STORE_CREDIT" ? await creditReturn(tx, ret, at) : undefined;
  if (ret.userId) await notify(tx, { type: "return_received", userId: ret.userId, eventKey: `return:${ret.id}`, data: { returnNumber: ret.number, resolution: ret.resolution, credit } });
  if (ret.resolution === "REFUND") {
    if (ret.refundMinor <= 0) return settle(tx, ret, "REFUNDED", { actor: "system", at, note: "Nothing left to refund" });
    const refund = await queueReturnRefund(tx, ret);
    // Refunded at once when it was submitted: the refund may already have settled.
    if (refund.status === "SUCCEEDED") await settle(tx, ret, "REFUNDED", { actor: "stripe", at: refund.settledAt ?? at });
    return;
  }
  if (ret.resolution === "STORE_CREDIT") return settle(tx, ret, "CREDITED", { actor: "system", at });
  // Exchange: the units reserved at submission leave the shelf now.
  const lines = await tx.returnLine.findMany({ where: { returnId: ret.id, exchangeVariantId: { not: null } }, select: { exchangeVariantId: true, quantity: true } });
  for (const line of lines) {
    await tx.variant.update({ where: { id: line.exchangeVariantId! }, data: { stock: { decrement: line.quantity }, reserved: { decrement: line.quantity } } });
  }
  if (ret.userId && lines.length > 0) {
    const items = lines.reduce((sum, line) => sum + line.quantity, 0);
    await notify(tx, { type: "exchange_shipped", userId: ret.userId, eventKey: `return:${ret.id}`, data: { returnNumber: ret.number, items } });
  }
  return settle(tx, ret, "EXCHANGED", { actor: "system", at, note: "Replacement sent" });
}

const CARRIER_PATH: readonly ReturnStatus[] = ["APPROVED", "IN_TRANSIT", "RECEIVED", "INSPECTED"];

/**
 * Moves a return forward along the carrier's path to `target`, through any step whose event was
 * lost (a "received" implies it travelled). An event for a step already passed is ignored.
 */
export async function advanceAlongCarrierPath(tx: Tx, ret: LockedReturn, target: "IN_TRANSIT" | "RECEIVED" | "INSPECTED", change: StatusChange): Promise<"moved" | "ignored"> {
  const from = CARRIER_PATH.indexOf(ret.status);
  const to = CARRIER_PATH.indexOf(target);
  if (from < 0 || to <= from) return "ignored";
  for (const step of CARRIER_PATH.slice(from + 1, to + 1)) {
    if (!(await moveReturn(tx, ret, step, change))) break;
    if (step === "RECEIVED") await settleOnReceipt(tx, ret, change.at);
  }
  return "moved";
}

export type CarrierEventOutcome = "applied" | "after_cancellation" | "ignored" | "duplicate" | "unknown_return";

/**
 * A cancelled return's parcel collected or received all the same: kept in its history (once for
 * each) and handed to an agent to sort out with the customer. A scan saying it again changes nothing.
 */
async function recordParcelAfterCancellation(db: Db, tx: Tx, ret: LockedReturn, came: keyof typeof PARCEL_AFTER_CANCELLATION_NOTE, change: StatusChange): Promise<CarrierEventOutcome> {
  const entry = { returnId: ret.id, from: "CANCELLED", to: "CANCELLED", note: PARCEL_AFTER_CANCELLATION_NOTE[came] } as const;
  if (await tx.returnStatusChange.findFirst({ where: entry })) return "ignored";
  await tx.returnStatusChange.create({ data: { ...entry, actor: change.actor, at: change.at } });
  await openParcelAfterCancellationCase(db, tx, ret, change.at);
  return "after_cancellation";
}

/** Applies one signed warehouse/carrier event; a replay (same event id) is a no-op. */
export async function applyCarrierEvent(db: Db, event: CarrierEvent, now = new Date()): Promise<CarrierEventOutcome> {
  return db.$transaction(async (tx) => {
    const fresh = await tx.processedWebhook.createMany({ data: [{ id: `carrier:${event.id}`, source: "carrier", type: event.type }], skipDuplicates: true });
    if (fresh.count === 0) return "duplicate";
    const ret = await lockReturn(tx, { number: event.data.reference });
    if (!ret) return "unknown_return";
    const occurredAt = new Date(Math.min(new Date(event.occurredAt).getTime(), now.getTime()));
    const actor = event.type === "return.in_transit" ? "carrier" : "warehouse";
    if (ret.status === "CANCELLED") return recordParcelAfterCancellation(db, tx, ret, event.type === "return.in_transit" ? "collected" : "arrived", { actor, at: occurredAt });
    const moved = await advanceAlongCarrierPath(tx, ret, CARRIER_EVENT_STATUS[event.type], { actor, at: occurredAt });
    return moved === "moved" ? "applied" : "ignored";
  });
}

/** A refund of a return settled at Stripe: the return is refunded. Safe to call more than once. */
export async function settleReturnRefund(tx: Tx, returnId: string, now = new Date()): Promise<boolean> {
  const ret = await lockReturn(tx, { id: returnId });
  if (!ret || ret.resolution !== "REFUND" || !canMove(ret.status, "REFUNDED")) return false;
  const refund = await tx.refund.findUnique({ where: { idempotencyKey: refundKeyOf(ret.id) }, select: { status: true, settledAt: true } });
  if (refund?.status !== "SUCCEEDED") return false;
  await settle(tx, ret, "REFUNDED", { actor: "stripe", at: refund.settledAt ?? now });
  return true;
}

/**
 * Catches up returns whose refund Stripe has settled (the Stripe webhook settles the Refund row;
 * this moves the return). Run by the job runner; each return in its own short transaction.
 */
export async function settleRefundedReturns(db: Db, now = new Date()): Promise<number> {
  const due = await db.$queryRaw<{ id: string }[]>`
    SELECT r."id" FROM "Return" r JOIN "Refund" f ON f."idempotencyKey" = 'return:' || r."id"
    WHERE r."resolution" = 'REFUND' AND r."status" IN ('RECEIVED', 'INSPECTED') AND f."status" = 'SUCCEEDED'
    LIMIT 100`;
  let settled = 0;
  for (const { id } of due) if (await db.$transaction((tx) => settleReturnRefund(tx, id, now))) settled += 1;
  return settled;
}

// ---------------------------------------------------------------- agents

/** `note`: why, in the agent's words; on a decline it is the reason told to the customer. */
export type ReviewDecision = { agentId: string; returnNumber: string; approve: boolean; note: string; now?: Date };

/**
 * An agent's decision on a return held for review: approved (the label is booked, and its message
 * follows) or declined (the customer is told why). Either way the back office hears of it, as it
 * heard the return was created held.
 */
export async function reviewReturn(db: Db, decision: ReviewDecision): Promise<{ ok: true } | { ok: false; code: "return_not_found" | "not_held_for_review" }> {
  const now = decision.now ?? new Date();
  return db.$transaction(async (tx) => {
    const ret = await lockReturn(tx, { number: decision.returnNumber });
    if (!ret) return { ok: false, code: "return_not_found" } as const;
    if (ret.status !== "HELD_FOR_REVIEW") return { ok: false, code: "not_held_for_review" } as const;
    const note = decision.note.trim().slice(0, 500);
    const change = { actor: `agent:${decision.agentId}`, at: now, note };
    const { method, order } = await tx.return.findUniqueOrThrow({ where: { id: ret.id }, select: { method: true, order: { select: { number: true } } } });
    const facts = { returnNumber: ret.number, orderNumber: order.number, method };
    if (decision.approve) {
      await moveReturn(tx, ret, "APPROVED", change);
      await queueLabel(tx, ret.id, now);
      await emitBusinessEvent(tx, "return.approved", { ...facts, approvedBy: "agent" }, now);
    } else {
      await moveReturn(tx, ret, "DECLINED", change);
      await releaseExchangeStock(tx, ret.id);
      await emitBusinessEvent(tx, "return.declined", { ...facts, declinedBy: "agent" }, now);
      if (ret.userId) await notify(tx, { type: "return_declined", userId: ret.userId, eventKey: `return:${ret.id}:declined`, data: { returnNumber: ret.number, orderNumber: order.number, reason: note || null } });
    }
    await closeCasesOfReturn(tx, ret.id, { outcome: decision.approve ? "return_approved" : "return_declined", outcomeText: decision.approve ? "Return approved" : "Return declined", agentId: decision.agentId, now });
    return { ok: true } as const;
  });
}

/** Opens the agent's case for a return the policy holds for review. */
export async function openReviewCase(db: Db, tx: Tx, input: { userId: string; returnId: string; orderId: string; journeyId: string; reasons: string[]; now: Date }) {
  return openCase(db, { userId: input.userId, channel: "PORTAL", reason: `return_review:${input.reasons.join(",")}`, journeyId: input.journeyId, orderId: input.orderId, returnId: input.returnId, now: input.now }, tx);
}
