import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queueRefund, REFUND_TOPIC, RefundExceedsPaymentError } from "@/lib/payments/refunds";
import { freshDatabase, type FreshDatabase } from "../support/db";

let database: FreshDatabase;
let orderId: string;

beforeAll(async () => {
  database = await freshDatabase();
  const product = await database.db.product.create({ data: { name: "Mug", category: "home", variants: { create: { sku: "MUG-1", label: "Blue", priceMinor: 1000, currency: "EUR" } } }, include: { variants: true } });
  const user = await database.db.user.create({ data: { name: "Refund Tester", email: "refunds@example.com" } });
  const order = await database.db.order.create({
    data: {
      number: "WM-900001", userId: user.id, status: "DELIVERED", paymentStatus: "PAID", currency: "EUR", subtotalMinor: 3000, shippingMinor: 0, taxMinor: 0, totalMinor: 3000, paidMinor: 3000,
      shippingAddress: {}, stripePaymentIntentId: "pi_test_1", placedAt: new Date(), promisedDeliveryAt: new Date(),
      lines: { create: { variantId: product.variants[0].id, productName: "Mug", sku: "MUG-1", category: "home", quantity: 3, unitPriceMinor: 1000, taxMinor: 0 } },
    },
  });
  orderId = order.id;
});
afterAll(() => database.drop());

describe("queueing refunds", () => {
  it("queues one Stripe call per refund, and the same key twice is the same refund", async () => {
    const first = await database.db.$transaction((tx) => queueRefund(tx, { orderId, amountMinor: 1000, reason: "return", idempotencyKey: "return:r1" }));
    const again = await database.db.$transaction((tx) => queueRefund(tx, { orderId, amountMinor: 1000, reason: "return", idempotencyKey: "return:r1" }));
    expect(again.id).toBe(first.id);
    const queued = await database.db.outboxMessage.findMany({ where: { topic: REFUND_TOPIC } });
    expect(queued).toHaveLength(1);
    expect(queued[0].payload).toMatchObject({ refundId: first.id, paymentIntentId: "pi_test_1", amountMinor: 1000, idempotencyKey: "return:r1" });
  });

  it("never lets partial refunds of one order exceed what was paid, even when they race", async () => {
    const attempts = await Promise.allSettled(
      ["a", "b", "c"].map((key) => database.db.$transaction((tx) => queueRefund(tx, { orderId, amountMinor: 1500, reason: "return", idempotencyKey: `race:${key}` }))),
    );
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    const refused = attempts.find((a) => a.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(RefundExceedsPaymentError);
    const total = await database.db.refund.aggregate({ where: { orderId }, _sum: { amountMinor: true } });
    expect(total._sum.amountMinor).toBe(2500);
  });

  it("refuses amounts that are not positive whole minor units", async () => {
    await expect(database.db.$transaction((tx) => queueRefund(tx, { orderId, amountMinor: -5, reason: "x", idempotencyKey: "neg" }))).rejects.toThrow(/positive/);
    await expect(database.db.$transaction((tx) => queueRefund(tx, { orderId, amountMinor: 1.5, reason: "x", idempotencyKey: "frac" }))).rejects.toThrow(/positive/);
  });
});
