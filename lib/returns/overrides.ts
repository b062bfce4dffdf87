// An agent setting one return policy rule aside for one return, with a written justification. A
// refusal (window closed, final sale, …) is set aside for the next return of an order, before it
// exists; a fee can also be waived on a return already made, and what it cost goes back to the
// customer. Who did it and why stay on record (PolicyOverride); the override shows on the return's
// timeline and, as an OVERRIDE event, in the customer's trail on the task it concerned.
import "server-only";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { addCredit } from "@/lib/credit/ledger";
import { notify } from "@/lib/notify/notify";
import type { MessageData } from "@/lib/notify/catalogue";
import { queueRefund } from "@/lib/payments/refunds";
import { isJourneyType } from "@/lib/trail/journeys";
import { explanationText } from "@/lib/http/input";
import { recordOverride } from "@/lib/trail/server";
import { lockReturn } from "./lifecycle";
import { feesFor, OVERRIDABLE_REFUSALS, type ReturnReason } from "./policy";
import { policyVersion } from "./policy-store";
import { feeCanBeWaived } from "./status";

/** An agent's written reason for setting a rule aside (goodwill, an override, a waived fee): at least a short sentence of letters. */
export const justificationSchema = explanationText(15, "Explain in at least a sentence why the rule is set aside.", 1000, "Keep the justification under 1,000 characters.");

export const overrideSchema = z.object({
  rule: z.string().regex(/^(fee:[a-z_]+|[a-z_]+)$/),
  justification: justificationSchema,
});

export type OverrideOutcome =
  | { ok: true; overrideId: string; refundedMinor: number }
  | { ok: false; code: "not_an_agent" | "order_not_found" | "return_not_found" | "rule_not_overridable" | "return_closed" | "already_overridden" | "no_fee" };

export const OVERRIDE_LABEL: Record<string, string> = {
  window_closed: "Return window extended",
  final_sale: "Final-sale item accepted",
  hygiene: "Hygiene item accepted",
  non_returnable_category: "Non-returnable item accepted",
  review: "Review skipped",
};

export function overrideLabel(rule: string): string {
  return OVERRIDE_LABEL[rule] ?? (rule.startsWith("fee:") ? "Fee waived" : "Policy exception");
}

async function isAgent(db: Db, agentId: string): Promise<boolean> {
  return (await db.user.count({ where: { id: agentId, role: "AGENT", status: "ACTIVE" } })) === 1;
}

/** Puts the override in the customer's trail, on the journey the agent is helping with (e.g. the case's). */
async function showInTrail(tx: Prisma.TransactionClient, input: { journeyId: string | null | undefined; userId: string | null; rule: string; overrideId: string }) {
  if (!input.journeyId || !input.userId) return;
  const journey = await tx.journey.findUnique({ where: { id: input.journeyId }, select: { id: true, type: true, lastStep: true, deviceClass: true, userId: true } });
  if (!journey || journey.userId !== input.userId || !isJourneyType(journey.type)) return;
  const customer = await tx.user.findUniqueOrThrow({ where: { id: input.userId }, select: { analyticsId: true, analyticsConsent: true } });
  await recordOverride(
    tx,
    { userId: input.userId, distinctId: customer.analyticsId, deviceClass: journey.deviceClass, consent: customer.analyticsConsent },
    { journeyId: journey.id, type: journey.type, step: journey.lastStep, rule: input.rule, overrideId: input.overrideId },
  );
}

type AgentRequest = {
  agentId: string;
  justification: string;
  now?: Date;
  /** The customer's journey the agent is helping with, e.g. the case's. */
  journeyId?: string | null;
  /** The case the agent acts from, when they do. */
  caseId?: string | null;
};

/** Sets a refusal (or review) aside for the next return the customer makes from this order. */
export async function overrideForNextReturn(db: Db, input: AgentRequest & { orderNumber: string; rule: string }): Promise<OverrideOutcome> {
  const parsed = overrideSchema.parse({ rule: input.rule, justification: input.justification });
  if (!(await isAgent(db, input.agentId))) return { ok: false, code: "not_an_agent" };
  if (!([...OVERRIDABLE_REFUSALS, "review"] as string[]).includes(parsed.rule)) return { ok: false, code: "rule_not_overridable" };
  const order = await db.order.findUnique({ where: { number: input.orderNumber }, select: { id: true, userId: true } });
  if (!order) return { ok: false, code: "order_not_found" };
  return db.$transaction(async (tx) => {
    // Set aside once until a return uses it: the same form sent twice (or by two agents at once, who
    // take turns on the order) finds the first, or the case and the insights counted it twenty times.
    await tx.$executeRaw`SELECT 1 FROM "Order" WHERE "id" = ${order.id} FOR UPDATE`;
    const waiting = await tx.policyOverride.findFirst({ where: { orderId: order.id, rule: parsed.rule, returnId: null }, select: { id: true } });
    if (waiting) return { ok: true, overrideId: waiting.id, refundedMinor: 0 } as const;
    const created = await tx.policyOverride.create({
      data: { rule: parsed.rule, orderId: order.id, caseId: input.caseId ?? null, agentId: input.agentId, justification: parsed.justification, createdAt: input.now ?? new Date() },
    });
    await showInTrail(tx, { journeyId: input.journeyId, userId: order.userId, rule: parsed.rule, overrideId: created.id });
    return { ok: true, overrideId: created.id, refundedMinor: 0 } as const;
  });
}

/**
 * Waives a fee of a return already made (`feeCode`), or every fee it still carries. Before the
 * parcel arrives only the amounts change; after, the waived fee goes back the way the return is
 * settled (card refund or store credit). Either way the customer is told, in one message.
 */
export async function waiveReturnFee(db: Db, input: AgentRequest & { returnNumber: string; feeCode?: string }): Promise<OverrideOutcome> {
  const justification = overrideSchema.shape.justification.parse(input.justification);
  if (!(await isAgent(db, input.agentId))) return { ok: false, code: "not_an_agent" };
  const now = input.now ?? new Date();
  return db.$transaction(async (tx) => {
    const ret = await lockReturn(tx, { number: input.returnNumber });
    if (!ret) return { ok: false, code: "return_not_found" } as const;
    const full = await tx.return.findUniqueOrThrow({
      where: { id: ret.id },
      select: { method: true, feeMinor: true, policyVersion: true, overrides: { select: { rule: true } }, lines: { select: { quantity: true, reason: true, orderLine: { select: { category: true, unitPriceMinor: true, taxMinor: true, quantity: true } } } } },
    });
    if (input.feeCode && full.overrides.some((o) => o.rule === `fee:${input.feeCode}`)) return { ok: false, code: "already_overridden" } as const;
    if (!feeCanBeWaived(ret.status)) return { ok: false, code: "return_closed" } as const;
    const { rules } = await policyVersion(tx, full.policyVersion);
    const feeRequest = { currency: ret.currency, resolution: ret.resolution, method: full.method, items: full.lines.map((l) => ({ line: l.orderLine, quantity: l.quantity, reason: l.reason as ReturnReason })) };
    const waivedBefore = new Set(full.overrides.map((o) => o.rule));
    const fees = feesFor(rules, feeRequest, waivedBefore).filter((f) => !input.feeCode || f.code === input.feeCode);
    if (input.feeCode && fees.length === 0) return { ok: false, code: "rule_not_overridable" } as const;
    if (fees.length === 0 || full.feeMinor <= 0) return { ok: false, code: "no_fee" } as const;

    const reviewCase = input.journeyId ? null : await tx.case.findFirst({ where: { returnId: ret.id }, select: { journeyId: true } });
    let overrideId = "";
    for (const fee of fees) {
      const rule = `fee:${fee.code}`;
      const override = await tx.policyOverride.create({ data: { rule, returnId: ret.id, orderId: ret.orderId, caseId: input.caseId ?? null, agentId: input.agentId, justification, createdAt: now } });
      await showInTrail(tx, { journeyId: input.journeyId ?? reviewCase?.journeyId, userId: ret.userId, rule, overrideId: override.id });
      overrideId ||= override.id;
    }
    const waivedMinor = Math.min(fees.reduce((sum, fee) => sum + fee.amountMinor, 0), full.feeMinor);
    await tx.return.update({ where: { id: ret.id }, data: { feeMinor: { decrement: waivedMinor }, refundMinor: { increment: waivedMinor } } });
    // The return's own refund or credit is already under way: the waived fee follows separately.
    const moneyMoved = ret.status !== "REQUESTED" && ret.status !== "HELD_FOR_REVIEW" && ret.status !== "APPROVED" && ret.status !== "IN_TRANSIT";
    const fee = { amountMinor: waivedMinor, currency: ret.currency };
    let told: MessageData<"return_fee_waived">["settled"] = { how: "later", refundMinor: ret.refundMinor + waivedMinor };
    if (moneyMoved && ret.resolution === "REFUND") {
      await queueRefund(tx, { orderId: ret.orderId, returnId: ret.id, amountMinor: waivedMinor, reason: "fee_waived", idempotencyKey: `return:${ret.id}:override:${overrideId}` });
      told = { how: "refund" };
    } else if (moneyMoved && ret.userId) {
      const { balanceMinor } = await addCredit(tx, { userId: ret.userId, amountMinor: waivedMinor, currency: ret.currency, reason: "fee_waived", returnId: ret.id, orderId: ret.orderId });
      told = { how: "credit", balanceMinor };
    }
    if (ret.userId) await notify(tx, { type: "return_fee_waived", userId: ret.userId, eventKey: `return:${ret.id}:override:${overrideId}`, data: { returnNumber: ret.number, resolution: ret.resolution, fee, settled: told } });
    return { ok: true, overrideId, refundedMinor: moneyMoved ? waivedMinor : 0 } as const;
  });
}
