import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invoicePayments, orderBilling } from "@/lib/orders/billing";
import { cancelOrderLines } from "@/lib/orders/cancellation";
import { findCustomerOrder } from "@/lib/orders/queries";
import { settleRefund } from "@/lib/payments/refund-delivery";
import type { TrailActor } from "@/lib/trail/server";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { createCustomer, createOrder } from "../support/orders";

let database: FreshDatabase;
let customer: { id: string; analyticsId: string };
let actor: TrailActor;

beforeAll(async () => {
  database = await freshDatabase();
  customer = await createCustomer(database.db);
  actor = { userId: customer.id, distinctId: customer.analyticsId, deviceClass: "DESKTOP", consent: true };
});
afterAll(() => database.drop());

const cancel = (orderNumber: string, lines: { lineId: string; quantity: number }[], journeyId = crypto.randomUUID(), userId = customer.id) =>
  cancelOrderLines(database.db, { userId, orderNumber, request: { lines }, journeyId, actor });

describe("cancelling an order before it ships", () => {
  it("cancels everything, refunds what was paid including shipping, and records the step", async () => {
    const order = await createOrder(database.db, customer.id);
    const journeyId = crypto.randomUUID();
    const outcome = await cancel(order.number, [{ lineId: order.lines[0].id, quantity: 2 }], journeyId);
    expect(outcome).toEqual({ ok: true, fullyCancelled: true, refundMinor: order.totalMinor, balanceReducedMinor: 0, replayed: false });
    const after = await database.db.order.findUniqueOrThrow({ where: { id: order.id }, include: { history: true, refunds: true } });
    expect(after.status).toBe("CANCELLED");
    expect(after.history.map((h) => [h.from, h.to, h.actor])).toEqual([["PROCESSING", "CANCELLED", "customer"]]);
    expect(after.refunds.map((r) => [r.amountMinor, r.status])).toEqual([[order.totalMinor, "PENDING"]]);
    const steps = await database.db.trailEvent.findMany({ where: { journeyId }, orderBy: { occurredAt: "asc" } });
    expect(steps.map((s) => [s.step, s.kind])).toEqual([["confirmation", "VIEWED"], ["confirmation", "COMPLETED"]]);

    // Replaying the same form cancels and refunds nothing more.
    const replay = await cancel(order.number, [{ lineId: order.lines[0].id, quantity: 2 }], journeyId);
    expect(replay).toMatchObject({ ok: true, replayed: true, refundMinor: 0 });
    expect(await database.db.refund.count({ where: { orderId: order.id } })).toBe(1);
  });

  it("cancels some items and refunds only those", async () => {
    const order = await createOrder(database.db, customer.id);
    const outcome = await cancel(order.number, [{ lineId: order.lines[0].id, quantity: 1 }]);
    expect(outcome).toEqual({ ok: true, fullyCancelled: false, refundMinor: 1800, balanceReducedMinor: 0, replayed: false });
    const after = await database.db.order.findUniqueOrThrow({ where: { id: order.id }, include: { lines: true } });
    expect(after.status).toBe("PROCESSING");
    expect(after.lines[0].cancelledQuantity).toBe(1);
  });

  it("on an unpaid order, reduces what is due instead of refunding", async () => {
    const order = await createOrder(database.db, customer.id, { status: "PENDING_PAYMENT", paid: false });
    const outcome = await cancel(order.number, [{ lineId: order.lines[0].id, quantity: 2 }]);
    expect(outcome).toMatchObject({ ok: true, fullyCancelled: true, refundMinor: 0, balanceReducedMinor: order.totalMinor });
    expect((await database.db.order.findUniqueOrThrow({ where: { id: order.id } })).balanceDueMinor).toBe(0);
  });

  it("releases the card authorisation of an order that was authorised but never charged", async () => {
    const order = await createOrder(database.db, customer.id);
    await database.db.order.update({ where: { id: order.id }, data: { paymentStatus: "AUTHORIZED" } });
    expect(await cancel(order.number, [{ lineId: order.lines[0].id, quantity: 2 }])).toMatchObject({ ok: true, fullyCancelled: true });
    expect(await database.db.refund.count({ where: { orderId: order.id } })).toBe(0);
    const [release] = await database.db.outboxMessage.findMany({ where: { topic: "stripe.release" } });
    expect(release.payload).toMatchObject({ orderId: order.id, paymentIntentId: order.stripePaymentIntentId });
  });

  it("refuses a shipped order, records why, and changes nothing", async () => {
    const order = await createOrder(database.db, customer.id, { status: "SHIPPED" });
    const journeyId = crypto.randomUUID();
    expect(await cancel(order.number, [{ lineId: order.lines[0].id, quantity: 1 }], journeyId)).toEqual({ ok: false, code: "order_already_shipped" });
    const after = await database.db.order.findUniqueOrThrow({ where: { id: order.id }, include: { lines: true, refunds: true } });
    expect(after.lines[0].cancelledQuantity).toBe(0);
    expect(after.refunds).toHaveLength(0);
    // No browser records here: the refusal says the form was seen, then why it was refused.
    const steps = await database.db.trailEvent.findMany({ where: { journeyId }, orderBy: { occurredAt: "asc" } });
    expect(steps.map((s) => [s.step, s.kind, s.errorCode])).toEqual([["lines", "VIEWED", null], ["lines", "ERROR", "order_already_shipped"]]);
  });

  it("finds nothing for another customer's order and refuses more than is left", async () => {
    const stranger = await createCustomer(database.db, "Stranger");
    const order = await createOrder(database.db, stranger.id);
    expect(await cancel(order.number, [{ lineId: order.lines[0].id, quantity: 1 }])).toEqual({ ok: false, code: "order_not_found" });
    expect(await cancel(order.number, [{ lineId: order.lines[0].id, quantity: 3 }], crypto.randomUUID(), stranger.id)).toEqual({ ok: false, code: "quantity_too_high" });
    expect((await database.db.orderLine.findUniqueOrThrow({ where: { id: order.lines[0].id } })).cancelledQuantity).toBe(0);
  });
});

describe("what the order page and the invoice bill after a cancellation", () => {
  const billed = async (number: string) => orderBilling((await findCustomerOrder(database.db, customer.id, number))!);
  const refunded = async (orderId: string) => (await database.db.refund.findMany({ where: { orderId } })).reduce((sum, r) => sum + r.amountMinor, 0);

  it("takes a cancelled item off the total, at what was refunded for it, and keeps the rest and the shipping", async () => {
    const order = await createOrder(database.db, customer.id, { lines: [{ quantity: 2, unitPriceMinor: 1500, taxMinor: 600 }, { quantity: 1, unitPriceMinor: 1000, taxMinor: 200 }] });
    await cancel(order.number, [{ lineId: order.lines[0].id, quantity: 1 }]);
    const billing = await billed(order.number);
    expect(billing).toMatchObject({ fullyCancelled: false, subtotalMinor: 2500, shippingMinor: 500, taxMinor: 500, totalMinor: 3500, cancelledMinor: 1800 });
    expect(billing.lines.map((l) => [l.billedQuantity, l.cancelledQuantity, l.amountMinor, l.cancelledMinor])).toEqual([[1, 1, 1800, 1800], [1, 0, 1200, 0]]);
    expect(billing.totalMinor).toBe(order.totalMinor - (await refunded(order.id)));
  });

  it("bills nothing once every item is cancelled in parts, tax to the last cent included", async () => {
    const order = await createOrder(database.db, customer.id, { lines: [{ quantity: 3, unitPriceMinor: 1000, taxMinor: 100 }] });
    await cancel(order.number, [{ lineId: order.lines[0].id, quantity: 1 }]);
    expect(await billed(order.number)).toMatchObject({ taxMinor: 67, totalMinor: 2000 + 67 + 500 });
    expect(order.totalMinor - (await refunded(order.id))).toBe(2000 + 67 + 500);
    await cancel(order.number, [{ lineId: order.lines[0].id, quantity: 1 }]);
    await cancel(order.number, [{ lineId: order.lines[0].id, quantity: 1 }]);
    expect(await billed(order.number)).toMatchObject({ fullyCancelled: true, subtotalMinor: 0, shippingMinor: 0, taxMinor: 0, totalMinor: 0, cancelledMinor: order.totalMinor });
    expect(await refunded(order.id)).toBe(order.totalMinor);
  });

  /** The rows under the invoice's total, as its page reads them: label and amount. */
  const paymentRows = async (number: string) => {
    const order = (await findCustomerOrder(database.db, customer.id, number))!;
    return invoicePayments({ ...order, refundingMinor: order.refunds.reduce((sum, r) => sum + r.amountMinor, 0) }).map((row) => [row.label, row.amountMinor]);
  };

  it("lists under the total what was paid, then what went back to the card for an item cancelled after payment", async () => {
    const order = await createOrder(database.db, customer.id, { lines: [{ quantity: 2, unitPriceMinor: 1500, taxMinor: 600 }] });
    await cancel(order.number, [{ lineId: order.lines[0].id, quantity: 1 }]);
    expect(await paymentRows(order.number)).toEqual([["Paid", 4100], ["Being refunded to your card", -1800]]);
    const [refund] = await database.db.refund.findMany({ where: { orderId: order.id } });
    await database.db.$transaction((tx) => settleRefund(tx, { refundId: refund.id, stripeRefundId: "re_e2e_1", stripeStatus: "succeeded" }));
    // Paid less refunded is the total billed: 4100 - 1800 = 2300.
    expect(await paymentRows(order.number)).toEqual([["Paid", 4100], ["Refunded to your card", -1800]]);
    expect((await billed(order.number)).totalMinor).toBe(2300);
  });

  it("lists no refund for an item cancelled before the order was paid: it is only off the total", async () => {
    const order = await createOrder(database.db, customer.id, { status: "PENDING_PAYMENT", paid: false, lines: [{ quantity: 2, unitPriceMinor: 1500, taxMinor: 600 }] });
    await cancel(order.number, [{ lineId: order.lines[0].id, quantity: 1 }]);
    expect(await paymentRows(order.number)).toEqual([]);
    // The rest paid, as Stripe's settled payment records it (lib/payments/balance.ts).
    await database.db.order.update({ where: { id: order.id }, data: { paidMinor: 2300, balanceDueMinor: 0, paymentStatus: "PAID", status: "PROCESSING" } });
    expect(await paymentRows(order.number)).toEqual([["Paid", 2300]]);
    expect((await billed(order.number)).totalMinor).toBe(2300);
  });
});
