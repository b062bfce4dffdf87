// Applying the problem policy to a customer's order: the decision is always recomputed on the
// server under the order's lock, the resolution is applied in the same transaction as its trail
// step, and a decision that needs a person opens a case carrying the journey.
import "server-only";
import { z } from "zod";
import { openCase } from "@/lib/cases/cases";
import { addCredit } from "@/lib/credit/ledger";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { emitBusinessEvent } from "@/lib/integrations/business-events";
import { notify } from "@/lib/notify/notify";
import { queueRefund } from "@/lib/payments/refunds";
import { recordStep, type TrailActor } from "@/lib/trail/server";
import { recordedStep } from "@/lib/trail/store";
import { NEW_ORDER_NUMBER_LOCK, orderNumberAfter } from "./order-number";
import { decideProblem, PROBLEM_KINDS, PROBLEM_RULES, type ProblemDecision, type ProblemKind, type ProblemResolution } from "./problem-policy";

type Tx = Prisma.TransactionClient;

export const problemSelectionSchema = z.object({
  kind: z.enum(PROBLEM_KINDS, { message: "Choose what went wrong." }),
  lineIds: z.array(z.string().min(1).max(40)).max(200).default([]),
});

export const problemResolutionSchema = problemSelectionSchema.extend({
  // Absent when the policy hands the problem to a person.
  resolution: z.enum(["RESHIP", "REFUND", "STORE_CREDIT"], { message: "Choose how we should put it right." }).optional(),
});

type OrderWithLines = Prisma.OrderGetPayload<{ include: { lines: true; shipments: true } }>;

function affectedValue(order: OrderWithLines, kind: ProblemKind, lineIds: string[]): number {
  const lines = kind === "not_received" ? order.lines : order.lines.filter((l) => lineIds.includes(l.id));
  return lines.reduce((sum, l) => {
    const kept = l.quantity - l.cancelledQuantity - l.returnedQuantity;
    return sum + kept * l.unitPriceMinor + Math.round((l.taxMinor * kept) / l.quantity);
  }, 0);
}

async function reportsInWindow(db: Db | Tx, userId: string, now: Date) {
  return db.trailEvent.count({
    where: {
      journeyType: "problem_report",
      step: "resolution",
      kind: "COMPLETED",
      occurredAt: { gte: new Date(now.getTime() - PROBLEM_RULES.reportWindowDays * 86_400_000) },
      journey: { userId },
    },
  });
}

/** Shown on the page and after a submit that lost the race to another one. */
export const ALREADY_REPORTED = "A problem with this order has already been reported and dealt with: see the order and your help requests. If something else is wrong, talk to a person.";

/** What an earlier report on this order left behind: a refund, credit, replacement order or case of its own. */
async function alreadyReported(db: Db | Tx, order: OrderWithLines): Promise<boolean> {
  const ours = { startsWith: "problem_" };
  return (
    (await db.refund.count({ where: { orderId: order.id, reason: ours } })) +
      (await db.storeCreditEntry.count({ where: { orderId: order.id, reason: ours } })) +
      (await db.case.count({ where: { orderId: order.id, reason: ours } })) +
      (await db.orderStatusChange.count({ where: { actor: `replacement:${order.number}` } })) >
    0
  );
}

async function decide(db: Db | Tx, order: OrderWithLines, userId: string, kind: ProblemKind, lineIds: string[], now: Date): Promise<ProblemDecision> {
  const delivered = order.shipments.find((s) => s.deliveredAt)?.deliveredAt ?? null;
  return decideProblem({
    kind,
    orderStatus: order.status,
    promisedDeliveryAt: order.promisedDeliveryAt,
    deliveredAt: delivered,
    affectedMinor: affectedValue(order, kind, lineIds),
    reportsInWindow: await reportsInWindow(db, userId, now),
    alreadyReported: await alreadyReported(db, order),
    now,
  });
}

/** For the page: what the policy allows for this problem, before anything is changed. */
export async function assessProblem(db: Db, userId: string, orderNumber: string, selection: z.infer<typeof problemSelectionSchema>, now = new Date()) {
  const order = await db.order.findFirst({ where: { number: orderNumber, userId }, include: { lines: true, shipments: true } });
  if (!order) return null;
  return decide(db, order, userId, selection.kind, selection.lineIds, now);
}

export type ProblemOutcome =
  | { ok: true; applied: "RESHIP" | "REFUND" | "STORE_CREDIT"; amountMinor: number; replacementOrderNumber?: string; replayed?: boolean }
  | { ok: true; applied: "AGENT_CASE"; caseNumber: string; replayed?: boolean }
  | { ok: false; code: string };

async function nextOrderNumber(tx: Tx): Promise<string> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${NEW_ORDER_NUMBER_LOCK})`;
  const [row] = await tx.$queryRaw<{ max: string | null }[]>`SELECT max("number") AS max FROM "Order" WHERE "number" ~ '^WM-[0-9]{6}$'`;
  return orderNumberAfter(row?.max ?? null);
}

export async function resolveProblem(
  db: Db,
  input: { userId: string; orderNumber: string; request: z.infer<typeof problemResolutionSchema>; journeyId: string; actor: TrailActor; now?: Date },
): Promise<ProblemOutcome> {
  const now = input.now ?? new Date();
  const { kind, lineIds, resolution } = input.request;
  return db.$transaction(async (tx) => {
    const found = await tx.order.findFirst({ where: { number: input.orderNumber, userId: input.userId }, select: { id: true } });
    if (!found) return { ok: false, code: "order_not_found" };
    await tx.$executeRaw`SELECT 1 FROM "Order" WHERE "id" = ${found.id} FOR UPDATE`;
    const previous = await recordedStep(tx, input.userId, input.journeyId, { journeyType: "problem_report", step: "resolution", kind: "COMPLETED" });
    if (previous) {
      const applied = String((previous.properties as { resolution?: string }).resolution ?? "REFUND");
      return applied === "AGENT_CASE" ? { ok: true, applied: "AGENT_CASE", caseNumber: String((previous.properties as { case_number?: string }).case_number ?? ""), replayed: true } : { ok: true, applied: applied as "REFUND", amountMinor: 0, replayed: true };
    }
    const order = await tx.order.findUniqueOrThrow({ where: { id: found.id }, include: { lines: true, shipments: true } });
    const foreignLine = lineIds.find((id) => !order.lines.some((l) => l.id === id));
    if (foreignLine) return fail(tx, input, "invalid_line");
    const decision = await decide(tx, order, input.userId, kind, lineIds, now);
    const step = (properties: Record<string, string | number | boolean>) =>
      recordStep(tx, input.actor, { journeyId: input.journeyId, type: "problem_report", step: "resolution", action: "completed", properties: { problem: kind, ...properties } });
    // One report is one journey: a replayed submit returns above, so the journey keys the message.
    // Store credit is told here, with the new balance, not in a message of its own (addCredit).
    const tell = (resolution: "RESHIP" | "REFUND" | "STORE_CREDIT", amountMinor: number, more: { replacementOrderNumber?: string; balanceMinor?: number } = {}) =>
      notify(tx, {
        type: "problem_resolved",
        userId: input.userId,
        eventKey: `problem:${order.id}:${input.journeyId}`,
        data: { orderNumber: order.number, resolution, amountMinor, currency: order.currency, replacementOrderNumber: more.replacementOrderNumber ?? null, balanceMinor: more.balanceMinor },
      });

    if (decision.kind === "refused") return fail(tx, input, decision.code);
    if (decision.kind === "agent") {
      const { number: caseNumber } = await openCase(db, { userId: input.userId, channel: "PORTAL", reason: `problem_report:${kind}:${decision.code}`, journeyId: input.journeyId, orderId: order.id, now }, tx);
      await step({ resolution: "AGENT_CASE", case_number: caseNumber, reason_code: decision.code });
      return { ok: true, applied: "AGENT_CASE", caseNumber };
    }
    if (!resolution || !decision.resolutions.includes(resolution)) return fail(tx, input, "resolution_not_allowed");

    if (resolution === "REFUND") {
      const refundMinor = Math.min(decision.amountMinor, order.paidMinor - order.refundedMinor);
      await queueRefund(tx, { orderId: order.id, amountMinor: refundMinor, reason: `problem_${kind}`, idempotencyKey: `problem:${order.id}:${input.journeyId}` });
      await tell(resolution, refundMinor);
      await step({ resolution });
      return { ok: true, applied: resolution, amountMinor: decision.amountMinor };
    }
    if (resolution === "STORE_CREDIT") {
      const amount = decision.amountMinor + decision.creditBonusMinor;
      const { balanceMinor } = await addCredit(tx, { userId: input.userId, amountMinor: amount, currency: order.currency, reason: `problem_${kind}`, orderId: order.id });
      await emitBusinessEvent(tx, "credit.granted", { orderNumber: order.number, amountMinor: amount, currency: order.currency }, now);
      await tell(resolution, amount, { balanceMinor });
      await step({ resolution });
      return { ok: true, applied: resolution, amountMinor: amount };
    }
    const replacementOrderNumber = await reship(tx, order, kind, lineIds, now);
    await tell("RESHIP", decision.amountMinor, { replacementOrderNumber });
    await step({ resolution });
    return { ok: true, applied: "RESHIP", amountMinor: decision.amountMinor, replacementOrderNumber };
  });
}

export type ProblemAnswer = { resolved: ProblemResolution | "AGENT_CASE"; caseNumber?: string; replacement?: string };

/**
 * The answer to a problem report on one of the customer's orders, as its address names it, when the
 * order has that outcome on record; null otherwise. The address is anyone's to write: it thanked the
 * customer for a report never made ("your refund is on its way"), and named as the case or the
 * replacement order whatever text it carried (found by the live walk). A case or a replacement is
 * named only when it is one of this order's.
 */
export async function problemAnswerOnRecord(
  db: Db,
  input: { order: { id: string; number: string; userId: string | null }; resolved: string; caseNumber?: string; replacement?: string },
): Promise<ProblemAnswer | null> {
  const { order } = input;
  // Every problem's refund and credit give its kind as their reason (problem_damaged, …), its case problem_report:….
  const fromAProblem = { startsWith: "problem_" };
  switch (input.resolved) {
    case "REFUND":
      return (await db.refund.findFirst({ where: { orderId: order.id, reason: fromAProblem }, select: { id: true } })) ? { resolved: "REFUND" } : null;
    case "STORE_CREDIT":
      return (await db.storeCreditEntry.findFirst({ where: { orderId: order.id, reason: fromAProblem }, select: { id: true } })) ? { resolved: "STORE_CREDIT" } : null;
    case "RESHIP": {
      const replacements = await db.order.findMany({ where: { userId: order.userId, history: { some: { actor: `replacement:${order.number}` } } }, select: { number: true } });
      if (replacements.length === 0) return null;
      return { resolved: "RESHIP", replacement: replacements.find((r) => r.number === input.replacement)?.number };
    }
    case "AGENT_CASE": {
      const cases = await db.case.findMany({ where: { orderId: order.id, userId: order.userId, reason: { startsWith: "problem_report:" } }, select: { number: true } });
      if (cases.length === 0) return null;
      return { resolved: "AGENT_CASE", caseNumber: cases.find((c) => c.number === input.caseNumber)?.number };
    }
    default:
      return null;
  }
}

async function fail(tx: Tx, input: { actor: TrailActor; journeyId: string }, code: string): Promise<ProblemOutcome> {
  await recordStep(tx, input.actor, { journeyId: input.journeyId, type: "problem_report", step: "problem", action: "failed", errorCode: code });
  return { ok: false, code };
}

/** A free replacement order for the affected items, prepared like any other order. */
async function reship(tx: Tx, order: OrderWithLines, kind: ProblemKind, lineIds: string[], now: Date): Promise<string> {
  const lines = (kind === "not_received" ? order.lines : order.lines.filter((l) => lineIds.includes(l.id))).filter((l) => l.quantity - l.cancelledQuantity - l.returnedQuantity > 0);
  const number = await nextOrderNumber(tx);
  await tx.order.create({
    data: {
      number,
      userId: order.userId,
      status: "PROCESSING",
      paymentStatus: "PAID",
      currency: order.currency,
      subtotalMinor: 0,
      shippingMinor: 0,
      taxMinor: 0,
      totalMinor: 0,
      paidMinor: 0,
      shippingAddress: order.shippingAddress as Prisma.InputJsonValue,
      placedAt: now,
      promisedDeliveryAt: new Date(now.getTime() + 3 * 86_400_000),
      lines: {
        create: lines.map((l) => ({ variantId: l.variantId, productName: l.productName, sku: l.sku, category: l.category, quantity: l.quantity - l.cancelledQuantity - l.returnedQuantity, unitPriceMinor: 0, taxMinor: 0 })),
      },
      history: { create: { from: null, to: "PROCESSING", at: now, actor: `replacement:${order.number}` } },
    },
  });
  return number;
}
