// The message types whose triggers live in payments, returns, problem reports and sign-in: each
// business event tells the customer once, however often it is reported (a replayed webhook, a
// second scan, a resubmitted form, the same device signing in again).
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticate } from "@/lib/accounts/accounts";
import { hashPassword } from "@/lib/auth/password";
import { formatDate as formatDateIn } from "@/lib/format/date";
import { formatMoney } from "@/lib/format/money";
import { customerMessages } from "@/lib/notify/message-centre";
import { cancelOrderLines } from "@/lib/orders/cancellation";
import { resolveProblem } from "@/lib/orders/problems";
import { failBalancePayment, settleBalancePayment } from "@/lib/payments/balance";
import { applyCarrierEvent } from "@/lib/returns/lifecycle";
import { activePolicy, publishPolicy } from "@/lib/returns/policy-store";
import { submitReturn } from "@/lib/returns/returns";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { createCustomer, createOrder } from "../support/orders";
import { createDeliveredOrder, createReturnCustomer } from "../support/returns-fixtures";

// Dates read as a customer in UTC would read them.
const READER = { timeZone: "UTC" };
const formatDate = (at: Date) => formatDateIn(at, READER.timeZone);

let database: FreshDatabase;

beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.drop());

const subjects = async (userId: string) => (await customerMessages(database.db, userId, READER)).map((m) => m.subject).toReversed();

/** An order waiting for `dueMinor`, and a pending attempt to pay it. */
async function balanceAttempt(dueMinor: number) {
  const customer = await createCustomer(database.db);
  const order = await createOrder(database.db, customer.id, { paid: false, lines: [{ quantity: 1, unitPriceMinor: dueMinor - 500 }] });
  await database.db.order.update({ where: { id: order.id }, data: { status: "PENDING_PAYMENT" } });
  const payment = await database.db.payment.create({ data: { orderId: order.id, kind: "BALANCE", amountMinor: dueMinor, currency: "EUR", status: "PENDING", idempotencyKey: crypto.randomUUID() } });
  return { customer, order, payment };
}

describe("payments of what is still due", () => {
  it("a payment Stripe confirms is told once, however often its webhook arrives", async () => {
    const { customer, order, payment } = await balanceAttempt(4200);
    const settle = () => database.db.$transaction((tx) => settleBalancePayment(tx, { paymentId: payment.id, paymentIntentId: `pi_${payment.id}`, amountMinor: 4200, journeyId: null }));
    expect(await settle()).toBe(true);
    expect(await settle()).toBe(false);
    const [message] = await customerMessages(database.db, customer.id, READER);
    expect(await subjects(customer.id)).toEqual([`We have received your payment of ${formatMoney(4200, "EUR")}`]);
    expect(message.paragraphs).toContain("Nothing more is due on this order; we prepare it for shipping.");
    expect(message.action.path).toBe(`/orders/${order.number}`);
  });

  it("a declined saved-card charge is told once, with the way to pay again", async () => {
    const { customer, order, payment } = await balanceAttempt(3100);
    const fail = () => database.db.$transaction((tx) => failBalancePayment(tx, { paymentId: payment.id, failureCode: "card_declined", stripeId: `pi_${payment.id}` }));
    expect(await fail()).toBe(true);
    expect(await fail()).toBe(false);
    const messages = await customerMessages(database.db, customer.id, READER);
    expect(messages.map((m) => m.subject)).toEqual([`Your payment for order ${order.number} did not go through`]);
    expect(messages[0].paragraphs[0]).toContain(formatMoney(3100, "EUR"));
    expect(messages[0].action.path).toBe(`/orders/${order.number}/pay`);
  });
});

describe("returns at the warehouse", () => {
  let serial = 0;
  const received = (reference: string) => ({ id: `evt_msg_${++serial}_${crypto.randomUUID().slice(0, 6)}`, type: "return.received" as const, occurredAt: new Date().toISOString(), data: { reference } });

  async function submitted(resolution: "REFUND" | "EXCHANGE") {
    const customer = await createReturnCustomer(database.db);
    const { order, lines, products } = await createDeliveredOrder(database.db, customer.user.id, { lines: [{ quantity: 2, unitPriceMinor: 3000, taxMinor: 0 }] });
    const outcome = await submitReturn(database.db, {
      userId: customer.user.id,
      actor: customer.actor,
      journeyId: crypto.randomUUID(),
      request: {
        orderNumber: order.number,
        idempotencyKey: crypto.randomUUID(),
        resolution,
        method: "DROP_OFF",
        lines: [{ lineId: lines[0].id, quantity: 2, reason: "damaged", note: null, photo: null, exchangeVariantId: resolution === "EXCHANGE" ? products[0].variants[1].id : null }],
      },
    });
    if (!outcome.ok) throw new Error(`return refused: ${outcome.code}`);
    return { userId: customer.user.id, number: outcome.returnNumber };
  }

  it("a refund return's arrival is told once, whatever the warehouse scans twice", async () => {
    const { userId, number } = await submitted("REFUND");
    expect(await applyCarrierEvent(database.db, received(number))).toBe("applied");
    expect(await applyCarrierEvent(database.db, received(number))).toBe("ignored");
    expect(await subjects(userId)).toEqual([`Return ${number} is submitted`, `Return ${number} has arrived`]);
  });

  it("an exchange is told twice: the parcel arrived, and the replacement is on its way (with how many items)", async () => {
    const { userId, number } = await submitted("EXCHANGE");
    await Promise.all([applyCarrierEvent(database.db, received(number)), applyCarrierEvent(database.db, received(number))]);
    expect(await subjects(userId)).toEqual([`Return ${number} is submitted`, `Return ${number} has arrived`, `Your exchange for return ${number} is on its way`]);
    const [shipped] = await customerMessages(database.db, userId, READER);
    expect(shipped.paragraphs[0]).toBe("Your 2 replacement items are on the way to you, at no cost.");
  });
});

describe("signing in", () => {
  const DESKTOP_CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
  const NEWER_DESKTOP_CHROME = DESKTOP_CHROME.replace("131.0.0.0", "132.0.0.0");
  const IPHONE_SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

  it("tells the customer of a kind of device the account never used, once per such sign-in, even with order updates turned off", async () => {
    const password = "a-long-enough-password";
    const user = await database.db.user.create({ data: { name: "Sam Signin", email: `${crypto.randomUUID()}@example.com`, role: "CUSTOMER", passwordHash: await hashPassword(password) } });
    await database.db.consentRecord.create({ data: { userId: user.id, purpose: "ORDER_UPDATES", channel: "EMAIL", granted: false } });
    const signIn = async (userAgent: string) => {
      const result = await authenticate(database.db, user.email!, password, { clientAddress: "127.0.0.1", userAgent });
      expect(result.ok).toBe(true);
    };
    // The first device, then the same kind again after a browser update: nothing to tell.
    await signIn(DESKTOP_CHROME);
    await signIn(NEWER_DESKTOP_CHROME);
    expect(await subjects(user.id)).toEqual([]);
    // A phone: new. Then the phone again: known.
    await signIn(IPHONE_SAFARI);
    await signIn(IPHONE_SAFARI);
    const messages = await customerMessages(database.db, user.id, READER);
    expect(messages.map((m) => m.subject)).toEqual(["New sign-in to your Waymark account"]);
    expect(messages[0].paragraphs[0]).toContain("Safari on iOS");
    // A security notice: emailed although order-update emails are off.
    expect(await database.db.outboxMessage.count({ where: { topic: "notify.email", payload: { path: ["to"], equals: user.email! } } })).toBe(1);
  });
});

// Publishes a new return policy for the whole database: nothing after it may depend on that policy.
describe("the store's policy, in the messages", () => {
  it("says when a refund lands and by when to send a return as the current policy says", async () => {
    const { rules } = await activePolicy(database.db);
    await publishPolicy(database.db, { ...rules, refund: { ...rules.refund, cardArrivalBusinessDays: { min: 2, max: 4 } }, sendBackWithinDays: 21 });

    const customer = await createCustomer(database.db);
    const order = await createOrder(database.db, customer.id);
    const actor = { userId: customer.id, distinctId: customer.analyticsId, deviceClass: "DESKTOP" as const, consent: true };
    const lines = order.lines.map((l) => ({ lineId: l.id, quantity: l.quantity }));
    await cancelOrderLines(database.db, { userId: customer.id, orderNumber: order.number, request: { lines }, journeyId: crypto.randomUUID(), actor });
    const [cancelled] = await customerMessages(database.db, customer.id, READER);
    expect(cancelled.paragraphs[1]).toBe(`We are refunding ${formatMoney(order.totalMinor, "EUR")} to your original payment method; your bank usually shows it within 2–4 working days.`);

    const before = Date.now();
    const returner = await createReturnCustomer(database.db);
    const delivered = await createDeliveredOrder(database.db, returner.user.id);
    await submitReturn(database.db, {
      userId: returner.user.id,
      actor: returner.actor,
      journeyId: crypto.randomUUID(),
      request: { orderNumber: delivered.order.number, idempotencyKey: crypto.randomUUID(), resolution: "REFUND", method: "DROP_OFF", lines: [{ lineId: delivered.lines[0].id, quantity: 1, reason: "damaged", note: null, photo: null, exchangeVariantId: null }] },
    });
    const [submitted] = await customerMessages(database.db, returner.user.id, READER);
    // The send-by date is 21 days from the submission (which happened between `before` and now).
    const sendBy = [before, Date.now()].map((t) => `Please send the items by ${formatDate(new Date(t + 21 * 86_400_000))}.`);
    expect(sendBy).toContain(submitted.paragraphs[2]);
  });
});

// Last: a replacement order takes the next number after the highest, which the returns fixtures would hand out next.
describe("a problem report settled in self-service", () => {
  /** A customer's delivered order with one damaged-able line, and a report of it settled as `resolution` (the same journey each call). */
  async function deliveredOrderReport(resolution: "RESHIP" | "STORE_CREDIT") {
    const customer = await createCustomer(database.db);
    const order = await createOrder(database.db, customer.id, { status: "DELIVERED", lines: [{ quantity: 1, unitPriceMinor: 3000 }] });
    const promised = new Date(Date.now() - 3 * 86_400_000);
    await database.db.order.update({ where: { id: order.id }, data: { promisedDeliveryAt: promised } });
    await database.db.shipment.create({ data: { orderId: order.id, carrier: "Parcelnet", trackingNumber: crypto.randomUUID(), status: "DELIVERED", shippedAt: promised, expectedAt: promised, deliveredAt: promised } });
    const actor = { userId: customer.id, distinctId: customer.analyticsId, deviceClass: "DESKTOP" as const, consent: true };
    const journeyId = crypto.randomUUID();
    const report = () => resolveProblem(database.db, { userId: customer.id, orderNumber: order.number, request: { kind: "damaged", lineIds: [order.lines[0].id], resolution }, journeyId, actor });
    return { customer, order, report };
  }

  it("settled with store credit is one message, with the credit and the new balance", async () => {
    const { customer, order, report } = await deliveredOrderReport("STORE_CREDIT");
    // Credit the customer already had, so the balance told is not just the amount added.
    await database.db.storeCreditEntry.create({ data: { userId: customer.id, amountMinor: 700, currency: "EUR", reason: "earlier" } });
    const outcome = await report();
    expect(outcome).toMatchObject({ ok: true, applied: "STORE_CREDIT" });
    const added = (outcome as { amountMinor: number }).amountMinor;
    const messages = await customerMessages(database.db, customer.id, READER);
    expect(messages.map((m) => m.subject)).toEqual([`We have put right the problem with order ${order.number}`]);
    expect(messages[0].paragraphs[1]).toBe(`We have added ${formatMoney(added, "EUR")} of store credit to your account, to spend at once; your balance is now ${formatMoney(700 + added, "EUR")}.`);
  });

  it("is told once per report, pointing at the free replacement order", async () => {
    const { customer, order, report } = await deliveredOrderReport("RESHIP");
    const outcome = await report();
    expect(outcome).toMatchObject({ ok: true, applied: "RESHIP" });
    expect(await report()).toMatchObject({ ok: true, replayed: true });
    const replacement = (outcome as { replacementOrderNumber: string }).replacementOrderNumber;
    const messages = await customerMessages(database.db, customer.id, READER);
    expect(messages.map((m) => m.subject)).toEqual([`We have put right the problem with order ${order.number}`]);
    expect(messages[0].paragraphs[1]).toContain(`free replacement (order ${replacement})`);
    expect(messages[0].action.path).toBe(`/orders/${replacement}`);
  });
});
