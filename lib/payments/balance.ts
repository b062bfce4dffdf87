// Paying what is still due on an order (a declined first charge, a back-ordered line) on Stripe's
// hosted page or with the saved default card. Each attempt is a Payment row whose id comes from the
// form the customer submitted, and every Stripe call for it carries `balance:<orderId>:<paymentId>`:
// a double click or a retry replays the same Stripe request and never charges twice. The order only
// moves when Stripe's signed webhook confirms the money (settleBalancePayment).
import "server-only";
import type Stripe from "stripe";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { notify } from "@/lib/notify/notify";
import { recordStep, type TrailActor } from "@/lib/trail/server";
import { ensureStripeCustomer } from "./customers";
import { customerActor, journeyIdFromMetadata } from "./customer-trail";
import { findSavedCard } from "./payment-methods";
import { isRefusedStripeError, isTransientStripeError, stripeErrorCode } from "./stripe";
import { isUniqueViolation } from "@/lib/db/errors";

type Tx = Prisma.TransactionClient;

export const CHARGE_TOPIC = "stripe.charge";
export const BALANCE_PURPOSE = "balance_payment";
/** Set on a hosted-page attempt that was closed at Stripe because the customer started another one. */
export const CHECKOUT_CLOSED = "checkout_closed";
/** The inline attempt owns a fresh charge for this long before the outbox may retry it. */
const INLINE_GRACE_MS = 30_000;

export const chargePayloadSchema = z.object({
  paymentId: z.string().min(1),
  orderId: z.string().min(1),
  orderNumber: z.string().min(1),
  customerId: z.string().startsWith("cus_"),
  paymentMethodId: z.string().startsWith("pm_"),
  amountMinor: z.number().int().positive(),
  currency: z.string().length(3),
  idempotencyKey: z.string().min(1),
  journeyId: z.string().uuid(),
});
export type ChargePayload = z.infer<typeof chargePayloadSchema>;

export type BalanceMethod = { kind: "hosted" } | { kind: "saved"; cardId: string };

export type BalancePayRequest = {
  userId: string;
  orderNumber: string;
  /** One per rendering of the pay form: the Payment's id, and so its idempotency key. */
  attemptId: string;
  journeyId: string;
  method: BalanceMethod;
  returnUrlBase: string;
};

export type BalanceRefusal = "not_found" | "nothing_due" | "in_progress" | "card_not_found" | "unavailable" | "already_paid";
export type BalancePayOutcome = { kind: "redirect"; url: string } | { kind: "status"; paymentId: string } | { kind: "refused"; reason: BalanceRefusal };

type PaymentRow = { id: string; orderId: string; amountMinor: number; currency: string; status: "PENDING" | "SUCCEEDED" | "FAILED"; stripeId: string | null; idempotencyKey: string; failureCode: string | null };
type OrderRef = { id: string; number: string; status: string; balanceDueMinor: number; currency: string };

export async function payBalance(db: Db, stripe: Stripe, actor: TrailActor, request: BalancePayRequest): Promise<BalancePayOutcome> {
  const order = await db.order.findFirst({ where: { number: request.orderNumber, userId: request.userId }, select: { id: true, number: true, status: true, balanceDueMinor: true, currency: true } });
  if (!order) return refuse(db, actor, request, "not_found");
  const replay = await db.payment.findFirst({ where: { id: request.attemptId, orderId: order.id } });
  if (replay) return resume(db, stripe, request, order, replay);
  if (order.balanceDueMinor <= 0 || order.status === "CANCELLED") return refuse(db, actor, request, "nothing_due");

  const card = request.method.kind === "saved" ? await findSavedCard(db, request.userId, request.method.cardId) : null;
  if (request.method.kind === "saved" && !card) return refuse(db, actor, request, "card_not_found");

  let customerId: string;
  try {
    const closed = await closeOpenCheckouts(db, stripe, order.id);
    if (closed === "already_paid") return refuse(db, actor, request, "already_paid");
    customerId = await ensureStripeCustomer(db, stripe, request.userId);
  } catch (error) {
    if (isTransientStripeError(error)) return refuse(db, actor, request, "unavailable");
    throw error;
  }

  let payment: PaymentRow | { replay: PaymentRow } | "nothing_due" | "in_progress";
  try {
    payment = await db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT 1 FROM "Order" WHERE "id" = ${order.id} FOR UPDATE`;
      // The same form submitted twice at once: the second one waited for the lock, then joins the first.
      const first = await tx.payment.findFirst({ where: { id: request.attemptId, orderId: order.id } });
      if (first) return { replay: first };
      const fresh = await tx.order.findUniqueOrThrow({ where: { id: order.id }, select: { status: true, balanceDueMinor: true, currency: true } });
      if (fresh.balanceDueMinor <= 0 || fresh.status === "CANCELLED") return "nothing_due" as const;
      if ((await tx.payment.count({ where: inFlight(order.id) })) > 0) return "in_progress" as const;
      const created = await tx.payment.create({
        data: { id: request.attemptId, orderId: order.id, kind: "BALANCE", amountMinor: fresh.balanceDueMinor, currency: fresh.currency, status: "PENDING", idempotencyKey: `balance:${order.id}:${request.attemptId}` },
      });
      if (card) {
        const payload: ChargePayload = {
          paymentId: created.id,
          orderId: order.id,
          orderNumber: order.number,
          customerId,
          paymentMethodId: card.stripePaymentMethodId,
          amountMinor: created.amountMinor,
          currency: created.currency,
          idempotencyKey: created.idempotencyKey,
          journeyId: request.journeyId,
        };
        await tx.outboxMessage.create({ data: { topic: CHARGE_TOPIC, dedupeKey: chargeDedupeKey(created.id), payload, nextAttemptAt: new Date(Date.now() + INLINE_GRACE_MS) } });
      }
      return created;
    });
  } catch (error) {
    // Two submits that both missed each other's row: the unique id lets only one create it.
    if (isUniqueViolation(error)) {
      const first = await db.payment.findFirst({ where: { id: request.attemptId, orderId: order.id } });
      if (first) return resume(db, stripe, request, order, first);
    }
    throw error;
  }
  if (payment === "nothing_due" || payment === "in_progress") return refuse(db, actor, request, payment);
  if ("replay" in payment) return resume(db, stripe, request, order, payment.replay);

  if (request.method.kind === "hosted") return openCheckout(db, stripe, actor, request, order, payment, customerId);
  const outcome = await chargeSavedCard(db, stripe, await chargePayloadOf(db, payment.id));
  if (outcome === "unreachable") {
    // Hand over to the outbox now rather than after the grace period.
    await db.outboxMessage.updateMany({ where: { dedupeKey: chargeDedupeKey(payment.id), status: "PENDING" }, data: { nextAttemptAt: new Date(Date.now() + 5000) } });
  }
  return { kind: "status", paymentId: payment.id };
}

/** A second submit of the same form: continue the first attempt, never start another. */
async function resume(db: Db, stripe: Stripe, request: BalancePayRequest, order: OrderRef, payment: PaymentRow): Promise<BalancePayOutcome> {
  if (payment.status !== "PENDING") return { kind: "status", paymentId: payment.id };
  const isCharge = (await db.outboxMessage.count({ where: { dedupeKey: chargeDedupeKey(payment.id) } })) > 0;
  if (isCharge || payment.stripeId?.startsWith("pi_")) return { kind: "status", paymentId: payment.id };
  try {
    if (payment.stripeId?.startsWith("cs_")) {
      const session = await stripe.checkout.sessions.retrieve(payment.stripeId);
      return session.status === "open" && session.url ? { kind: "redirect", url: session.url } : { kind: "status", paymentId: payment.id };
    }
    // The first submit is still creating the session: the same idempotency key replays it.
    const customerId = await ensureStripeCustomer(db, stripe, request.userId);
    const session = await createCheckoutSession(stripe, request, order, payment, customerId);
    return session.url ? { kind: "redirect", url: session.url } : { kind: "status", paymentId: payment.id };
  } catch (error) {
    if (isTransientStripeError(error)) return { kind: "status", paymentId: payment.id };
    throw error;
  }
}

async function openCheckout(db: Db, stripe: Stripe, actor: TrailActor, request: BalancePayRequest, order: OrderRef, payment: PaymentRow, customerId: string): Promise<BalancePayOutcome> {
  let session: Stripe.Checkout.Session;
  try {
    session = await createCheckoutSession(stripe, request, order, payment, customerId);
  } catch (error) {
    if (!isTransientStripeError(error)) throw error;
    // Nobody can reach a session whose creation went unanswered, so nothing can be paid on it.
    await db.payment.updateMany({ where: { id: payment.id, status: "PENDING", stripeId: null }, data: { status: "FAILED", failureCode: "stripe_unavailable" } });
    return refuse(db, actor, request, "unavailable");
  }
  await db.payment.updateMany({ where: { id: payment.id, stripeId: null }, data: { stripeId: session.id } });
  if (!session.url) throw new Error(`Checkout Session ${session.id} has no URL`);
  return { kind: "redirect", url: session.url };
}

function createCheckoutSession(stripe: Stripe, request: BalancePayRequest, order: OrderRef, payment: PaymentRow, customerId: string) {
  const metadata = { waymark_purpose: BALANCE_PURPOSE, waymark_payment_id: payment.id, waymark_order_id: order.id, waymark_journey_id: request.journeyId };
  return stripe.checkout.sessions.create(
    {
      mode: "payment",
      customer: customerId,
      client_reference_id: order.id,
      line_items: [{ quantity: 1, price_data: { currency: payment.currency.toLowerCase(), unit_amount: payment.amountMinor, product_data: { name: `Balance for order ${order.number}` } } }],
      // A route that asks Stripe for the outcome at once, then shows the status page without the session id.
      success_url: `${request.returnUrlBase}/orders/${order.number}/pay/${payment.id}/return?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${request.returnUrlBase}/orders/${order.number}/pay?cancelled=1`,
      metadata,
      payment_intent_data: { metadata },
    },
    { idempotencyKey: payment.idempotencyKey },
  );
}

/**
 * Before a new attempt, hosted pages left open for this order are expired at Stripe, so the
 * customer cannot pay twice in two tabs. One that was already paid stops the new attempt.
 */
async function closeOpenCheckouts(db: Db, stripe: Stripe, orderId: string): Promise<"closed" | "already_paid"> {
  const open = await db.payment.findMany({
    where: { orderId, kind: "BALANCE", status: { in: ["PENDING", "FAILED"] }, stripeId: { startsWith: "cs_" }, OR: [{ failureCode: null }, { failureCode: { not: CHECKOUT_CLOSED } }] },
    select: { id: true, stripeId: true },
  });
  for (const payment of open) {
    const session = await stripe.checkout.sessions.retrieve(payment.stripeId!);
    if (session.status === "complete") return "already_paid";
    if (session.status === "open") {
      try {
        await stripe.checkout.sessions.expire(session.id);
      } catch (error) {
        // Completed between the two calls: the webhook settles it.
        if (isRefusedStripeError(error)) return "already_paid";
        throw error;
      }
    }
    await db.payment.updateMany({ where: { id: payment.id, status: { not: "SUCCEEDED" } }, data: { status: "FAILED", failureCode: CHECKOUT_CLOSED } });
  }
  return "closed";
}

async function chargePayloadOf(db: Db, paymentId: string): Promise<ChargePayload> {
  const message = await db.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: chargeDedupeKey(paymentId) }, select: { payload: true } });
  return chargePayloadSchema.parse(message.payload);
}

export function chargeDedupeKey(paymentId: string) {
  return `charge:${paymentId}`;
}

export type ChargeOutcome = "accepted" | "declined" | "unreachable" | "already_done";

/**
 * Charges the saved card off-session. Called inline when the customer pays and again by the outbox
 * while Stripe was unreachable; both send the same request with the same idempotency key.
 */
export async function chargeSavedCard(db: Db, stripe: Stripe, payload: ChargePayload): Promise<ChargeOutcome> {
  const payment = await db.payment.findUnique({ where: { id: payload.paymentId }, select: { status: true, stripeId: true } });
  if (!payment || payment.status !== "PENDING" || payment.stripeId) {
    await markChargeDone(db, payload.paymentId);
    return "already_done";
  }
  let intent: Stripe.PaymentIntent;
  try {
    intent = await stripe.paymentIntents.create(
      {
        amount: payload.amountMinor,
        currency: payload.currency.toLowerCase(),
        customer: payload.customerId,
        payment_method: payload.paymentMethodId,
        confirm: true,
        off_session: true,
        automatic_payment_methods: { enabled: true, allow_redirects: "never" },
        description: `Balance for order ${payload.orderNumber}`,
        metadata: { waymark_purpose: BALANCE_PURPOSE, waymark_payment_id: payload.paymentId, waymark_order_id: payload.orderId, waymark_journey_id: payload.journeyId },
      },
      { idempotencyKey: payload.idempotencyKey },
    );
  } catch (error) {
    if (isTransientStripeError(error)) return "unreachable";
    // Same key, different request: a bug on our side, never a reason to charge again.
    if (!isRefusedStripeError(error) || error.type === "StripeIdempotencyError") throw error;
    await db.$transaction(async (tx) => {
      await failBalancePayment(tx, { paymentId: payload.paymentId, failureCode: stripeErrorCode(error), stripeId: error.payment_intent?.id ?? null });
      await markChargeDone(tx, payload.paymentId);
    });
    return "declined";
  }
  await db.$transaction(async (tx) => {
    await tx.payment.updateMany({ where: { id: payload.paymentId, stripeId: null }, data: { stripeId: intent.id } });
    if (intent.status !== "succeeded" && intent.status !== "processing") {
      // Off-session, Stripe answers a needed authentication with a 402; anything else is not a payment.
      await failBalancePayment(tx, { paymentId: payload.paymentId, failureCode: `payment_${intent.status}`, stripeId: intent.id });
    }
    await markChargeDone(tx, payload.paymentId);
  });
  return intent.status === "succeeded" || intent.status === "processing" ? "accepted" : "declined";
}

/** The outbox gave up reaching Stripe: the attempt fails, so the customer can pay again. */
export async function abandonCharge(db: Db, payload: ChargePayload): Promise<void> {
  await db.$transaction(async (tx) => {
    await failBalancePayment(tx, { paymentId: payload.paymentId, failureCode: "stripe_unavailable", stripeId: null, journeyId: payload.journeyId });
    await markChargeDone(tx, payload.paymentId);
  });
}

async function markChargeDone(db: Db | Tx, paymentId: string) {
  await db.outboxMessage.updateMany({ where: { dedupeKey: chargeDedupeKey(paymentId), status: "PENDING" }, data: { status: "DELIVERED", deliveredAt: new Date(), lastError: null } });
}

/**
 * Stripe confirmed the money (checkout.session.completed or payment_intent.succeeded). Settles the
 * payment once, pays down the balance and moves a waiting order on; never moves an order back.
 */
export async function settleBalancePayment(tx: Tx, input: { paymentId: string; paymentIntentId: string; amountMinor: number; journeyId: string | null }): Promise<boolean> {
  const located = await lockOrderOfBalancePayment(tx, input.paymentId);
  if (!located) return false;
  const settled = await tx.payment.updateMany({
    where: { id: input.paymentId, status: { not: "SUCCEEDED" } },
    data: { status: "SUCCEEDED", stripeId: input.paymentIntentId, failureCode: null },
  });
  if (settled.count === 0) return false;
  const order = await tx.order.findUniqueOrThrow({ where: { id: located.orderId }, select: { id: true, number: true, userId: true, status: true, currency: true, paidMinor: true, refundedMinor: true, balanceDueMinor: true } });
  const applied = Math.min(input.amountMinor, order.balanceDueMinor);
  const balanceDueMinor = order.balanceDueMinor - applied;
  if (input.amountMinor > applied) {
    // Only possible when two attempts raced past every guard; the excess needs a person's refund.
    console.error(`[payments] order ${order.number} received ${input.amountMinor - applied} minor units more than its balance (payment ${input.paymentId}): refund the excess by hand`);
  }
  const movesOn = order.status === "PENDING_PAYMENT" && balanceDueMinor === 0;
  await tx.order.update({
    where: { id: order.id },
    data: {
      paidMinor: order.paidMinor + input.amountMinor,
      balanceDueMinor,
      ...(applied > 0 ? { stripePaymentIntentId: input.paymentIntentId } : {}),
      ...(balanceDueMinor === 0 ? { paymentStatus: order.refundedMinor > 0 ? "PARTIALLY_REFUNDED" : "PAID" } : {}),
      ...(movesOn ? { status: "PROCESSING" } : {}),
    },
  });
  if (movesOn) await tx.orderStatusChange.create({ data: { orderId: order.id, from: "PENDING_PAYMENT", to: "PROCESSING", at: new Date(), actor: "stripe" } });
  if (order.userId) {
    const data = { orderNumber: order.number, amountMinor: input.amountMinor, currency: order.currency, balanceDueMinor };
    await notify(tx, { type: "payment_received", userId: order.userId, eventKey: `payment:${input.paymentId}`, data });
  }
  if (order.userId && input.journeyId) {
    const actor = await customerActor(tx, order.userId, input.journeyId);
    const at = new Date();
    // Paid on Stripe's hosted page: that step is done before the payment is, recorded by whichever
    // of the customer's return and Stripe's webhooks settles it (the one that comes second finds
    // nothing left to do; recorded by the return alone, a webhook that won the race left it out, or
    // the return, waiting on this lock, recorded it after the attempt's end, as a second attempt).
    // Dated before the outcome's view, which the trail puts 1 ms before the completion.
    if (located.paidOnHostedPage) await recordStep(tx, actor, { journeyId: input.journeyId, type: "balance_payment", step: "hosted_page", action: "completed" }, new Date(at.getTime() - 2));
    await recordStep(tx, actor, { journeyId: input.journeyId, type: "balance_payment", step: "confirmation", action: "completed" }, at);
  }
  return true;
}

/**
 * Locks the order a balance payment is for, and says which, and whether the payment is being made
 * on Stripe's hosted page (its Stripe id is the Checkout Session's until it is settled), read under
 * the lock. Whoever settles a payment takes this lock before any other (the trail's attempt locks
 * included): the customer back from the hosted page and Stripe's webhooks settle the same payment
 * at the same moment, and taking the two locks in different orders deadlocked them (the customer
 * got an error page).
 */
async function lockOrderOfBalancePayment(tx: Tx, paymentId: string): Promise<{ orderId: string; paidOnHostedPage: boolean } | null> {
  const located = await tx.payment.findUnique({ where: { id: paymentId }, select: { orderId: true, kind: true } });
  if (!located || located.kind !== "BALANCE") return null;
  await tx.$executeRaw`SELECT 1 FROM "Order" WHERE "id" = ${located.orderId} FOR UPDATE`;
  const current = await tx.payment.findUniqueOrThrow({ where: { id: paymentId }, select: { stripeId: true } });
  return { orderId: located.orderId, paidOnHostedPage: current.stripeId?.startsWith("cs_") ?? false };
}

/**
 * Stripe reported a declined charge. On the hosted page a decline ends nothing: Stripe tells the
 * customer there and they may try another card on the same session, so the attempt stays pending
 * (the step is recorded as failed) until the session completes or expires. A saved-card charge is
 * one try, so its decline fails the attempt.
 */
export async function declineBalanceCharge(tx: Tx, input: { paymentId: string; failureCode: string; paymentIntentId: string; journeyId: string | null; declinedAt: Date }): Promise<void> {
  const payment = await tx.payment.findUnique({ where: { id: input.paymentId }, select: { kind: true, order: { select: { userId: true } } } });
  if (!payment || payment.kind !== "BALANCE") return;
  // A saved-card charge always has its outbox message (written with the attempt); a hosted attempt never.
  const savedCardCharge = (await tx.outboxMessage.count({ where: { dedupeKey: chargeDedupeKey(input.paymentId) } })) > 0;
  if (savedCardCharge) {
    await failBalancePayment(tx, { paymentId: input.paymentId, failureCode: input.failureCode, stripeId: input.paymentIntentId, journeyId: input.journeyId });
    return;
  }
  // Recorded whatever the attempt became since, at the time Stripe saw it: the webhook can arrive
  // after the customer paid with another card, and the decline still belongs to that attempt.
  if (payment.order.userId && input.journeyId) {
    const step = { journeyId: input.journeyId, type: "balance_payment" as const, step: "hosted_page", action: "failed" as const, errorCode: input.failureCode };
    await recordStep(tx, await customerActor(tx, payment.order.userId, input.journeyId), step, input.declinedAt);
  }
}

/** The hosted page expired unpaid (Stripe's 24 hours, or closed by us for a newer attempt). */
export async function expireBalanceCheckout(tx: Tx, input: { paymentId: string; sessionId: string }): Promise<void> {
  await tx.payment.updateMany({ where: { id: input.paymentId, kind: "BALANCE", status: "PENDING", stripeId: input.sessionId }, data: { status: "FAILED", failureCode: "checkout_expired" } });
}

export type HostedReturn = "settled" | "decided" | "pending" | "not_found";

/**
 * The customer is back from the hosted page. As Stripe recommends, the outcome is read from the
 * Checkout Session itself rather than awaited from the webhook, and a paid session is settled now,
 * exactly as its webhook would settle it (the webhook then finds nothing left to do). Only the
 * signed-in customer's own pending attempt, on the session it opened, is ever looked at; an
 * attempt already decided ("decided") is left as it is.
 */
export async function settleHostedReturn(db: Db, stripe: Stripe, input: { userId: string; orderNumber: string; paymentId: string; sessionId: string }): Promise<HostedReturn> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(input.paymentId) || !/^cs_[A-Za-z0-9_]{1,200}$/.test(input.sessionId)) return "not_found";
  const payment = await db.payment.findFirst({
    where: { id: input.paymentId, kind: "BALANCE", order: { number: input.orderNumber, userId: input.userId } },
    select: { status: true, stripeId: true },
  });
  if (!payment) return "not_found";
  if (payment.status !== "PENDING") return "decided";
  if (payment.stripeId !== input.sessionId) return "not_found";
  const session = await stripe.checkout.sessions.retrieve(input.sessionId);
  const paymentIntentId = typeof session.payment_intent === "string" ? session.payment_intent : (session.payment_intent?.id ?? null);
  const paid = session.status === "complete" && session.payment_status === "paid" && session.metadata?.waymark_payment_id === input.paymentId && paymentIntentId;
  if (!paid) return "pending";
  const journeyId = journeyIdFromMetadata(session.metadata ?? {});
  await db.$transaction((tx) => settleBalancePayment(tx, { paymentId: input.paymentId, paymentIntentId, amountMinor: session.amount_total ?? 0, journeyId }));
  return "settled";
}

/**
 * A declined or refused attempt. Only a pending payment can fail: a failure reported after the
 * success (events out of order) changes nothing, and the order itself never moves on a failure.
 */
export async function failBalancePayment(tx: Tx, input: { paymentId: string; failureCode: string; stripeId: string | null; journeyId?: string | null }): Promise<boolean> {
  const payment = await tx.payment.findUnique({
    where: { id: input.paymentId },
    select: { kind: true, stripeId: true, amountMinor: true, currency: true, order: { select: { userId: true, number: true } } },
  });
  if (!payment || payment.kind !== "BALANCE") return false;
  const failed = await tx.payment.updateMany({
    where: { id: input.paymentId, status: "PENDING" },
    data: { status: "FAILED", failureCode: input.failureCode, ...(payment.stripeId === null && input.stripeId ? { stripeId: input.stripeId } : {}) },
  });
  if (failed.count === 0) return false;
  if (payment.order.userId) {
    const data = { orderNumber: payment.order.number, amountMinor: payment.amountMinor, currency: payment.currency };
    await notify(tx, { type: "payment_failed", userId: payment.order.userId, eventKey: `payment:${input.paymentId}`, data });
  }
  const journeyId = input.journeyId ?? (await journeyOfCharge(tx, input.paymentId));
  if (payment.order.userId && journeyId) {
    await recordStep(tx, await customerActor(tx, payment.order.userId, journeyId), { journeyId, type: "balance_payment", step: "confirmation", action: "failed", errorCode: input.failureCode });
  }
  return true;
}

async function journeyOfCharge(tx: Tx, paymentId: string): Promise<string | null> {
  const message = await tx.outboxMessage.findUnique({ where: { dedupeKey: chargeDedupeKey(paymentId) }, select: { payload: true } });
  const parsed = chargePayloadSchema.safeParse(message?.payload);
  return parsed.success ? parsed.data.journeyId : null;
}

/** Attempts that are still running: a charge not yet answered, or accepted and awaiting its webhook. */
function inFlight(orderId: string): Prisma.PaymentWhereInput {
  return { orderId, kind: "BALANCE", status: "PENDING", OR: [{ stripeId: null }, { stripeId: { startsWith: "pi_" } }] };
}

async function refuse(db: Db, actor: TrailActor, request: BalancePayRequest, reason: BalanceRefusal): Promise<BalancePayOutcome> {
  const step = reason === "not_found" || reason === "nothing_due" ? "detail" : request.method.kind === "hosted" ? "hosted_page" : "confirmation";
  await recordStep(db, actor, { journeyId: request.journeyId, type: "balance_payment", step, action: "failed", errorCode: reason === "unavailable" ? "stripe_unavailable" : reason });
  return { kind: "refused", reason };
}

export type BalancePaymentStage = "paid" | "failed" | "confirming" | "pending_retry";

export type BalancePaymentView = {
  payment: { id: string; amountMinor: number; currency: string; status: "PENDING" | "SUCCEEDED" | "FAILED"; failureCode: string | null };
  stage: BalancePaymentStage;
  order: { number: string; status: "PENDING_PAYMENT" | "PROCESSING" | "SHIPPED" | "DELIVERED" | "CANCELLED"; balanceDueMinor: number; currency: string };
};

/** One of the customer's payment attempts, as the status page shows it. Null for anyone else's. */
export async function balancePaymentView(db: Db, userId: string, orderNumber: string, paymentId: string): Promise<BalancePaymentView | null> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(paymentId)) return null;
  const payment = await db.payment.findFirst({
    where: { id: paymentId, kind: "BALANCE", order: { number: orderNumber, userId } },
    select: { id: true, amountMinor: true, currency: true, status: true, failureCode: true, stripeId: true, order: { select: { number: true, status: true, balanceDueMinor: true, currency: true } } },
  });
  if (!payment) return null;
  const waitingForStripe = payment.status === "PENDING" && payment.stripeId === null && (await db.outboxMessage.count({ where: { dedupeKey: chargeDedupeKey(payment.id), status: "PENDING" } })) > 0;
  const stage: BalancePaymentStage = payment.status === "SUCCEEDED" ? "paid" : payment.status === "FAILED" ? "failed" : waitingForStripe ? "pending_retry" : "confirming";
  const { order, stripeId: _stripeId, ...rest } = payment;
  return { payment: rest, stage, order };
}

/** The latest attempt of an order, for the pay page to say what happened last time. */
export async function latestBalancePayment(db: Db, userId: string, orderNumber: string) {
  return db.payment.findFirst({
    where: { kind: "BALANCE", order: { number: orderNumber, userId }, OR: [{ failureCode: null }, { failureCode: { not: CHECKOUT_CLOSED } }] },
    orderBy: { createdAt: "desc" },
    select: { id: true, status: true, failureCode: true, stripeId: true },
  });
}
