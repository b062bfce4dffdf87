// Saved cards, balance payments, refunds and authorisation releases, through the real stripe SDK
// against the Stripe stand-in (our side of the contract, not Stripe's behaviour) and a real database.
// Webhooks are the stand-in's own events, signed and verified like the real route does.
import crypto from "node:crypto";
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startStripeStandIn, type StripeStandIn } from "../../e2e/support/stripe-stand-in";
import { queueAuthorizationRelease, RELEASE_TOPIC } from "@/lib/payments/authorizations";
import { balancePaymentView, payBalance, settleBalancePayment, settleHostedReturn, type BalancePayRequest } from "@/lib/payments/balance";
import { deliverStripeOutbox } from "@/lib/payments/outbox";
import { cardSetupState, listSavedCards, makeDefaultCard, removeSavedCard, startCardSetup } from "@/lib/payments/payment-methods";
import { queueRefund, REFUND_TOPIC } from "@/lib/payments/refunds";
import { createStripeClient } from "@/lib/payments/stripe";
import { MAX_ATTEMPTS } from "@/lib/outbox/outbox";
import { receiveStripeWebhook, type WebhookAnswer } from "@/lib/payments/webhooks";
import type { TrailActor } from "@/lib/trail/server";
import { freshDatabase, type FreshDatabase } from "../support/db";

const SECRET = "whsec_payments_test";
const RETURN_URL = "http://portal.test";

let database: FreshDatabase;
let standIn: StripeStandIn;
let stripe: Stripe;
let variantId: string;
let orderSerial = 910_000;
let delivered = 0;

beforeAll(async () => {
  database = await freshDatabase();
  standIn = await startStripeStandIn({ port: 0 });
  stripe = createStripeClient({ secretKey: "sk_test_payments", apiBase: new URL(standIn.url) });
  const product = await database.db.product.create({ data: { name: "Trail shoe", category: "footwear", variants: { create: { sku: "SHOE-1", label: "42", priceMinor: 8900, currency: "GBP" } } }, include: { variants: true } });
  variantId = product.variants[0].id;
});
afterAll(async () => {
  await standIn.close();
  await database.drop();
});
beforeEach(() => standIn.setDown(false));

async function customer(name = "Pat Payer") {
  const user = await database.db.user.create({ data: { name, email: `${crypto.randomUUID()}@example.com` } });
  const actor: TrailActor = { userId: user.id, distinctId: user.analyticsId, deviceClass: "MOBILE", consent: true };
  return { user, actor };
}

async function order(userId: string, facts: { status?: "PENDING_PAYMENT" | "DELIVERED"; totalMinor?: number; paidMinor?: number; balanceDueMinor?: number; paymentIntentId?: string | null } = {}) {
  const totalMinor = facts.totalMinor ?? 8900;
  return database.db.order.create({
    data: {
      number: `WM-${++orderSerial}`,
      userId,
      status: facts.status ?? "PENDING_PAYMENT",
      paymentStatus: facts.status === "DELIVERED" ? "PAID" : "FAILED",
      currency: "GBP",
      subtotalMinor: totalMinor,
      shippingMinor: 0,
      taxMinor: 0,
      totalMinor,
      paidMinor: facts.paidMinor ?? 0,
      balanceDueMinor: facts.balanceDueMinor ?? (facts.status === "DELIVERED" ? 0 : totalMinor),
      shippingAddress: {},
      stripePaymentIntentId: facts.paymentIntentId ?? null,
      placedAt: new Date(),
      promisedDeliveryAt: new Date(Date.now() + 5 * 86_400_000),
      lines: { create: { variantId, productName: "Trail shoe", sku: "SHOE-1", category: "footwear", quantity: 1, unitPriceMinor: totalMinor, taxMinor: 0 } },
      history: { create: { from: null, to: facts.status ?? "PENDING_PAYMENT", at: new Date(), actor: "customer" } },
    },
  });
}

function signed(event: unknown, options: { secret?: string; timestamp?: number } = {}) {
  const payload = JSON.stringify(event);
  return { payload, signature: stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? SECRET, timestamp: options.timestamp }) };
}

/** Delivers the stand-in's events that have not been delivered yet, as Stripe would. */
async function deliverWebhooks(): Promise<WebhookAnswer[]> {
  const fresh = standIn.events().slice(delivered);
  delivered += fresh.length;
  const answers: WebhookAnswer[] = [];
  for (const event of fresh) answers.push(await receiveStripeWebhook(database.db, stripe, SECRET, signed(event)));
  return answers;
}

async function saveCard(userId: string, journeyId: string, card: "visa" | "mastercard" | "charge_declined" = "visa") {
  const { url } = await startCardSetup(database.db, stripe, { userId, journeyId, returnUrlBase: RETURN_URL });
  const sessionId = url.split("/").at(-1)!;
  expect(standIn.completeCheckout(sessionId, card)).toBe(`${RETURN_URL}/account/payment-methods/added/return?session_id=${sessionId}`);
  return sessionId;
}

async function trailOf(journeyId: string) {
  const events = await database.db.trailEvent.findMany({ where: { journeyId }, orderBy: [{ occurredAt: "asc" }, { receivedAt: "asc" }] });
  return events.map((e) => `${e.step}:${e.kind}${e.errorCode ? `:${e.errorCode}` : ""}`);
}

async function dueNow() {
  await database.db.outboxMessage.updateMany({ where: { status: "PENDING" }, data: { nextAttemptAt: new Date(0) } });
}

const createdIntents = () => standIn.requests().filter((r) => r.method === "POST" && r.path === "/v1/payment_intents");

describe("saving a card on Stripe's hosted page", () => {
  it("mirrors the card once the signed webhook lands, makes the first one the default and records the step", async () => {
    const { user } = await customer();
    const journeyId = crypto.randomUUID();
    await deliverWebhooks();
    const sessionId = await saveCard(user.id, journeyId);
    expect(await cardSetupState(database.db, stripe, user.id, sessionId)).toEqual({ state: "saving" });

    const answers = await deliverWebhooks();
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const [card] = await listSavedCards(database.db, user.id);
    expect(card).toMatchObject({ brand: "visa", last4: "4242", isDefault: true });
    expect(await cardSetupState(database.db, stripe, user.id, sessionId)).toMatchObject({ state: "saved", card: { id: card.id } });
    // Stripe's confirmation is what says the hosted page was done: that step, then the outcome.
    expect(await trailOf(journeyId)).toEqual(["hosted_page:VIEWED", "hosted_page:COMPLETED", "saved:VIEWED", "saved:COMPLETED"]);
    const stored = await database.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(standIn.object(stored.stripeCustomerId!)?.invoice_settings).toMatchObject({ default_payment_method: card.stripePaymentMethodId });
    expect(standIn.requests().find((r) => r.path === "/v1/customers" && r.params.metadata && (r.params.metadata as Record<string, string>).waymark_user_id === user.id)?.idempotencyKey).toBe(`customer:${user.id}`);

    // Stripe delivering the same events again changes nothing.
    const replayed = standIn.events().filter((e) => e.type === "checkout.session.completed").at(-1)!;
    expect(await receiveStripeWebhook(database.db, stripe, SECRET, signed(replayed))).toEqual({ status: 200, body: { received: true, duplicate: true } });
    expect(await listSavedCards(database.db, user.id)).toHaveLength(1);
    expect(await trailOf(journeyId)).toEqual(["hosted_page:VIEWED", "hosted_page:COMPLETED", "saved:VIEWED", "saved:COMPLETED"]);
  });

  it("answers another customer's setup session as not found", async () => {
    const { user: owner } = await customer();
    const { user: other } = await customer("Other Person");
    const sessionId = await saveCard(owner.id, crypto.randomUUID());
    await deliverWebhooks();
    await database.db.user.update({ where: { id: other.id }, data: { stripeCustomerId: (await stripe.customers.create({})).id } });
    expect(await cardSetupState(database.db, stripe, other.id, sessionId)).toEqual({ state: "not_found" });
    expect(await cardSetupState(database.db, stripe, other.id, "cs_test_does_not_exist")).toEqual({ state: "not_found" });
  });

  it("keeps the first card the default, moves the default on request, and promotes the newest card when the default is removed", async () => {
    const { user, actor } = await customer();
    await saveCard(user.id, crypto.randomUUID(), "visa");
    await saveCard(user.id, crypto.randomUUID(), "mastercard");
    await saveCard(user.id, crypto.randomUUID(), "charge_declined");
    await deliverWebhooks();
    const cards = await listSavedCards(database.db, user.id);
    expect(cards.map((c) => [c.last4, c.isDefault])).toEqual([["4242", true], ["0341", false], ["4444", false]]);
    const mastercard = cards.find((c) => c.last4 === "4444")!;

    const journeyId = crypto.randomUUID();
    expect(await makeDefaultCard(database.db, stripe, actor, { userId: user.id, cardId: mastercard.id, journeyId })).toEqual({ ok: true });
    expect((await listSavedCards(database.db, user.id)).map((c) => [c.last4, c.isDefault])).toEqual([["4444", true], ["0341", false], ["4242", false]]);
    const customerId = (await database.db.user.findUniqueOrThrow({ where: { id: user.id } })).stripeCustomerId!;
    expect(standIn.object(customerId)?.invoice_settings).toMatchObject({ default_payment_method: mastercard.stripePaymentMethodId });
    expect(await trailOf(journeyId)).toEqual(["changed:VIEWED", "changed:COMPLETED"]);

    expect(await removeSavedCard(database.db, stripe, actor, { userId: user.id, cardId: mastercard.id, journeyId: crypto.randomUUID() })).toEqual({ ok: true, noDefaultLeft: false });
    expect(standIn.object(mastercard.stripePaymentMethodId)?.customer).toBeNull();
    expect((await listSavedCards(database.db, user.id)).map((c) => [c.last4, c.isDefault])).toEqual([["0341", true], ["4242", false]]);
  });

  it("refuses another customer's card id and an unreachable Stripe, changing nothing", async () => {
    const { user: owner } = await customer();
    const { user: other, actor: otherActor } = await customer("Other Person");
    await saveCard(owner.id, crypto.randomUUID());
    await deliverWebhooks();
    const [card] = await listSavedCards(database.db, owner.id);
    const journeyId = crypto.randomUUID();
    expect(await removeSavedCard(database.db, stripe, otherActor, { userId: other.id, cardId: card.id, journeyId })).toEqual({ ok: false, reason: "not_found" });
    expect(await makeDefaultCard(database.db, stripe, otherActor, { userId: other.id, cardId: card.id, journeyId })).toEqual({ ok: false, reason: "not_found" });
    // Refused on the card's page, where the change was asked for, never on the change itself.
    expect(await trailOf(journeyId)).toEqual(["detail:VIEWED", "detail:ERROR:card_not_found", "detail:ERROR:card_not_found"]);

    standIn.setDown("reset");
    const ownerActor: TrailActor = { userId: owner.id, distinctId: owner.analyticsId, deviceClass: "DESKTOP", consent: true };
    expect(await removeSavedCard(database.db, stripe, ownerActor, { userId: owner.id, cardId: card.id, journeyId: crypto.randomUUID() })).toEqual({ ok: false, reason: "unavailable" });
    standIn.setDown(false);
    expect(standIn.object(card.stripePaymentMethodId)?.customer).not.toBeNull();
    expect(await listSavedCards(database.db, owner.id)).toHaveLength(1);
  });
});

describe("paying an outstanding balance", () => {
  async function customerWithCard(card: "visa" | "charge_declined" = "visa") {
    const { user, actor } = await customer();
    await saveCard(user.id, crypto.randomUUID(), card);
    await deliverWebhooks();
    const [saved] = await listSavedCards(database.db, user.id);
    const due = await order(user.id);
    const request = (method: BalancePayRequest["method"], attemptId = crypto.randomUUID()): BalancePayRequest => ({
      userId: user.id,
      orderNumber: due.number,
      attemptId,
      journeyId: crypto.randomUUID(),
      method,
      returnUrlBase: RETURN_URL,
    });
    return { user, actor, card: saved, order: due, request };
  }

  it("charges the saved card once, and the order moves to being prepared only when the webhook confirms it", async () => {
    const { user, actor, card, order: due, request } = await customerWithCard();
    const before = createdIntents().length;
    const pay = request({ kind: "saved", cardId: card.id });
    const outcome = await payBalance(database.db, stripe, actor, pay);
    expect(outcome).toEqual({ kind: "status", paymentId: pay.attemptId });
    expect((await balancePaymentView(database.db, user.id, due.number, pay.attemptId))?.stage).toBe("confirming");
    expect((await database.db.order.findUniqueOrThrow({ where: { id: due.id } })).status).toBe("PENDING_PAYMENT");

    await deliverWebhooks();
    const view = await balancePaymentView(database.db, user.id, due.number, pay.attemptId);
    expect(view).toMatchObject({ stage: "paid", order: { status: "PROCESSING", balanceDueMinor: 0 } });
    const paid = await database.db.order.findUniqueOrThrow({ where: { id: due.id }, include: { history: { orderBy: { at: "asc" } } } });
    expect(paid).toMatchObject({ paymentStatus: "PAID", paidMinor: 8900, balanceDueMinor: 0 });
    expect(paid.history.map((h) => `${h.from ?? "-"}>${h.to}:${h.actor}`)).toEqual(["->PENDING_PAYMENT:customer", "PENDING_PAYMENT>PROCESSING:stripe"]);
    expect(await trailOf(pay.journeyId)).toEqual(["confirmation:VIEWED", "confirmation:COMPLETED"]);
    const intents = createdIntents().slice(before);
    expect(intents).toHaveLength(1);
    expect(intents[0]).toMatchObject({ idempotencyKey: `balance:${due.id}:${pay.attemptId}`, params: { amount: "8900", currency: "gbp", off_session: "true", confirm: "true" } });
    expect(paid.stripePaymentIntentId).toBe((await database.db.payment.findUniqueOrThrow({ where: { id: pay.attemptId } })).stripeId);
  });

  it("turns a double click, at once or one after the other, into one charge", async () => {
    const { actor, card, request } = await customerWithCard();
    const before = createdIntents().length;
    const pay = request({ kind: "saved", cardId: card.id });
    const outcomes = await Promise.all([payBalance(database.db, stripe, actor, pay), payBalance(database.db, stripe, actor, pay)]);
    const again = await payBalance(database.db, stripe, actor, pay);
    for (const outcome of [...outcomes, again]) expect(outcome).toEqual({ kind: "status", paymentId: pay.attemptId });
    expect(createdIntents().slice(before).filter((r) => r.status === 200 && !r.replayed)).toHaveLength(1);
    expect(await database.db.payment.count({ where: { orderId: (await database.db.payment.findUniqueOrThrow({ where: { id: pay.attemptId } })).orderId } })).toBe(1);
    // A fresh page (a new attempt) while the first is still awaiting Stripe's webhook is refused.
    expect(await payBalance(database.db, stripe, actor, request({ kind: "saved", cardId: card.id }))).toEqual({ kind: "refused", reason: "in_progress" });
    await deliverWebhooks();
  });

  it("records a declined card as a failed attempt and leaves the order waiting for payment", async () => {
    const { user, actor, card, order: due, request } = await customerWithCard("charge_declined");
    const pay = request({ kind: "saved", cardId: card.id });
    expect(await payBalance(database.db, stripe, actor, pay)).toEqual({ kind: "status", paymentId: pay.attemptId });
    await deliverWebhooks();
    expect(await balancePaymentView(database.db, user.id, due.number, pay.attemptId)).toMatchObject({ stage: "failed", payment: { status: "FAILED", failureCode: "generic_decline" }, order: { status: "PENDING_PAYMENT", balanceDueMinor: 8900 } });
    expect(await trailOf(pay.journeyId)).toEqual(["confirmation:ERROR:generic_decline"]);
  });

  it("shows a payment as pending while Stripe is down and charges it once from the outbox", async () => {
    const { user, actor, card, order: due, request } = await customerWithCard();
    const before = createdIntents().length;
    standIn.setDown("503");
    const pay = request({ kind: "saved", cardId: card.id });
    expect(await payBalance(database.db, stripe, actor, pay)).toEqual({ kind: "status", paymentId: pay.attemptId });
    expect((await balancePaymentView(database.db, user.id, due.number, pay.attemptId))?.stage).toBe("pending_retry");

    await dueNow();
    expect((await deliverStripeOutbox(database.db, stripe)).charges).toEqual({ delivered: 0, failed: 1 });
    standIn.setDown(false);
    await dueNow();
    expect((await deliverStripeOutbox(database.db, stripe)).charges).toEqual({ delivered: 1, failed: 0 });
    await dueNow();
    expect((await deliverStripeOutbox(database.db, stripe)).charges).toEqual({ delivered: 0, failed: 0 });
    await deliverWebhooks();
    expect((await balancePaymentView(database.db, user.id, due.number, pay.attemptId))?.stage).toBe("paid");
    const attempts = createdIntents().slice(before);
    expect(attempts.map((r) => r.status)).toEqual([503, 503, 200]);
    expect(new Set(attempts.map((r) => r.idempotencyKey))).toEqual(new Set([`balance:${due.id}:${pay.attemptId}`]));
  });

  it("gives up a charge Stripe never answered after the outbox's last attempt, so the customer can pay again", async () => {
    const { user, actor, card, order: due, request } = await customerWithCard();
    standIn.setDown("503");
    const pay = request({ kind: "saved", cardId: card.id });
    await payBalance(database.db, stripe, actor, pay);
    await database.db.outboxMessage.updateMany({ where: { dedupeKey: `charge:${pay.attemptId}` }, data: { attempts: MAX_ATTEMPTS - 1, nextAttemptAt: new Date(0) } });
    expect((await deliverStripeOutbox(database.db, stripe)).charges).toEqual({ delivered: 1, failed: 0 });
    standIn.setDown(false);
    expect(await balancePaymentView(database.db, user.id, due.number, pay.attemptId)).toMatchObject({ stage: "failed", payment: { failureCode: "stripe_unavailable" } });
    expect(await trailOf(pay.journeyId)).toEqual(["confirmation:ERROR:stripe_unavailable"]);
    expect(await payBalance(database.db, stripe, actor, request({ kind: "saved", cardId: card.id }))).toMatchObject({ kind: "status" });
    await deliverWebhooks();
  });

  it("pays on the hosted page; a new attempt first closes the page left open in another tab", async () => {
    const { user, actor, order: due, request } = await customerWithCard();
    const first = request({ kind: "hosted" });
    const opened = await payBalance(database.db, stripe, actor, first);
    expect(opened).toMatchObject({ kind: "redirect", url: expect.stringContaining("/_hosted/checkout/cs_test_") });
    const firstSession = (opened as { url: string }).url.split("/").at(-1)!;
    // The same form submitted again goes back to the same page.
    expect(await payBalance(database.db, stripe, actor, first)).toEqual(opened);

    const second = request({ kind: "hosted" });
    const reopened = await payBalance(database.db, stripe, actor, second);
    expect(standIn.object(firstSession)?.status).toBe("expired");
    const secondSession = (reopened as { url: string }).url.split("/").at(-1)!;
    expect(standIn.completeCheckout(secondSession, "mastercard")).toBe(`${RETURN_URL}/orders/${due.number}/pay/${second.attemptId}/return?session_id=${secondSession}`);
    await deliverWebhooks();
    expect(await balancePaymentView(database.db, user.id, due.number, second.attemptId)).toMatchObject({ stage: "paid", order: { status: "PROCESSING" } });
    expect(await balancePaymentView(database.db, user.id, due.number, first.attemptId)).toMatchObject({ stage: "failed", payment: { failureCode: "checkout_closed" } });
    // Paid on the hosted page, settled by the webhooks before any return: the page is done all the same.
    expect(await trailOf(second.journeyId)).toEqual(["hosted_page:VIEWED", "hosted_page:COMPLETED", "confirmation:VIEWED", "confirmation:COMPLETED"]);
    expect(await payBalance(database.db, stripe, actor, request({ kind: "hosted" }))).toEqual({ kind: "refused", reason: "nothing_due" });
  });

  it("a customer declined on the hosted page who pays with another card is told it is paid, even before the success webhook", async () => {
    const { user, actor, order: due, request } = await customerWithCard();
    const pay = request({ kind: "hosted" });
    const opened = await payBalance(database.db, stripe, actor, pay);
    const sessionId = (opened as { url: string }).url.split("/").at(-1)!;
    expect(standIn.completeCheckout(sessionId, "declined")).toBeNull();
    // Stripe reports the decline at once, while the customer is still on its page choosing another card.
    await deliverWebhooks();
    expect(await balancePaymentView(database.db, user.id, due.number, pay.attemptId)).toMatchObject({ stage: "confirming", payment: { status: "PENDING" } });

    standIn.completeCheckout(sessionId, "visa");
    // Back in the portal before the success webhooks were delivered.
    const returned = { userId: user.id, orderNumber: due.number, paymentId: pay.attemptId, sessionId };
    expect(await settleHostedReturn(database.db, stripe, returned)).toBe("settled");
    expect(await balancePaymentView(database.db, user.id, due.number, pay.attemptId)).toMatchObject({ stage: "paid", payment: { status: "SUCCEEDED", failureCode: null }, order: { status: "PROCESSING", balanceDueMinor: 0 } });
    // The webhooks arriving afterwards settle nothing twice.
    await deliverWebhooks();
    const paid = await database.db.order.findUniqueOrThrow({ where: { id: due.id }, include: { history: true } });
    expect(paid).toMatchObject({ paidMinor: 8900, balanceDueMinor: 0, paymentStatus: "PAID" });
    expect(paid.history.filter((h) => h.to === "PROCESSING")).toHaveLength(1);
    expect(await trailOf(pay.journeyId)).toEqual(["hosted_page:VIEWED", "hosted_page:ERROR:generic_decline", "hosted_page:COMPLETED", "confirmation:VIEWED", "confirmation:COMPLETED"]);
    // Coming back to the same address later (a reload) changes nothing either.
    expect(await settleHostedReturn(database.db, stripe, returned)).toBe("decided");
  });

  /** The customer's only attempt at paying: the hosted page seen and done once, then the payment's confirmation. */
  async function expectOneAttemptPaidOnHostedPage(userId: string, journeyId: string) {
    expect(await trailOf(journeyId)).toEqual(["hosted_page:VIEWED", "hosted_page:COMPLETED", "confirmation:VIEWED", "confirmation:COMPLETED"]);
    expect(await database.db.journey.count({ where: { userId, type: "balance_payment" } })).toBe(1);
  }

  it("the customer back from the hosted page while Stripe's success webhook settles the same payment: both finish, paid once", async () => {
    const { user, actor, order: due, request } = await customerWithCard();
    const pay = request({ kind: "hosted" });
    const sessionId = ((await payBalance(database.db, stripe, actor, pay)) as { url: string }).url.split("/").at(-1)!;
    standIn.completeCheckout(sessionId, "visa");
    const paymentIntentId = (await stripe.checkout.sessions.retrieve(sessionId)).payment_intent as string;
    const waitingForALock = async () =>
      (await database.db.$queryRaw<{ waiting: number }[]>`SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)[0].waiting;

    let customerBack: Promise<string> | undefined;
    // The webhook's transaction has locked the order when the customer's return arrives; it goes on
    // (recording its own step) only once the return is waiting for a lock, whichever one it took first.
    const webhookSettled = await database.db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT 1 FROM "Order" WHERE "id" = ${due.id} FOR UPDATE`;
      customerBack = settleHostedReturn(database.db, stripe, { userId: user.id, orderNumber: due.number, paymentId: pay.attemptId, sessionId });
      await expect.poll(waitingForALock, { timeout: 4_000, interval: 20 }).toBeGreaterThan(0);
      return settleBalancePayment(tx, { paymentId: pay.attemptId, paymentIntentId, amountMinor: 8900, journeyId: pay.journeyId });
    });
    expect(webhookSettled).toBe(true);
    expect(await customerBack).toBe("settled");
    expect(await balancePaymentView(database.db, user.id, due.number, pay.attemptId)).toMatchObject({ stage: "paid", order: { status: "PROCESSING", balanceDueMinor: 0 } });
    const paid = await database.db.order.findUniqueOrThrow({ where: { id: due.id }, include: { history: true } });
    expect(paid.paidMinor).toBe(8900);
    expect(paid.history.filter((h) => h.to === "PROCESSING")).toHaveLength(1);
    // One attempt, its hosted page done once, by the webhook that settled it: the return found nothing
    // left to record (it recorded the hosted page after the attempt's end, as a second attempt).
    await expectOneAttemptPaidOnHostedPage(user.id, pay.journeyId);
  });

  it("records the hosted page done when a webhook settles the payment before the customer is back", async () => {
    const { user, actor, order: due, request } = await customerWithCard();
    const pay = request({ kind: "hosted" });
    const sessionId = ((await payBalance(database.db, stripe, actor, pay)) as { url: string }).url.split("/").at(-1)!;
    standIn.completeCheckout(sessionId, "visa");
    await deliverWebhooks();
    expect(await settleHostedReturn(database.db, stripe, { userId: user.id, orderNumber: due.number, paymentId: pay.attemptId, sessionId })).toBe("decided");
    await expectOneAttemptPaidOnHostedPage(user.id, pay.journeyId);
  });

  it("keeps a hosted payment paid when the decline before it is reported only after the customer is back", async () => {
    const { user, actor, order: due, request } = await customerWithCard();
    const pay = request({ kind: "hosted" });
    const sessionId = ((await payBalance(database.db, stripe, actor, pay)) as { url: string }).url.split("/").at(-1)!;
    standIn.completeCheckout(sessionId, "declined");
    standIn.completeCheckout(sessionId, "visa");
    expect(await settleHostedReturn(database.db, stripe, { userId: user.id, orderNumber: due.number, paymentId: pay.attemptId, sessionId })).toBe("settled");
    await deliverWebhooks();
    expect(await balancePaymentView(database.db, user.id, due.number, pay.attemptId)).toMatchObject({ stage: "paid", payment: { status: "SUCCEEDED", failureCode: null } });
    // The late decline is placed when Stripe saw it, in this attempt: no phantom second attempt.
    expect(await trailOf(pay.journeyId)).toEqual(["hosted_page:ERROR:generic_decline", "hosted_page:VIEWED", "hosted_page:COMPLETED", "confirmation:VIEWED", "confirmation:COMPLETED"]);
    expect(await database.db.journey.count({ where: { userId: user.id, type: "balance_payment" } })).toBe(1);
  });

  it("on return, settles only the customer's own attempt on the session it opened", async () => {
    const { user, actor, order: due, request } = await customerWithCard();
    const pay = request({ kind: "hosted" });
    const sessionId = ((await payBalance(database.db, stripe, actor, pay)) as { url: string }).url.split("/").at(-1)!;
    const returned = { userId: user.id, orderNumber: due.number, paymentId: pay.attemptId, sessionId };
    // Back without paying (the browser's back button): still open, nothing settled.
    expect(await settleHostedReturn(database.db, stripe, returned)).toBe("pending");
    standIn.completeCheckout(sessionId, "visa");
    const { user: other } = await customer("Other Person");
    expect(await settleHostedReturn(database.db, stripe, { ...returned, userId: other.id })).toBe("not_found");
    expect(await settleHostedReturn(database.db, stripe, { ...returned, sessionId: "cs_test_forged" })).toBe("not_found");
    expect(await settleHostedReturn(database.db, stripe, { ...returned, sessionId: "cs_test_\u0000" })).toBe("not_found");
    expect((await database.db.payment.findUniqueOrThrow({ where: { id: pay.attemptId } })).status).toBe("PENDING");
    expect(await settleHostedReturn(database.db, stripe, returned)).toBe("settled");
    await deliverWebhooks();
    expect((await database.db.order.findUniqueOrThrow({ where: { id: due.id } })).paidMinor).toBe(8900);
  });

  it("fails a hosted attempt whose page expired unpaid", async () => {
    const { user, actor, order: due, request } = await customerWithCard();
    const pay = request({ kind: "hosted" });
    const sessionId = ((await payBalance(database.db, stripe, actor, pay)) as { url: string }).url.split("/").at(-1)!;
    await stripe.checkout.sessions.expire(sessionId);
    await deliverWebhooks();
    expect(await balancePaymentView(database.db, user.id, due.number, pay.attemptId)).toMatchObject({ stage: "failed", payment: { failureCode: "checkout_expired" }, order: { status: "PENDING_PAYMENT" } });
  });

  it("does not move a paid order back when a failure arrives after the success", async () => {
    const { user, actor, card, order: due, request } = await customerWithCard();
    const pay = request({ kind: "saved", cardId: card.id });
    await payBalance(database.db, stripe, actor, pay);
    await deliverWebhooks();
    const succeeded = standIn.events().filter((e) => e.type === "payment_intent.succeeded").at(-1)!;
    const lateFailure = { ...succeeded, id: `evt_late_${crypto.randomUUID()}`, type: "payment_intent.payment_failed", data: { object: { ...succeeded.data.object, status: "requires_payment_method", last_payment_error: { code: "card_declined" } } } };
    expect(await receiveStripeWebhook(database.db, stripe, SECRET, signed(lateFailure))).toEqual({ status: 200, body: { received: true } });
    expect(await balancePaymentView(database.db, user.id, due.number, pay.attemptId)).toMatchObject({ stage: "paid", order: { status: "PROCESSING" } });
    expect(await trailOf(pay.journeyId)).toEqual(["confirmation:VIEWED", "confirmation:COMPLETED"]);
  });

  it("answers another customer's payment as not found", async () => {
    const { order: due, request, actor, card } = await customerWithCard();
    const pay = request({ kind: "saved", cardId: card.id });
    await payBalance(database.db, stripe, actor, pay);
    await deliverWebhooks();
    const { user: other, actor: otherActor } = await customer("Other Person");
    expect(await balancePaymentView(database.db, other.id, due.number, pay.attemptId)).toBeNull();
    expect(await payBalance(database.db, stripe, otherActor, { ...request({ kind: "hosted" }), userId: other.id })).toEqual({ kind: "refused", reason: "not_found" });
  });
});

describe("refunds to card", () => {
  async function paidOrder(amountMinor: number, localPaidMinor = amountMinor) {
    const { user } = await customer();
    const stripeCustomer = await stripe.customers.create({});
    const card = standIn.attachTestCard(stripeCustomer.id);
    const intent = await stripe.paymentIntents.create({ amount: amountMinor, currency: "gbp", customer: stripeCustomer.id, payment_method: card.id, confirm: true, off_session: true });
    return order(user.id, { status: "DELIVERED", totalMinor: localPaidMinor, paidMinor: localPaidMinor, paymentIntentId: intent.id });
  }

  const refundRequests = (paymentIntentId: string) => standIn.requests().filter((r) => r.path === "/v1/refunds" && r.params.payment_intent === paymentIntentId);

  it("refunds once when Stripe's answer is lost and the outbox sends the same refund again", async () => {
    const paid = await paidOrder(3000);
    const refund = await database.db.$transaction((tx) => queueRefund(tx, { orderId: paid.id, amountMinor: 1000, reason: "return", idempotencyKey: `return:${paid.number}:1` }));
    standIn.dropResponses(2); // the first attempt, and the SDK's own retry of a closed connection
    await dueNow();
    expect((await deliverStripeOutbox(database.db, stripe)).refunds).toEqual({ delivered: 0, failed: 1 });
    expect((await database.db.refund.findUniqueOrThrow({ where: { id: refund.id } })).status).toBe("PENDING");
    await dueNow();
    expect((await deliverStripeOutbox(database.db, stripe)).refunds).toEqual({ delivered: 1, failed: 0 });

    const settled = await database.db.refund.findUniqueOrThrow({ where: { id: refund.id } });
    expect(settled).toMatchObject({ status: "SUCCEEDED", stripeRefundId: expect.stringMatching(/^re_/) });
    expect(await database.db.order.findUniqueOrThrow({ where: { id: paid.id } })).toMatchObject({ refundedMinor: 1000, paymentStatus: "PARTIALLY_REFUNDED" });
    const sent = refundRequests(paid.stripePaymentIntentId!);
    expect(sent.map((r) => [r.idempotencyKey, r.status, r.replayed])).toEqual([
      [`return:${paid.number}:1`, 200, false],
      [`return:${paid.number}:1`, 200, true],
      [`return:${paid.number}:1`, 200, true],
    ]);
    const intent = standIn.object(paid.stripePaymentIntentId!)!;
    expect(standIn.object(intent.latest_charge as string)?.amount_refunded).toBe(1000);
    // Stripe's refund webhooks for the same refund change nothing more.
    await deliverWebhooks();
    expect(await database.db.order.findUniqueOrThrow({ where: { id: paid.id } })).toMatchObject({ refundedMinor: 1000 });
  });

  it("keeps a refund pending through an outage and delivers it once when Stripe is back", async () => {
    const paid = await paidOrder(3000);
    const refund = await database.db.$transaction((tx) => queueRefund(tx, { orderId: paid.id, amountMinor: 3000, reason: "order_cancelled", idempotencyKey: `cancel:${paid.id}:1` }));
    standIn.setDown("reset");
    await dueNow();
    expect((await deliverStripeOutbox(database.db, stripe)).refunds).toEqual({ delivered: 0, failed: 1 });
    const waiting = await database.db.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: `refund:${refund.id}` } });
    expect(waiting).toMatchObject({ status: "PENDING", attempts: 1, lastError: expect.stringContaining("Stripe unreachable") });
    standIn.setDown(false);
    await dueNow();
    await deliverStripeOutbox(database.db, stripe);
    await dueNow();
    await deliverStripeOutbox(database.db, stripe);
    expect(refundRequests(paid.stripePaymentIntentId!).filter((r) => r.status === 200)).toHaveLength(1);
    expect(await database.db.order.findUniqueOrThrow({ where: { id: paid.id } })).toMatchObject({ refundedMinor: 3000, paymentStatus: "REFUNDED" });
  });

  it("fails a refund Stripe refuses as larger than what is left, visibly and without retrying", async () => {
    const paid = await paidOrder(2000, 3000); // our record says 30.00 was paid, Stripe holds 20.00
    const refund = await database.db.$transaction((tx) => queueRefund(tx, { orderId: paid.id, amountMinor: 2500, reason: "return", idempotencyKey: `return:${paid.number}:over` }));
    const errors: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      await dueNow();
      expect((await deliverStripeOutbox(database.db, stripe)).refunds).toEqual({ delivered: 1, failed: 0 });
    } finally {
      console.error = original;
    }
    expect(await database.db.refund.findUniqueOrThrow({ where: { id: refund.id } })).toMatchObject({ status: "FAILED", stripeRefundId: null });
    expect(await database.db.order.findUniqueOrThrow({ where: { id: paid.id } })).toMatchObject({ refundedMinor: 0, paymentStatus: "PAID" });
    expect(String(errors[0]?.[0])).toContain("amount_too_large: Refund amount (£25.00) is greater than unrefunded amount on charge (£20.00)");
    expect(await database.db.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: `refund:${refund.id}` } })).toMatchObject({ status: "DELIVERED", topic: REFUND_TOPIC });
  });

  it("lets a later failure undo a refund, but never lets a success arrive after a failure", async () => {
    const paid = await paidOrder(3000);
    const refund = await database.db.$transaction((tx) => queueRefund(tx, { orderId: paid.id, amountMinor: 3000, reason: "return", idempotencyKey: `return:${paid.number}:late` }));
    await dueNow();
    await deliverStripeOutbox(database.db, stripe);
    const { stripeRefundId } = await database.db.refund.findUniqueOrThrow({ where: { id: refund.id } });
    const event = (status: string) => ({ id: `evt_${crypto.randomUUID()}`, object: "event", type: "refund.updated", created: Math.floor(Date.now() / 1000), data: { object: { id: stripeRefundId, object: "refund", status, metadata: { waymark_refund_id: refund.id } } } });
    expect((await receiveStripeWebhook(database.db, stripe, SECRET, signed(event("failed")))).status).toBe(200);
    expect(await database.db.order.findUniqueOrThrow({ where: { id: paid.id } })).toMatchObject({ refundedMinor: 0, paymentStatus: "PAID" });
    await receiveStripeWebhook(database.db, stripe, SECRET, signed(event("succeeded")));
    expect(await database.db.refund.findUniqueOrThrow({ where: { id: refund.id } })).toMatchObject({ status: "FAILED" });
  });
});

describe("webhook verification", () => {
  it("answers unsigned, tampered, wrongly signed and stale deliveries with 400 and records nothing", async () => {
    const event = { id: `evt_${crypto.randomUUID()}`, object: "event", type: "refund.updated", created: 1, data: { object: { id: "re_x", object: "refund", status: "succeeded", metadata: {} } } };
    const good = signed(event);
    const attempts = [
      { payload: good.payload, signature: null },
      { payload: good.payload.replace("succeeded", "failed"), signature: good.signature },
      signed(event, { secret: "whsec_someone_else" }),
      signed(event, { timestamp: Math.floor(Date.now() / 1000) - 3600 }),
    ];
    for (const attempt of attempts) {
      const answer = await receiveStripeWebhook(database.db, stripe, SECRET, attempt);
      expect(answer.status).toBe(400);
      expect(answer.body.received).toBe(false);
    }
    expect(await database.db.processedWebhook.count({ where: { id: event.id } })).toBe(0);
  });

  it("refuses a delivery signed further ahead of the clock than the tolerance, which would stay replayable until then", async () => {
    const event = { id: `evt_${crypto.randomUUID()}`, object: "event", type: "refund.updated", created: 1, data: { object: { id: "re_future", object: "refund", status: "succeeded", metadata: {} } } };
    const now = Math.floor(Date.now() / 1000);
    const ahead = await receiveStripeWebhook(database.db, stripe, SECRET, signed(event, { timestamp: now + 3600 }));
    expect(ahead).toEqual({ status: 400, body: { received: false, error: "signature verification failed" } });
    expect(await database.db.processedWebhook.count({ where: { id: event.id } })).toBe(0);
    // A sender's clock a little ahead of ours is within the tolerance.
    expect((await receiveStripeWebhook(database.db, stripe, SECRET, signed(event, { timestamp: now + 60 }))).status).toBe(200);
  });

  it("answers 400 to a signed refund event whose metadata is not text, and changes nothing", async () => {
    const { user } = await customer();
    const paid = await order(user.id, { status: "DELIVERED", totalMinor: 3000, paidMinor: 3000, paymentIntentId: `pi_${crypto.randomUUID()}` });
    const refund = await database.db.$transaction((tx) => queueRefund(tx, { orderId: paid.id, amountMinor: 1000, reason: "return", idempotencyKey: `return:${paid.number}:numeric` }));
    const event = { id: `evt_${crypto.randomUUID()}`, object: "event", type: "refund.updated", created: 1, data: { object: { id: "re_numeric", object: "refund", status: "succeeded", metadata: { waymark_refund_id: 12345 } } } };
    const answer = await receiveStripeWebhook(database.db, stripe, SECRET, signed(event));
    expect(answer).toEqual({ status: 400, body: { received: false, error: "malformed event object" } });
    expect(await database.db.processedWebhook.count({ where: { id: event.id } })).toBe(0);
    expect(await database.db.refund.findUniqueOrThrow({ where: { id: refund.id } })).toMatchObject({ status: "PENDING" });
  });
});

describe("releasing an authorisation", () => {
  it("queues one release per PaymentIntent and cancels it at Stripe once", async () => {
    const { user } = await customer();
    const stripeCustomer = await stripe.customers.create({});
    const card = standIn.attachTestCard(stripeCustomer.id);
    const intent = await stripe.paymentIntents.create({ amount: 4200, currency: "gbp", customer: stripeCustomer.id, payment_method: card.id });
    const held = await order(user.id, { paymentIntentId: intent.id });
    for (let i = 0; i < 2; i++) {
      await database.db.$transaction((tx) => queueAuthorizationRelease(tx, { orderId: held.id, paymentIntentId: intent.id, idempotencyKey: `release:${held.id}` }));
    }
    expect(await database.db.outboxMessage.count({ where: { topic: RELEASE_TOPIC, dedupeKey: `release:${intent.id}` } })).toBe(1);
    await dueNow();
    expect((await deliverStripeOutbox(database.db, stripe)).releases).toEqual({ delivered: 1, failed: 0 });
    expect(standIn.object(intent.id)).toMatchObject({ status: "canceled", cancellation_reason: "abandoned" });
  });
});
