// What an agent can do for a customer from a case: the same domain code and policy as the portal,
// plus goodwill that sets a rule aside, always with a written justification on record.
import { z } from "zod";
import { addCredit } from "@/lib/credit/ledger";
import type { Db } from "@/lib/db/client";
import { emitBusinessEvent } from "@/lib/integrations/business-events";
import { queueRefund, RefundExceedsPaymentError } from "@/lib/payments/refunds";
import { isJourneyType } from "@/lib/trail/journeys";
import { recordOverride, type TrailActor } from "@/lib/trail/server";

export const goodwillSchema = z.object({
  orderNumber: z.string().regex(/^WM-\d{6}$/, "Choose one of the customer's orders."),
  kind: z.enum(["REFUND", "STORE_CREDIT"], { message: "Choose refund or store credit." }),
  amount: z.coerce.number({ message: "Enter an amount like 12.50." }).positive("The amount must be more than zero.").max(10_000, "Amounts above 10,000 need a manager."),
  justification: z.string().trim().min(15, "Explain in at least a sentence why the rule is set aside.").max(1000, "Keep the justification under 1,000 characters."),
});

export type GoodwillInput = z.infer<typeof goodwillSchema>;

/** The customer as the trail sees them when an agent acts on their behalf. */
export async function actorForCustomer(db: Db, userId: string): Promise<TrailActor | null> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, analyticsId: true, analyticsConsent: true } });
  return user ? { userId: user.id, distinctId: user.analyticsId, deviceClass: "DESKTOP", consent: user.analyticsConsent } : null;
}

/** A refund or store credit outside the policy, recorded as an override of the named rule. */
export async function grantGoodwill(db: Db, input: { caseNumber: string; agentId: string; request: GoodwillInput; now?: Date }) {
  const now = input.now ?? new Date();
  return db.$transaction(async (tx) => {
    const found = await tx.case.findUnique({ where: { number: input.caseNumber } });
    if (!found?.userId) return { ok: false as const, code: "case_not_found" as const };
    const order = await tx.order.findFirst({ where: { number: input.request.orderNumber, userId: found.userId } });
    if (!order) return { ok: false as const, code: "order_not_found" as const };
    const amountMinor = Math.round(input.request.amount * 100);
    const rule = input.request.kind === "REFUND" ? "goodwill_refund" : "goodwill_credit";
    const override = await tx.policyOverride.create({ data: { rule, orderId: order.id, agentId: input.agentId, justification: input.request.justification, createdAt: now } });
    // Shown in the customer's trail, on the task the case came from.
    const journey = found.journeyId ? await tx.journey.findUnique({ where: { id: found.journeyId } }) : null;
    const customer = await tx.user.findUniqueOrThrow({ where: { id: found.userId }, select: { analyticsId: true, analyticsConsent: true } });
    if (journey && isJourneyType(journey.type)) {
      const actor: TrailActor = { userId: found.userId, distinctId: customer.analyticsId, deviceClass: journey.deviceClass, consent: customer.analyticsConsent };
      await recordOverride(tx, actor, { journeyId: journey.id, type: journey.type, step: journey.lastStep, rule, overrideId: override.id });
    }
    if (input.request.kind === "REFUND") {
      try {
        await queueRefund(tx, { orderId: order.id, amountMinor, reason: `goodwill:${found.number}`, idempotencyKey: `goodwill:${found.id}:${order.id}:${amountMinor}` });
      } catch (e) {
        if (e instanceof RefundExceedsPaymentError) return { ok: false as const, code: "refund_exceeds_payment" as const, refundableMinor: e.refundableMinor };
        throw e;
      }
    } else {
      await addCredit(tx, { userId: found.userId, amountMinor, currency: order.currency, reason: `goodwill:${found.number}`, orderId: order.id });
      await emitBusinessEvent(tx, "credit.granted", { orderNumber: order.number, amountMinor, currency: order.currency, caseNumber: found.number }, now);
    }
    if (found.status === "OPEN") await tx.case.update({ where: { id: found.id }, data: { status: "IN_PROGRESS", assignedToId: input.agentId } });
    return { ok: true as const, amountMinor, currency: order.currency };
  });
}

export async function takeCase(db: Db, caseNumber: string, agentId: string) {
  const { count } = await db.case.updateMany({ where: { number: caseNumber, status: "OPEN" }, data: { status: "IN_PROGRESS", assignedToId: agentId } });
  return count === 1;
}
