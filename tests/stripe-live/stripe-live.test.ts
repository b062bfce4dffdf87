// The live contract check: Waymark's own payment functions against Stripe's real test mode, for a
// machine with internet and a test key. Everything else in the suite runs against the stand-in,
// which only checks our side of the contract; this is where Stripe's side is checked.
//
//   STRIPE_LIVE_SECRET_KEY=sk_test_… npx vitest run tests/stripe-live
//
// Without the key the whole file is skipped (reported as skipped: not run, never as passed).
import crypto from "node:crypto";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { balancePaymentView, chargeSavedCard, payBalance } from "@/lib/payments/balance";
import { deliverRefund } from "@/lib/payments/refund-delivery";
import { queueRefund } from "@/lib/payments/refunds";
import { startCardSetup } from "@/lib/payments/payment-methods";
import { createStripeClient } from "@/lib/payments/stripe";
import type { TrailActor } from "@/lib/trail/server";
import { freshDatabase, type FreshDatabase } from "../support/db";

const liveKey = process.env.STRIPE_LIVE_SECRET_KEY;

describe.skipIf(!liveKey?.startsWith("sk_test_"))("Stripe test mode (live, needs STRIPE_LIVE_SECRET_KEY=sk_test_…)", () => {
  let database: FreshDatabase;
  let stripe: Stripe;
  let userId: string;
  let actor: TrailActor;
  let orderId: string;
  let orderNumber: string;

  beforeAll(async () => {
    database = await freshDatabase();
    stripe = createStripeClient({ secretKey: liveKey!, apiBase: null });
    const user = await database.db.user.create({ data: { name: "Live Check", email: `live-${crypto.randomUUID()}@example.com` } });
    userId = user.id;
    actor = { userId, distinctId: user.analyticsId, deviceClass: "DESKTOP", consent: false };
    const product = await database.db.product.create({ data: { name: "Live mug", category: "home", variants: { create: { sku: `LIVE-${crypto.randomUUID()}`, label: "Blue", priceMinor: 1250, currency: "GBP" } } }, include: { variants: true } });
    orderNumber = `WM-${600000 + crypto.randomInt(99999)}`;
    const order = await database.db.order.create({
      data: {
        number: orderNumber, userId, status: "PENDING_PAYMENT", paymentStatus: "FAILED", currency: "GBP", subtotalMinor: 1250, shippingMinor: 0, taxMinor: 0, totalMinor: 1250, paidMinor: 0, balanceDueMinor: 1250,
        shippingAddress: {}, placedAt: new Date(), promisedDeliveryAt: new Date(),
        lines: { create: { variantId: product.variants[0].id, productName: "Live mug", sku: product.variants[0].sku, category: "home", quantity: 1, unitPriceMinor: 1250, taxMinor: 0 } },
      },
    });
    orderId = order.id;
  });
  afterAll(() => database?.drop());

  it("accepts the Checkout Sessions Waymark creates for saving a card and for paying a balance", async () => {
    const setup = await startCardSetup(database.db, stripe, { userId, journeyId: crypto.randomUUID(), returnUrlBase: "https://portal.example" });
    expect(setup.url).toMatch(/^https:\/\/checkout\.stripe\.com\//);
    const hosted = await payBalance(database.db, stripe, actor, { userId, orderNumber, attemptId: crypto.randomUUID(), journeyId: crypto.randomUUID(), method: { kind: "hosted" }, returnUrlBase: "https://portal.example" });
    expect(hosted).toMatchObject({ kind: "redirect", url: expect.stringMatching(/^https:\/\/checkout\.stripe\.com\//) });
  });

  it("charges a saved card off-session once per idempotency key, declines Stripe's declining test card, and refunds", async () => {
    const { stripeCustomerId } = await database.db.user.findUniqueOrThrow({ where: { id: userId } });
    const visa = await stripe.paymentMethods.attach("pm_card_visa", { customer: stripeCustomerId! });
    const paymentId = crypto.randomUUID();
    await database.db.payment.create({ data: { id: paymentId, orderId, kind: "BALANCE", amountMinor: 1250, currency: "GBP", status: "PENDING", idempotencyKey: `balance:${orderId}:${paymentId}` } });
    const payload = { paymentId, orderId, orderNumber, customerId: stripeCustomerId!, paymentMethodId: visa.id, amountMinor: 1250, currency: "GBP", idempotencyKey: `balance:${orderId}:${paymentId}`, journeyId: crypto.randomUUID() };
    expect(await chargeSavedCard(database.db, stripe, payload)).toBe("accepted");
    const { stripeId } = await database.db.payment.findUniqueOrThrow({ where: { id: paymentId } });
    const replayed = await stripe.paymentIntents.create(
      { amount: 1250, currency: "gbp", customer: stripeCustomerId!, payment_method: visa.id, confirm: true, off_session: true, automatic_payment_methods: { enabled: true, allow_redirects: "never" }, description: `Balance for order ${orderNumber}`, metadata: { waymark_purpose: "balance_payment", waymark_payment_id: paymentId, waymark_order_id: orderId, waymark_journey_id: payload.journeyId } },
      { idempotencyKey: payload.idempotencyKey },
    );
    expect(replayed.id).toBe(stripeId);

    const declining = await stripe.paymentMethods.attach("pm_card_chargeCustomerFail", { customer: stripeCustomerId! });
    const declinedId = crypto.randomUUID();
    await database.db.payment.create({ data: { id: declinedId, orderId, kind: "BALANCE", amountMinor: 1250, currency: "GBP", status: "PENDING", idempotencyKey: `balance:${orderId}:${declinedId}` } });
    expect(await chargeSavedCard(database.db, stripe, { ...payload, paymentId: declinedId, paymentMethodId: declining.id, idempotencyKey: `balance:${orderId}:${declinedId}` })).toBe("declined");
    expect((await balancePaymentView(database.db, userId, orderNumber, declinedId))?.payment.status).toBe("FAILED");

    await database.db.order.update({ where: { id: orderId }, data: { paidMinor: 1250, balanceDueMinor: 0, stripePaymentIntentId: stripeId } });
    const refund = await database.db.$transaction((tx) => queueRefund(tx, { orderId, amountMinor: 500, reason: "return", idempotencyKey: `live:${paymentId}` }));
    const delivered = await deliverRefund(database.db, stripe, { refundId: refund.id, paymentIntentId: stripeId, amountMinor: 500, currency: "GBP", idempotencyKey: `live:${paymentId}` });
    expect(delivered).toMatchObject({ outcome: "sent", stripeRefundId: expect.stringMatching(/^re_/) });
  });
});
