// What an agent can do for a customer from a case: the same domain code and policy as the portal,
// plus goodwill that sets a rule aside, always with a written justification on record.
import "server-only";
import { z } from "zod";
import { grantCredit } from "@/lib/credit/ledger";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { emitBusinessEvent } from "@/lib/integrations/business-events";
import { cancelOrderLines, type CancellationOutcome } from "@/lib/orders/cancellation";
import { queueRefund, RefundExceedsPaymentError } from "@/lib/payments/refunds";
import { minorDigits } from "@/lib/format/money";
import { optionalText } from "@/lib/http/input";
import { reviewReturn } from "@/lib/returns/lifecycle";
import { OPEN_STATUSES } from "@/lib/returns/status";
import { givenBackMinor, goodwillCap } from "@/lib/cases/goodwill";
import { isCaseOpen } from "@/lib/cases/labels";
import { justificationSchema, OVERRIDE_LABEL, overrideForNextReturn, overrideSchema, waiveReturnFee, type OverrideOutcome } from "@/lib/returns/overrides";
import { isJourneyType } from "@/lib/trail/journeys";
import { journeyIdFrom, recordOverride, type TrailActor } from "@/lib/trail/server";

const customerOrderNumber = z.string().regex(/^WM-\d{6}$/, "Choose one of the customer's orders.");

export const goodwillSchema = z.object({
  orderNumber: customerOrderNumber,
  kind: z.enum(["REFUND", "STORE_CREDIT"], { message: "Choose refund or store credit." }),
  // As an agent types it: plain digits with at most two decimals. A number parser would also take
  // "0x1", "1e1" or 0.001 (which rounds to nothing and failed at the ledger), and round 12.345 unseen.
  amount: z
    .string()
    .trim()
    .regex(/^\d{1,6}(\.\d{1,2})?$/, "Enter an amount like 12.50.")
    .transform(Number)
    .refine((amount) => amount >= 0.01, "The amount must be at least 0.01.")
    .refine((amount) => amount <= 10_000, "Amounts above 10,000 need a manager."),
  justification: justificationSchema,
  // The form's own key, new with each page: the same form sent twice grants once.
  requestKey: z.uuid({ message: "Reload the case and grant again." }),
});

export type GoodwillInput = z.infer<typeof goodwillSchema>;

/** The customer as the trail sees them when an agent acts on their behalf. */
type GoodwillRefusal =
  | { ok: false; code: "case_not_found" | "case_closed" | "order_not_found" }
  | { ok: false; code: "order_cancelled"; orderNumber: string }
  | { ok: false; code: "refund_exceeds_payment"; refundableMinor: number; currency: string }
  | { ok: false; code: "goodwill_exceeds_order"; grantableMinor: number; currency: string };

/** Ends the transaction without a trace: the override is only on record when the goodwill was given. */
class GoodwillRefused extends Error {
  constructor(readonly refusal: GoodwillRefusal) {
    super(refusal.code);
  }
}

/**
 * A refund or store credit outside the policy, recorded as an override of the named rule. Either is
 * capped by the order's total once cancellations are taken off, less what has gone back for it or
 * will once its returns arrive (lib/cases/goodwill.ts), a refund also by what is left of the
 * payment: more is a manager's decision, not a form's. An order cancelled in full bears neither.
 */
export async function grantGoodwill(db: Db, input: { caseNumber: string; agentId: string; request: GoodwillInput; now?: Date }) {
  try {
    return await grantGoodwillOnce(db, input);
  } catch (e) {
    if (e instanceof GoodwillRefused) return e.refusal;
    throw e;
  }
}

async function grantGoodwillOnce(db: Db, input: { caseNumber: string; agentId: string; request: GoodwillInput; now?: Date }) {
  const now = input.now ?? new Date();
  return db.$transaction(async (tx) => {
    const found = await tx.case.findUnique({ where: { number: input.caseNumber } });
    if (!found?.userId) return { ok: false as const, code: "case_not_found" as const };
    if (!isCaseOpen(found.status)) return { ok: false as const, code: "case_closed" as const };
    const placed = await tx.order.findFirst({ where: { number: input.request.orderNumber, userId: found.userId }, select: { id: true } });
    if (!placed) return { ok: false as const, code: "order_not_found" as const };
    // Two agents (or two tabs) granting on one order take turns, so together they stay under the
    // cap; a cancellation, which takes the same lock, is either all in the order read or none of it.
    await tx.$executeRaw`SELECT 1 FROM "Order" WHERE "id" = ${placed.id} FOR UPDATE`;
    // Sent before (a double submit, a retry): what it granted then, nothing more. Read under the
    // order's lock, so a copy sent at the same time waits for the first and finds it here.
    const earlier = await tx.policyOverride.findUnique({ where: { requestKey: input.request.requestKey }, select: { caseId: true, grantId: true } });
    if (earlier?.grantId && earlier.caseId === found.id) return { ok: true as const, grantId: earlier.grantId };
    if (earlier) return { ok: false as const, code: "case_not_found" as const };
    const order = await tx.order.findUniqueOrThrow({ where: { id: placed.id }, include: { lines: true } });
    // The form's amount is in the order's currency: yen have no minor unit, dinars three.
    const amountMinor = Math.round(input.request.amount * 10 ** minorDigits(order.currency));
    const cap = goodwillCap(order, await givenBackFor(tx, order.id));
    if (cap.nothingToGrant) return { ok: false as const, code: "order_cancelled" as const, orderNumber: order.number };
    if (amountMinor > cap.grantableMinor) return { ok: false as const, code: "goodwill_exceeds_order" as const, grantableMinor: cap.grantableMinor, currency: order.currency };
    // What was granted, for the case's page to say it from (lib/cases/outcome.ts): the refund or the credit.
    let grantId: string;
    if (input.request.kind === "REFUND") {
      try {
        ({ id: grantId } = await queueRefund(tx, { orderId: order.id, amountMinor, reason: `goodwill:${found.number}`, idempotencyKey: `goodwill:${input.request.requestKey}` }));
      } catch (e) {
        if (e instanceof RefundExceedsPaymentError) throw new GoodwillRefused({ ok: false, code: "refund_exceeds_payment", refundableMinor: e.refundableMinor, currency: order.currency });
        throw e;
      }
    } else {
      ({ entryId: grantId } = await grantCredit(tx, { userId: found.userId, amountMinor, currency: order.currency, reason: `goodwill:${found.number}`, orderId: order.id }));
      await emitBusinessEvent(tx, "credit.granted", { orderNumber: order.number, amountMinor, currency: order.currency, caseNumber: found.number }, now);
    }
    const rule = input.request.kind === "REFUND" ? "goodwill_refund" : "goodwill_credit";
    const override = await tx.policyOverride.create({
      data: { rule, orderId: order.id, caseId: found.id, agentId: input.agentId, justification: input.request.justification, requestKey: input.request.requestKey, grantId, createdAt: now },
    });
    // Shown in the customer's trail, on the task the case came from.
    const journey = found.journeyId ? await tx.journey.findUnique({ where: { id: found.journeyId } }) : null;
    const customer = await tx.user.findUniqueOrThrow({ where: { id: found.userId }, select: { analyticsId: true, analyticsConsent: true } });
    if (journey && isJourneyType(journey.type)) {
      const actor: TrailActor = { userId: found.userId, distinctId: customer.analyticsId, deviceClass: journey.deviceClass, consent: customer.analyticsConsent };
      await recordOverride(tx, actor, { journeyId: journey.id, type: journey.type, step: journey.lastStep, rule, overrideId: override.id });
    }
    if (found.status === "OPEN") await tx.case.update({ where: { id: found.id }, data: { status: "IN_PROGRESS", assignedToId: input.agentId } });
    return { ok: true as const, grantId };
  });
}

/** What has gone back to the customer for the order, or will once its returns arrive (read under the order's lock). */
async function givenBackFor(tx: Prisma.TransactionClient, orderId: string): Promise<number> {
  const [refunds, credits, returnsUnderWay] = await Promise.all([
    tx.refund.findMany({ where: { orderId, status: { in: ["PENDING", "SUCCEEDED"] } }, select: { amountMinor: true, reason: true } }),
    tx.storeCreditEntry.findMany({ where: { orderId }, select: { amountMinor: true } }),
    // Open returns whose money has not moved yet: a received one's refund is a refund above until it settles.
    tx.return.findMany({ where: { orderId, status: { in: [...OPEN_STATUSES] }, refunds: { none: { reason: "return" } } }, select: { resolution: true, refundMinor: true } }),
  ]);
  return givenBackMinor({ refunds, creditMinor: credits.map((c) => c.amountMinor), returnsUnderWay });
}

export async function takeCase(db: Db, caseNumber: string, agentId: string) {
  const { count } = await db.case.updateMany({ where: { number: caseNumber, status: "OPEN" }, data: { status: "IN_PROGRESS", assignedToId: agentId } });
  return count === 1;
}

/**
 * The case's customer and one of their orders: a case or order number of anyone else's finds
 * nothing, and a case already resolved or closed (a tab left open on it) acts no more.
 */
async function caseAndOrder(db: Db, caseNumber: string, orderNumber: string) {
  const found = await db.case.findUnique({ where: { number: caseNumber }, select: { id: true, userId: true, journeyId: true, status: true } });
  if (!found?.userId) return { ok: false as const, code: "order_not_found" as const };
  if (!isCaseOpen(found.status)) return { ok: false as const, code: "case_closed" as const };
  const order = await db.order.findFirst({ where: { number: orderNumber, userId: found.userId }, include: { lines: true } });
  return order ? { ok: true as const, caseId: found.id, userId: found.userId, journeyId: found.journeyId, order } : { ok: false as const, code: "order_not_found" as const };
}

export const agentCancelSchema = z.object({ orderNumber: customerOrderNumber });

/**
 * Cancels everything still open on one of the case's customer's orders, on their behalf: the order's
 * history says an agent did it, and the customer's trail gains no attempt they did not make.
 */
export async function cancelForCustomer(
  db: Db,
  input: { caseNumber: string; request: z.infer<typeof agentCancelSchema> },
): Promise<{ ok: false; code: "order_not_found" | "case_closed" } | (CancellationOutcome & { currency: string })> {
  const found = await caseAndOrder(db, input.caseNumber, input.request.orderNumber);
  if (!found.ok) return found;
  const lines = found.order.lines.map((l) => ({ lineId: l.id, quantity: l.quantity - l.cancelledQuantity - l.returnedQuantity })).filter((l) => l.quantity > 0);
  const outcome = await cancelOrderLines(db, { userId: found.userId, orderNumber: found.order.number, request: { lines }, journeyId: journeyIdFrom(null), actor: null });
  return { ...outcome, currency: found.order.currency };
}

export const returnOverrideSchema = z.object({
  orderNumber: customerOrderNumber,
  rule: z.enum(Object.keys(OVERRIDE_LABEL) as [string, ...string[]], { message: "Choose the rule to set aside." }),
  justification: overrideSchema.shape.justification,
});

/** Sets a return refusal aside for the case's customer's next return of one of their orders, on the case's journey. */
export async function overrideReturnForCustomer(
  db: Db,
  input: { caseNumber: string; agentId: string; request: z.infer<typeof returnOverrideSchema> },
): Promise<OverrideOutcome | { ok: false; code: "case_closed" }> {
  const found = await caseAndOrder(db, input.caseNumber, input.request.orderNumber);
  if (!found.ok) return found;
  const { rule, justification } = input.request;
  return overrideForNextReturn(db, { agentId: input.agentId, orderNumber: found.order.number, rule, justification, journeyId: found.journeyId, caseId: found.caseId });
}

export const waiveFeeSchema = z.object({ justification: justificationSchema });

/**
 * Waives the fee of the return the case is about, recorded as an override of the fee's rule with the
 * agent's justification; the customer gets it back and is told. A case closed, or about no return,
 * waives nothing.
 */
export async function waiveFeeForCase(
  db: Db,
  input: { caseNumber: string; agentId: string; request: z.infer<typeof waiveFeeSchema>; now?: Date },
): Promise<OverrideOutcome | { ok: false; code: "case_closed" }> {
  const found = await db.case.findUnique({ where: { number: input.caseNumber }, select: { id: true, status: true, journeyId: true, returnId: true } });
  const about = found?.returnId ? await db.return.findUnique({ where: { id: found.returnId }, select: { number: true } }) : null;
  if (!found || !about) return { ok: false, code: "return_not_found" };
  if (!isCaseOpen(found.status)) return { ok: false, code: "case_closed" };
  return waiveReturnFee(db, { agentId: input.agentId, returnNumber: about.number, justification: input.request.justification, journeyId: found.journeyId, caseId: found.id, now: input.now });
}

export const returnReviewSchema = z
  .object({
    decision: z.enum(["APPROVE", "DECLINE"], { message: "Choose whether to accept or decline the return." }),
    note: optionalText(500, "Keep the note under 500 characters."),
  })
  // A decline's reason is quoted to the customer in its message: "no" alone is not an answer.
  .refine((review) => review.decision === "APPROVE" || (review.note?.length ?? 0) >= 10, { message: "Say why, in a sentence the customer will read.", path: ["note"] });

/**
 * The agent's decision on the return the case was opened to check (a return the policy held for
 * review): accepted, its label or pickup is booked; declined, the customer is told why. The case
 * names the return, so nobody can decide on another customer's by its number.
 */
export async function reviewReturnForCase(
  db: Db,
  input: { caseNumber: string; agentId: string; request: z.infer<typeof returnReviewSchema> },
): Promise<{ ok: true } | { ok: false; code: "no_return_to_review" | "not_held_for_review" }> {
  const found = await db.case.findUnique({ where: { number: input.caseNumber }, select: { returnId: true } });
  const held = found?.returnId ? await db.return.findUnique({ where: { id: found.returnId }, select: { number: true } }) : null;
  if (!held) return { ok: false, code: "no_return_to_review" };
  const { decision, note } = input.request;
  const result = await reviewReturn(db, { agentId: input.agentId, returnNumber: held.number, approve: decision === "APPROVE", note: note ?? "" });
  return result.ok ? result : { ok: false, code: result.code === "return_not_found" ? "no_return_to_review" : result.code };
}
