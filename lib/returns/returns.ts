// A customer's returns: what each order line allows (the policy's verdict on facts read from the
// database), submitting a return, cancelling one, and the read models of the pages. Every query is
// scoped to the customer; the verdict is always recomputed on the server under the order's lock.
import "server-only";
import { z } from "zod";
import { closeCasesOfReturn } from "@/lib/cases/cases";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { emitBusinessEvent } from "@/lib/integrations/business-events";
import { notify } from "@/lib/notify/notify";
import { recordStep, type TrailActor } from "@/lib/trail/server";
import { queueCallOff, queueLabel, senderAddress } from "./labels";
import { lockReturn, moveReturn, openReviewCase, queueReturnRefund, releaseExchangeStock } from "./lifecycle";
import { ownsPhoto, PHOTO_TOKEN, photoPath } from "./photos";
import {
  evaluateLine,
  METHODS,
  moneyArrival,
  offeredMethods,
  quoteReturn,
  RESOLUTIONS,
  RETURN_REASONS,
  type CustomerFacts,
  type LineEligibility,
  type LineFacts,
  type Method,
  type OrderFacts,
  type Policy,
  type QuoteProblemCode,
} from "./policy";
import { activePolicy } from "./policy-store";
import { cameAfterCancellationByLine, isCancellable, OPEN_STATUSES, sendBackBy, type ReturnStatus } from "./status";

type Tx = Prisma.TransactionClient;

const DAY_MS = 86_400_000;
// Returns that never moved money do not count against what is left to refund.
const VOID_STATUSES: ReturnStatus[] = ["CANCELLED", "DECLINED"];

const ORDER_FOR_RETURN = {
  lines: {
    orderBy: { id: "asc" },
    include: { variant: { select: { label: true, productId: true, product: { select: { finalSale: true, hygiene: true, variants: { select: { id: true, label: true, stock: true, reserved: true }, orderBy: { sku: "asc" } } } } } } },
  },
  shipments: { select: { deliveredAt: true } },
  history: { where: { to: "DELIVERED" }, select: { at: true } },
  returns: {
    orderBy: { createdAt: "asc" },
    select: {
      number: true,
      status: true,
      resolution: true,
      refundMinor: true,
      carrierCode: true,
      lines: { select: { orderLineId: true, quantity: true } },
      // What became of a cancelled return's parcel (cancelledParcel): nothing else is read.
      history: { where: { from: "CANCELLED", to: "CANCELLED" }, select: { from: true, to: true, actor: true, note: true } },
    },
  },
  refunds: { where: { returnId: null, status: { in: ["PENDING", "SUCCEEDED"] } }, select: { amountMinor: true } },
} satisfies Prisma.OrderInclude;

type OrderForReturn = Prisma.OrderGetPayload<{ include: typeof ORDER_FOR_RETURN }>;

export type ReturnContext = {
  orderId: string;
  policy: Policy;
  order: OrderFacts;
  lines: LineFacts[];
  eligibility: LineEligibility[];
  customer: CustomerFacts;
  /** Rules an agent set aside for the next return of this order. */
  waivers: string[];
  methods: Method[];
};

function deliveredAtOf(order: OrderForReturn): Date | null {
  const times = [...order.shipments.map((s) => s.deliveredAt), ...order.history.map((h) => h.at)].filter((d): d is Date => d !== null);
  return order.status === "DELIVERED" && times.length ? new Date(Math.min(...times.map((d) => d.getTime()))) : null;
}

function buildContext(order: OrderForReturn, policy: Policy, customer: CustomerFacts, waivers: string[], otherCredits: number, now: Date): ReturnContext {
  const live = order.returns.filter((r) => !VOID_STATUSES.includes(r.status));
  const inOpenReturns = new Map<string, number>();
  for (const r of live.filter((r) => OPEN_STATUSES.includes(r.status))) {
    for (const l of r.lines) inOpenReturns.set(l.orderLineId, (inOpenReturns.get(l.orderLineId) ?? 0) + l.quantity);
  }
  const cameAfterCancellation = cameAfterCancellationByLine(order.returns);
  const committed = order.refunds.reduce((s, r) => s + r.amountMinor, 0) + live.filter((r) => r.resolution !== "EXCHANGE").reduce((s, r) => s + r.refundMinor, 0) + otherCredits;
  const facts: OrderFacts = {
    number: order.number,
    status: order.status,
    deliveredAt: deliveredAtOf(order),
    country: senderAddress(order.shippingAddress).country,
    currency: order.currency,
    refundableMinor: Math.max(0, order.paidMinor - committed),
  };
  const lines: LineFacts[] = order.lines.map((l) => ({
    id: l.id,
    productName: l.productName,
    variantLabel: l.variant.label,
    category: l.category,
    finalSale: l.variant.product.finalSale,
    hygiene: l.variant.product.hygiene,
    quantity: l.quantity,
    cancelledQuantity: l.cancelledQuantity,
    returnedQuantity: l.returnedQuantity,
    inOpenReturns: inOpenReturns.get(l.id) ?? 0,
    cameAfterCancellation: cameAfterCancellation.get(l.id) ?? null,
    unitPriceMinor: l.unitPriceMinor,
    taxMinor: l.taxMinor,
    exchangeOptions: l.variant.product.variants.filter((v) => v.id !== l.variantId).map((v) => ({ variantId: v.id, label: v.label, available: Math.max(0, v.stock - v.reserved) })),
  }));
  const waived = new Set(waivers);
  return {
    orderId: order.id,
    policy,
    order: facts,
    lines,
    eligibility: lines.map((l) => evaluateLine(policy.rules, facts, l, now, waived)),
    customer,
    waivers,
    methods: offeredMethods(policy.rules, facts.country),
  };
}

async function recentReturns(tx: Tx, userId: string, policy: Policy, now: Date): Promise<number> {
  const since = new Date(now.getTime() - policy.rules.review.frequentReturns.withinDays * DAY_MS);
  return tx.return.count({ where: { userId, createdAt: { gte: since }, status: { not: "CANCELLED" } } });
}

/** Store credit given for an order other than through returns (e.g. a problem report). */
async function otherCreditsOf(tx: Tx, orderIds: string[]): Promise<Map<string, number>> {
  const rows = await tx.storeCreditEntry.groupBy({ by: ["orderId"], where: { orderId: { in: orderIds }, returnId: null, amountMinor: { gt: 0 } }, _sum: { amountMinor: true } });
  return new Map(rows.map((r) => [r.orderId!, r._sum.amountMinor ?? 0]));
}

async function waiversOf(tx: Tx, orderIds: string[]): Promise<Map<string, string[]>> {
  const rows = await tx.policyOverride.findMany({ where: { orderId: { in: orderIds }, returnId: null }, select: { orderId: true, rule: true } });
  const byOrder = new Map<string, string[]>();
  for (const r of rows) byOrder.set(r.orderId!, [...(byOrder.get(r.orderId!) ?? []), r.rule]);
  return byOrder;
}

/** What can be returned from one of the customer's orders, and on what terms; null when it is not theirs. */
export async function loadReturnContext(tx: Tx, userId: string, orderNumber: string, now = new Date()): Promise<ReturnContext | null> {
  const order = await tx.order.findFirst({ where: { number: orderNumber, userId }, include: ORDER_FOR_RETURN });
  if (!order) return null;
  const policy = await activePolicy(tx);
  // One after the other: inside a transaction the queries share one connection anyway.
  const recent = await recentReturns(tx, userId, policy, now);
  const credits = await otherCreditsOf(tx, [order.id]);
  const waivers = await waiversOf(tx, [order.id]);
  return buildContext(order, policy, { recentReturns: recent }, waivers.get(order.id) ?? [], credits.get(order.id) ?? 0, now);
}

/** Orders with at least one line the customer can return now, newest delivery first. */
export async function returnableOrders(db: Db, userId: string, now = new Date()) {
  const policy = await activePolicy(db);
  const longestWindow = Math.max(policy.rules.windowDays.default, ...Object.values(policy.rules.windowDays.byCategory));
  // A day of margin either side of the window covers every time zone; the policy decides exactly.
  const since = new Date(now.getTime() - (longestWindow + 2) * DAY_MS);
  // This customer's orders an agent opened for a return whatever their window (PolicyOverride has
  // no relation to Order to filter by, and every customer's waivers would otherwise be read).
  const waived = await db.$queryRaw<{ orderId: string }[]>`
    SELECT DISTINCT w."orderId" FROM "PolicyOverride" w JOIN "Order" o ON o."id" = w."orderId"
    WHERE w."returnId" IS NULL AND o."userId" = ${userId}`;
  const orders = await db.order.findMany({
    where: { userId, status: "DELIVERED", OR: [{ shipments: { some: { deliveredAt: { gte: since } } } }, { id: { in: waived.map((w) => w.orderId) } }] },
    include: ORDER_FOR_RETURN,
    take: 50,
  });
  const ids = orders.map((o) => o.id);
  const [recent, credits, waivers] = await Promise.all([recentReturns(db, userId, policy, now), otherCreditsOf(db, ids), waiversOf(db, ids)]);
  return orders
    .map((o) => buildContext(o, policy, { recentReturns: recent }, waivers.get(o.id) ?? [], credits.get(o.id) ?? 0, now))
    .filter((c) => c.eligibility.some((e) => e.returnable > 0))
    .sort((a, b) => (b.order.deliveredAt?.getTime() ?? 0) - (a.order.deliveredAt?.getTime() ?? 0));
}

// ---------------------------------------------------------------- submitting

export const returnLineSchema = z.object({
  lineId: z.string().min(1).max(40),
  quantity: z.number().int("Quantities are whole numbers.").min(1, "Choose at least one.").max(1000),
  reason: z.enum(RETURN_REASONS, { message: "Choose why you are returning it." }),
  note: z.string().trim().max(500, "Keep the note under 500 characters.").optional().transform((v) => v || null),
  photo: z.string().regex(PHOTO_TOKEN).nullish().transform((v) => v ?? null),
  exchangeVariantId: z.string().min(1).max(40).nullish().transform((v) => v ?? null),
});

export const returnSubmissionSchema = z.object({
  orderNumber: z.string().regex(/^WM-\d{6}$/),
  /** Generated by the return form once per attempt: a double click or a retried request creates one return. */
  idempotencyKey: z.uuid(),
  resolution: z.enum(RESOLUTIONS, { message: "Choose how you would like it settled." }),
  method: z.enum(METHODS, { message: "Choose how you will send it back." }),
  lines: z.array(returnLineSchema).min(1, "Choose at least one item to return.").max(50),
});

export type ReturnSubmission = z.infer<typeof returnSubmissionSchema>;

export type SubmitProblemCode = QuoteProblemCode | "order_not_found" | "photo_missing";

export type SubmitOutcome =
  | { ok: true; returnId: string; returnNumber: string; status: ReturnStatus; replayed: boolean }
  | { ok: false; step: "items" | "resolution" | "method"; code: SubmitProblemCode };

async function nextReturnNumber(tx: Tx): Promise<string> {
  // Serialises number allocation across concurrent submissions (a different key from order numbers).
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(7261002)`;
  const [row] = await tx.$queryRaw<{ max: string | null }[]>`SELECT max("number") AS max FROM "Return" WHERE "number" ~ '^RT-[0-9]{6}$'`;
  return `RT-${(row?.max ? Number(row.max.slice(3)) : 100_000) + 1}`;
}

export async function submitReturn(
  db: Db,
  input: { userId: string; request: ReturnSubmission; journeyId: string; actor: TrailActor; now?: Date },
): Promise<SubmitOutcome> {
  const now = input.now ?? new Date();
  const { request } = input;
  const idempotencyKey = `customer:${input.userId}:${request.idempotencyKey}`;

  return db.$transaction(async (tx) => {
    const refuse = async (step: "items" | "resolution" | "method", code: SubmitProblemCode): Promise<SubmitOutcome> => {
      await recordStep(tx, input.actor, { journeyId: input.journeyId, type: "return", step, action: "failed", errorCode: code });
      return { ok: false, step, code };
    };
    const order = await tx.order.findFirst({ where: { number: request.orderNumber, userId: input.userId }, select: { id: true } });
    if (!order) return refuse("items", "order_not_found");
    // One decision per order at a time: two tabs returning the same item cannot both succeed.
    await tx.$executeRaw`SELECT 1 FROM "Order" WHERE "id" = ${order.id} FOR UPDATE`;

    const previous = await tx.return.findUnique({ where: { idempotencyKey }, select: { id: true, number: true, status: true } });
    if (previous) return { ok: true, returnId: previous.id, returnNumber: previous.number, status: previous.status, replayed: true };

    // The exchange variants' stock is read under lock, so a reservation can never oversell.
    const lineIds = request.lines.map((l) => l.lineId);
    await tx.$executeRaw`
      SELECT 1 FROM "Variant" WHERE "productId" IN (
        SELECT v."productId" FROM "OrderLine" l JOIN "Variant" v ON v."id" = l."variantId" WHERE l."orderId" = ${order.id} AND l."id" = ANY(${lineIds}::text[]))
      ORDER BY "id" FOR UPDATE`;
    const context = (await loadReturnContext(tx, input.userId, request.orderNumber, now))!;

    const result = quoteReturn(context.policy.rules, {
      order: context.order,
      lines: context.lines,
      customer: context.customer,
      selection: request.lines,
      resolution: request.resolution,
      method: request.method,
      now,
      waived: new Set(context.waivers),
    });
    if (!result.ok) return refuse(result.step, result.code);
    for (const line of request.lines) {
      if (line.photo && !(await ownsPhoto(input.userId, line.photo))) return refuse("items", "photo_missing");
    }
    const { quote } = result;

    const number = await nextReturnNumber(tx);
    const held = quote.review.length > 0;
    const created = await tx.return.create({
      data: {
        number,
        orderId: order.id,
        userId: input.userId,
        status: held ? "HELD_FOR_REVIEW" : "APPROVED",
        resolution: request.resolution,
        method: request.method,
        policyVersion: context.policy.version,
        refundMinor: quote.refundMinor,
        feeMinor: quote.feeMinor,
        bonusMinor: quote.bonusMinor,
        currency: context.order.currency,
        idempotencyKey,
        createdAt: now,
        lines: {
          create: request.lines.map((l) => ({
            orderLineId: l.lineId,
            quantity: l.quantity,
            reason: l.reason,
            note: l.note,
            photoPath: l.photo ? photoPath(input.userId, l.photo) : null,
            exchangeVariantId: request.resolution === "EXCHANGE" ? l.exchangeVariantId : null,
          })),
        },
        history: {
          create: [
            { from: null, to: "REQUESTED", at: now, actor: "customer" },
            { from: "REQUESTED", to: held ? "HELD_FOR_REVIEW" : "APPROVED", at: now, actor: "system", note: held ? `Review: ${quote.review.join(", ")}` : null },
          ],
        },
      },
      select: { id: true, number: true, status: true },
    });
    if (request.resolution === "EXCHANGE") {
      for (const l of request.lines) await tx.variant.update({ where: { id: l.exchangeVariantId! }, data: { reserved: { increment: l.quantity } } });
    }
    // Overrides an agent granted for "the next return of this order" belong to this one now.
    if (context.waivers.length) await tx.policyOverride.updateMany({ where: { orderId: order.id, returnId: null }, data: { returnId: created.id } });
    if (held) {
      await openReviewCase(db, tx, { userId: input.userId, returnId: created.id, orderId: order.id, journeyId: input.journeyId, reasons: quote.review, now });
    } else {
      await queueLabel(tx, created.id, now);
      if (quote.instantRefund) {
        const locked = (await lockReturn(tx, { id: created.id }))!;
        await queueReturnRefund(tx, locked);
      }
    }
    await emitBusinessEvent(tx, "return.created", { returnNumber: number, orderNumber: request.orderNumber, resolution: request.resolution, method: request.method, held }, now);
    await notify(tx, {
      type: "return_submitted",
      userId: input.userId,
      eventKey: `return:${created.id}:submitted`,
      data: {
        returnNumber: number,
        orderNumber: request.orderNumber,
        method: request.method,
        held,
        nextSteps: moneyArrival(context.policy.rules, request.resolution, quote.instantRefund),
        sendBy: sendBackBy(now, context.policy.rules.sendBackWithinDays).toISOString(),
      },
    });
    await recordStep(tx, input.actor, { journeyId: input.journeyId, type: "return", step: "confirmation", action: "completed" });
    return { ok: true, returnId: created.id, returnNumber: created.number, status: created.status, replayed: false };
  });
}

// ---------------------------------------------------------------- cancelling

export type CancelProblemCode = "return_not_found" | "already_on_its_way" | "already_closed" | "refund_already_issued";
export type CancelOutcome = { ok: true } | { ok: false; code: CancelProblemCode };

export const CANCEL_PROBLEM_MESSAGE: Record<CancelProblemCode, string> = {
  return_not_found: "We could not find this return in your account.",
  already_on_its_way: "This return is already on its way to us (or with us), so it can no longer be cancelled. Once we receive it, it is settled as agreed.",
  already_closed: "This return is already closed, so there is nothing to cancel.",
  refund_already_issued: "Your refund has already been sent, so this return can no longer be cancelled. Please send the items back.",
};

/** Why a return cannot be cancelled any more, or null while it can. */
export function cancelRefusal(status: ReturnStatus, refundsIssued: number): Exclude<CancelProblemCode, "return_not_found"> | null {
  if (!isCancellable(status)) return OPEN_STATUSES.includes(status) ? "already_on_its_way" : "already_closed";
  return refundsIssued > 0 ? "refund_already_issued" : null;
}

export async function cancelReturn(db: Db, input: { userId: string; returnNumber: string; journeyId: string; actor: TrailActor; now?: Date }): Promise<CancelOutcome> {
  const now = input.now ?? new Date();
  return db.$transaction(async (tx) => {
    const refuse = async (code: CancelProblemCode): Promise<CancelOutcome> => {
      await recordStep(tx, input.actor, { journeyId: input.journeyId, type: "return_cancellation", step: "detail", action: "failed", errorCode: code });
      return { ok: false, code };
    };
    const owned = await tx.return.findFirst({ where: { number: input.returnNumber, userId: input.userId }, select: { id: true, method: true, order: { select: { number: true } } } });
    if (!owned) return refuse("return_not_found");
    const ret = (await lockReturn(tx, { id: owned.id }))!;
    if (ret.status === "CANCELLED") return { ok: true };
    // Refunded at once by the policy: the money is on its way, so the parcel must follow.
    const refusal = cancelRefusal(ret.status, await tx.refund.count({ where: { returnId: ret.id } }));
    if (refusal) return refuse(refusal);
    const change = { actor: "customer", at: now };
    // Approved, it has a booking with the carrier (or one on its way): the carrier calls it off.
    const booked = ret.status === "APPROVED";
    await moveReturn(tx, ret, "CANCELLED", change);
    if (booked) await queueCallOff(tx, ret.id, now);
    await releaseExchangeStock(tx, ret.id);
    // The back office calls off what it prepared for the parcel (a pickup booked with the carrier, a warehouse slot).
    await emitBusinessEvent(tx, "return.cancelled", { returnNumber: ret.number, orderNumber: owned.order.number, method: owned.method, cancelledBy: change.actor }, now);
    await closeCasesOfReturn(tx, ret.id, { outcome: "return_cancelled", outcomeText: "Return cancelled by the customer", now });
    // Told like an order's cancellation: the customer has it in writing that nothing is to be sent, and a cancel they did not make is noticed.
    await notify(tx, { type: "return_cancelled", userId: input.userId, eventKey: `return:${ret.id}:cancelled`, data: { returnNumber: ret.number, orderNumber: owned.order.number, method: owned.method } });
    await recordStep(tx, input.actor, { journeyId: input.journeyId, type: "return_cancellation", step: "confirmation", action: "completed" });
    return { ok: true };
  });
}

// ---------------------------------------------------------------- read models

export async function customerReturns(db: Db, userId: string) {
  const returns = await db.return.findMany({
    where: { userId },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: { number: true, status: true, resolution: true, refundMinor: true, bonusMinor: true, currency: true, createdAt: true, order: { select: { number: true } }, lines: { orderBy: { id: "asc" }, select: { quantity: true, orderLine: { select: { productName: true, category: true } } } } },
  });
  // Items as the customer sends them, as the return's page and "Start a return" count them: two
  // sweaters are 2 items (the list counted lines and said "1 item").
  return returns.map(({ lines, ...ret }) => ({ ...ret, itemCount: lines.reduce((sum, line) => sum + line.quantity, 0), firstItem: lines[0]?.orderLine ?? null }));
}

export async function customerReturn(db: Db, userId: string, number: string) {
  const ret = await db.return.findFirst({
    where: { number, userId },
    include: {
      order: { select: { number: true, shippingAddress: true } },
      lines: { orderBy: { id: "asc" }, include: { orderLine: { select: { productName: true, category: true, variant: { select: { label: true } } } } } },
      history: { orderBy: [{ at: "asc" }, { id: "asc" }] },
      overrides: { orderBy: { createdAt: "asc" }, select: { rule: true, createdAt: true } },
      refunds: { orderBy: { createdAt: "asc" }, select: { amountMinor: true, status: true, createdAt: true, settledAt: true } },
    },
  });
  if (!ret) return null;
  const exchangeIds = ret.lines.map((l) => l.exchangeVariantId).filter((id): id is string => id !== null);
  const exchangeLabels = new Map((await db.variant.findMany({ where: { id: { in: exchangeIds } }, select: { id: true, label: true } })).map((v) => [v.id, v.label]));
  return { ...ret, exchangeLabels };
}
