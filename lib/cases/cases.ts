// Cases: moments handed to a person. Whatever the channel (the portal's "talk to a person", a
// policy that needs a human, a logged call, chat, email or social message), every case joins one
// queue, ordered by the customer's risk score and how long they have waited.
import crypto from "node:crypto";
import { z } from "zod";
import type { Charge } from "@/lib/auth/rate-limit";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { riskNow } from "@/lib/experience/models";
import { emitBusinessEvent } from "@/lib/integrations/business-events";
import { notify } from "@/lib/notify/notify";
import { orderBilling } from "@/lib/orders/billing";
import { feeCanBeWaived } from "@/lib/returns/status";
import { caseNumberFrom } from "./case-number";
import { caseHistory } from "./history";
import { jointSubject, sameSubject, type CaseSubject } from "./subject";
import { isCaseOpen, type RuleSetAside } from "./labels";
import { storePendingSteps } from "@/lib/trail/store";

type Tx = Prisma.TransactionClient;
export type CaseChannel = "PORTAL" | "PHONE" | "CHAT" | "EMAIL" | "SOCIAL";

/**
 * Where a case number's bytes come from: crypto's, so a customer cannot guess another's case from
 * their own. The demo seed gives its own, drawn from the seed, so the same seed numbers the same cases.
 */
export type CaseNumberBytes = (size: number) => Buffer;

export function newCaseNumber(randomBytes: CaseNumberBytes = crypto.randomBytes): string {
  return `CS-${randomBytes(4).toString("hex").toUpperCase()}`;
}

/** Waiting raises priority by one point per 10 minutes, up to 40, so a calm customer is not left behind forever. */
export function queuePriority(riskScore: number | null, waitingMinutes: number): number {
  return (riskScore ?? 0) + Math.min(40, Math.floor(waitingMinutes / 10));
}

// Every case reaches a person's queue: one account or one client cannot fill it.
export const contactCharges = (userId: string) => (client: string) => [["contact:account", userId], ["contact:client", client]] as const satisfies Charge[];

/**
 * The attempt a case is opened on, when it is the customer's own or not stored yet (the request
 * opening the case starts it): an id a form carried naming anyone else's attempt puts their steps
 * in front of the agent as this customer's, and counts the case as a follow-up of their attempt.
 */
async function ownAttempt(db: Db | Tx, userId: string, journeyId: string): Promise<string | null> {
  // An attempt whose first steps are still on their way into the trail is someone's already.
  await storePendingSteps(db, journeyId);
  const stored = await db.journey.findUnique({ where: { id: journeyId }, select: { userId: true } });
  return !stored || stored.userId === userId ? journeyId : null;
}

export async function openCase(
  db: Db,
  input: { userId: string; channel: CaseChannel; reason: string; journeyId?: string | null; orderId?: string | null; returnId?: string | null; callbackPhone?: string; now?: Date; numberBytes?: CaseNumberBytes },
  tx?: Tx,
) {
  const now = input.now ?? new Date();
  input = { ...input, journeyId: input.journeyId ? await ownAttempt(tx ?? db, input.userId, input.journeyId) : null };
  // In the caller's transaction when there is one: it may hold a row lock many submits wait on,
  // each holding a pooled connection, and a second connection asked for here could never come.
  const risk = await riskNow(tx ?? db, input.userId, input.journeyId, now);
  const write = async (t: Tx) => {
    // One exit, one case: asking again from the same attempt (a second click, a reload, help in
    // place and "talk to a person" both accepted, a call logged against it) joins the case waiting.
    // Without an attempt, the same request again (a second chat about the same thing) joins the
    // case waiting for it.
    const same = input.journeyId ? { journeyId: input.journeyId } : { journeyId: null, channel: input.channel, reason: input.reason.slice(0, 200) };
    const subject = { orderId: input.orderId ?? null, returnId: input.returnId ?? null };
    const waiting =
      (await t.case.findFirst({ where: { userId: input.userId, ...same, ...subject, status: { in: ["OPEN", "IN_PROGRESS"] } }, orderBy: { createdAt: "desc" } })) ??
      (input.journeyId ? await acceptedOfferCase(t, input.userId, input.journeyId, subject) : null);
    if (waiting) {
      // A call back asked for on a case already waiting: the agent calls the number given now. A
      // request that knows more of what the moment is about (the return as well as its order)
      // says so on the case.
      const callback = input.callbackPhone && waiting.callbackPhone !== input.callbackPhone ? { callbackPhone: input.callbackPhone } : {};
      const about = jointSubject(waiting, subject);
      const changed = "callbackPhone" in callback || about.orderId !== waiting.orderId || about.returnId !== waiting.returnId;
      return { ...(changed ? await t.case.update({ where: { id: waiting.id }, data: { ...callback, ...about } }) : waiting), joined: true };
    }
    const opened = await t.case.create({
      data: {
        number: newCaseNumber(input.numberBytes),
        userId: input.userId,
        channel: input.channel,
        reason: input.reason.slice(0, 200),
        journeyId: input.journeyId ?? null,
        orderId: input.orderId ?? null,
        returnId: input.returnId ?? null,
        callbackPhone: input.callbackPhone ?? null,
        riskScore: risk.score,
        riskFactors: risk.factors,
        createdAt: now,
      },
    });
    await emitBusinessEvent(t, "case.opened", { caseNumber: opened.number, channel: input.channel, reason: input.reason.slice(0, 100) }, now);
    return { ...opened, joined: false };
  };
  return tx ? write(tx) : db.$transaction(write);
}

/**
 * The case a customer accepted an agent's offer of help in, on this attempt, while it waits: asking
 * for a person afterwards from the same attempt is the same moment (they are already waiting for
 * one), whatever the two requests knew of the page. Not when they name different orders or returns:
 * those are two things to sort out, each with its case.
 */
async function acceptedOfferCase(t: Tx, userId: string, journeyId: string, subject: CaseSubject) {
  const accepted = await t.case.findFirst({
    where: { userId, journeyId, status: { in: ["OPEN", "IN_PROGRESS"] }, reachOuts: { some: { journeyId, status: "ACCEPTED" } } },
    orderBy: { createdAt: "desc" },
  });
  return accepted && sameSubject(accepted, subject) ? accepted : null;
}

export async function caseQueue(db: Db, now = new Date()) {
  const cases = await db.case.findMany({
    where: { status: { in: ["OPEN", "IN_PROGRESS"] } },
    include: { user: { select: { name: true, analyticsId: true } }, assignedTo: { select: { name: true } } },
    take: 200,
  });
  return cases
    .map((c) => {
      const waitingMinutes = Math.max(0, Math.round((now.getTime() - c.createdAt.getTime()) / 60_000));
      return { ...c, waitingMinutes, priority: queuePriority(c.riskScore, waitingMinutes) };
    })
    .sort((a, b) => b.priority - a.priority || a.createdAt.getTime() - b.createdAt.getTime());
}

/** The case a number an agent was given names (however it was typed, open or closed); null when there is none. */
export async function findCaseNumber(db: Db, typed: string): Promise<string | null> {
  const number = caseNumberFrom(typed);
  return number ? ((await db.case.findUnique({ where: { number }, select: { number: true } }))?.number ?? null) : null;
}

export async function caseDetail(db: Db, number: string) {
  const found = await db.case.findUnique({
    where: { number },
    include: {
      user: { select: { id: true, name: true, email: true, analyticsId: true, createdAt: true } },
      assignedTo: { select: { name: true } },
      reachOuts: { select: { status: true, answeredAt: true } },
    },
  });
  if (!found) return null;
  const userId = found.user?.id;
  const billing = { subtotalMinor: true, shippingMinor: true, taxMinor: true, totalMinor: true, lines: { select: { id: true, quantity: true, cancelledQuantity: true, unitPriceMinor: true, taxMinor: true } } } as const;
  const orderSelect = { id: true, number: true, status: true, placedAt: true, currency: true, balanceDueMinor: true, ...billing } as const;
  const [journey, otherJourneys, latestOrders, caseOrder, returns, caseReturn, contacts, overrides] = await Promise.all([
    found.journeyId ? db.journey.findUnique({ where: { id: found.journeyId }, include: { events: { orderBy: { occurredAt: "asc" } } } }) : null,
    userId ? db.journey.findMany({ where: { userId, ...(found.journeyId ? { id: { not: found.journeyId } } : {}) }, orderBy: { lastActivityAt: "desc" }, take: 5 }) : [],
    userId ? db.order.findMany({ where: { userId }, orderBy: { placedAt: "desc" }, take: 10, select: orderSelect }) : [],
    // The order the case is about, however many the customer placed since.
    found.orderId ? db.order.findUnique({ where: { id: found.orderId }, select: orderSelect }) : null,
    userId
      ? db.return.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, take: 10, select: { id: true, number: true, status: true, createdAt: true, refundMinor: true, currency: true, order: { select: { number: true } } } })
      : [],
    // The return the case is about, however many the customer made since.
    found.returnId ? db.return.findUnique({ where: { id: found.returnId }, select: { number: true, status: true, feeMinor: true, currency: true } }) : null,
    userId ? db.contact.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, take: 10 }) : [],
    rulesSetAside(db, found, userId),
  ]);
  // The return this case was opened to check, while it waits for the agent's decision.
  const returnToReview = caseReturn?.status === "HELD_FOR_REVIEW" ? caseReturn.number : null;
  // The fee the return the case is about still carries, while it can be waived (waiveReturnFee).
  const feeToWaive = caseReturn && caseReturn.feeMinor > 0 && feeCanBeWaived(caseReturn.status) ? { returnNumber: caseReturn.number, feeMinor: caseReturn.feeMinor, currency: caseReturn.currency } : null;
  // An older order the case is about is listed too, so the agent's forms can act on it.
  const listed = caseOrder && !latestOrders.some((o) => o.id === caseOrder.id) ? [...latestOrders, caseOrder] : latestOrders;
  // Each total as the customer's order page and list say it, cancelled items taken off.
  const orders = listed.map(({ id, number, status, placedAt, currency, balanceDueMinor, ...billed }) => ({ id, number, status, placedAt, currency, balanceDueMinor, totalMinor: orderBilling({ status, ...billed }).totalMinor }));
  const about = { orderNumber: caseOrder?.number ?? null, returnNumber: caseReturn?.number ?? null };
  return { case: found, history: caseHistory(found.reachOuts), journey, otherJourneys, orders, about, returns, returnToReview, feeToWaive, contacts, overrides };
}

/**
 * Every rule set aside for this customer's orders and returns, whichever case it was set aside
 * from (an agent at a case about a task sets aside a rule of an order the case does not name);
 * for a case with no customer, those of its own order and return.
 */
async function rulesSetAside(db: Db, found: { orderId: string | null; returnId: string | null }, userId: string | undefined): Promise<(RuleSetAside & { id: string; justification: string; createdAt: Date })[]> {
  const own = [{ returnId: found.returnId ?? "-" }, { orderId: found.orderId ?? "-" }];
  const customers = userId ? [{ return: { userId } }, { orderId: { in: (await db.order.findMany({ where: { userId }, select: { id: true } })).map((o) => o.id) } }] : [];
  const overrides = await db.policyOverride.findMany({ where: { OR: [...own, ...customers] }, orderBy: { createdAt: "desc" }, include: { return: { select: { number: true } } } });
  // The order and the agent are kept by id only (an order's override exists before its return does).
  const [orders, agents] = await Promise.all([
    db.order.findMany({ where: { id: { in: overrides.flatMap((o) => (o.orderId ? [o.orderId] : [])) } }, select: { id: true, number: true } }),
    db.user.findMany({ where: { id: { in: overrides.map((o) => o.agentId) } }, select: { id: true, name: true } }),
  ]);
  const orderNumber = new Map(orders.map((o) => [o.id, o.number]));
  const agentName = new Map(agents.map((a) => [a.id, a.name]));
  return overrides.map((o) => ({
    id: o.id,
    rule: o.rule,
    justification: o.justification,
    createdAt: o.createdAt,
    orderNumber: o.orderId ? (orderNumber.get(o.orderId) ?? null) : null,
    returnNumber: o.return?.number ?? null,
    agentName: agentName.get(o.agentId) ?? null,
  }));
}

export const closeCaseSchema = z.object({
  outcome: z.string().trim().min(5, "Say in a sentence what was done for the customer.").max(500, "Keep the outcome under 500 characters."),
});

/** Closes the case and tells the customer, by their preferred channel, what was done. */
export async function resolveCase(db: Db, input: { number: string; agentId: string; outcome: string; now?: Date }) {
  const now = input.now ?? new Date();
  return db.$transaction(async (tx) => {
    const found = await tx.case.findUnique({ where: { number: input.number } });
    if (!found) return { ok: false as const, code: "case_not_found" as const };
    if (!isCaseOpen(found.status)) return { ok: false as const, code: "case_already_closed" as const };
    await closeCase(tx, found.id, { outcome: "resolved_by_agent", outcomeText: input.outcome, agentId: input.agentId, now });
    if (found.userId) {
      await notify(tx, { type: "case_resolved", userId: found.userId, eventKey: `case:${found.id}:resolved:${now.toISOString()}`, data: { caseNumber: found.number, outcome: input.outcome } });
    }
    return { ok: true as const };
  });
}

/**
 * How a case ends, as the back office hears it (`case.closed`'s `outcome`), and the status it ends
 * in: resolved when someone decided, closed when it was no longer needed.
 */
export const CASE_OUTCOMES = {
  resolved_by_agent: "RESOLVED",
  return_approved: "RESOLVED",
  return_declined: "RESOLVED",
  return_cancelled: "CLOSED",
  offer_declined: "CLOSED",
} as const satisfies Record<string, "RESOLVED" | "CLOSED">;

export type CaseOutcome = keyof typeof CASE_OUTCOMES;

/** `outcomeText`: what the case shows as its outcome, to the agents and the customer. */
type Closing = { outcome: CaseOutcome; outcomeText: string; agentId?: string; now: Date };

/** Ends a case, however it ends: the outcome is kept on it and the back office hears how it closed. */
export async function closeCase(tx: Tx, caseId: string, closing: Closing) {
  const closed = await tx.case.update({
    where: { id: caseId },
    data: { status: CASE_OUTCOMES[closing.outcome], outcome: closing.outcomeText, closedAt: closing.now, ...(closing.agentId ? { assignedToId: closing.agentId } : {}) },
  });
  await emitBusinessEvent(tx, "case.closed", { caseNumber: closed.number, outcome: closing.outcome }, closing.now);
}

/**
 * Ends the cases still waiting on a return once it no longer needs anyone (decided after its review,
 * cancelled by the customer). The return's own message tells the customer, not a case's.
 */
export async function closeCasesOfReturn(tx: Tx, returnId: string, closing: Closing) {
  const waiting = await tx.case.findMany({ where: { returnId, status: { in: ["OPEN", "IN_PROGRESS"] } }, select: { id: true } });
  for (const { id } of waiting) await closeCase(tx, id, closing);
}

export async function customerCases(db: Db, userId: string) {
  return db.case.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, take: 50, select: { number: true, status: true, reason: true, channel: true, outcome: true, createdAt: true, closedAt: true } });
}
