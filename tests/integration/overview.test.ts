// The overview's one query: orders on their way, open returns with the policy they were judged by,
// the last delivered orders, store credit, and only ever the signed-in customer's own.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customerOverview } from "@/lib/orders/queries";
import { DEFAULT_POLICY } from "@/lib/returns/policy";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { createCustomer, createOrder } from "../support/orders";

let database: FreshDatabase;
const DAY = 86_400_000;

beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.drop());

async function placed(userId: string, daysAgo: number, status: "PROCESSING" | "SHIPPED" | "DELIVERED" | "CANCELLED", lines = 1) {
  const order = await createOrder(database.db, userId, { status, lines: Array.from({ length: lines }, () => ({ quantity: 1, unitPriceMinor: 1000 })) });
  return database.db.order.update({ where: { id: order.id }, data: { placedAt: new Date(Date.now() - daysAgo * DAY) }, include: { lines: { orderBy: { id: "asc" } } } });
}

function parcel(orderId: string, shippedDaysAgo: number, expectedAt: Date, deliveredAt: Date | null = null) {
  return database.db.shipment.create({
    data: { orderId, carrier: "Parcelnet", trackingNumber: `T${crypto.randomUUID()}`, status: deliveredAt ? "DELIVERED" : "IN_TRANSIT", shippedAt: new Date(Date.now() - shippedDaysAgo * DAY), expectedAt, deliveredAt },
  });
}

function returnOf(order: { id: string; userId: string | null; currency: string }, status: "APPROVED" | "RECEIVED" | "REFUNDED", createdAt: Date) {
  return database.db.return.create({
    data: {
      number: `RT-${crypto.randomInt(500_000, 999_999)}`,
      orderId: order.id,
      userId: order.userId,
      status,
      resolution: "REFUND",
      method: "LABEL",
      policyVersion: DEFAULT_POLICY.version,
      refundMinor: 1000,
      currency: order.currency,
      idempotencyKey: crypto.randomUUID(),
      carrierCode: "LBL-1",
      createdAt,
    },
  });
}

describe("the overview", () => {
  it("shows the customer's orders on their way with their latest parcel, open returns with their policy and refunds, the last three orders delivered within 30 days and their store credit", async () => {
    const customer = await createCustomer(database.db);
    const other = await createCustomer(database.db);
    const processing = await placed(customer.id, 1, "PROCESSING", 2);
    const shipped = await placed(customer.id, 4, "SHIPPED");
    await parcel(shipped.id, 3, new Date(Date.now() + 5 * DAY));
    const latestExpected = new Date(Date.now() + 2 * DAY);
    await parcel(shipped.id, 2, latestExpected);
    await placed(customer.id, 2, "CANCELLED");
    const delivered = [];
    for (let i = 0; i < 4; i++) {
      delivered.push(await placed(customer.id, 10 + i, "DELIVERED", i + 1));
      await parcel(delivered[i].id, 9 + i, new Date(Date.now() - (7 + i) * DAY), new Date(Date.now() - (7 + i) * DAY));
    }
    const theirs = await placed(other.id, 0, "PROCESSING");
    const theirDelivered = await placed(other.id, 0, "DELIVERED");

    // No policy row yet: the version is written on first use, as when a return is judged.
    const approved = await returnOf(delivered[0], "APPROVED", new Date(Date.now() - DAY));
    const received = await returnOf(delivered[1], "RECEIVED", new Date(Date.now() - 2 * DAY));
    const refundAskedAt = new Date(Date.now() - DAY / 2);
    await database.db.refund.create({ data: { orderId: delivered[1].id, returnId: received.id, amountMinor: 1000, currency: delivered[1].currency, status: "PENDING", reason: "return", idempotencyKey: crypto.randomUUID(), createdAt: refundAskedAt } });
    await returnOf(delivered[2], "REFUNDED", new Date());
    await returnOf(theirDelivered, "APPROVED", new Date());

    // Store credit: the balance per currency, a spent-out currency left out, nobody else's counted.
    await database.db.storeCreditEntry.createMany({
      data: [
        { userId: customer.id, amountMinor: 1500, currency: "EUR", reason: "goodwill" },
        { userId: customer.id, amountMinor: -500, currency: "EUR", reason: "spent" },
        { userId: customer.id, amountMinor: 700, currency: "USD", reason: "goodwill" },
        { userId: customer.id, amountMinor: -700, currency: "USD", reason: "spent" },
        { userId: customer.id, amountMinor: 300, currency: "GBP", reason: "goodwill" },
        { userId: other.id, amountMinor: 9900, currency: "EUR", reason: "goodwill" },
      ],
    });

    for (let view = 0; view < 2; view++) {
      const overview = await customerOverview(database.db, customer.id);
      expect(overview.ordersInProgress).toEqual([
        expect.objectContaining({ number: processing.number, status: "PROCESSING", lineCount: 2, placedAt: processing.placedAt, promisedDeliveryAt: processing.promisedDeliveryAt, expectedAt: null, deliveredAt: null, balanceDueMinor: 0, currency: processing.currency }),
        expect.objectContaining({ number: shipped.number, status: "SHIPPED", lineCount: 1, expectedAt: latestExpected, deliveredAt: null }),
      ]);
      expect(overview.returnsInProgress).toEqual([
        expect.objectContaining({ number: approved.number, status: "APPROVED", method: "LABEL", carrierCode: "LBL-1", pickupDate: null, orderNumber: delivered[0].number, refunds: [], createdAt: approved.createdAt, policy: DEFAULT_POLICY }),
        expect.objectContaining({ number: received.number, status: "RECEIVED", orderNumber: delivered[1].number, refunds: [{ status: "PENDING", createdAt: refundAskedAt }], policy: DEFAULT_POLICY }),
      ]);
      expect(overview.recentlyDelivered).toEqual(delivered.slice(0, 3).map((order) => ({ id: order.id, number: order.number, productNames: order.lines.map((line) => line.productName) })));
      expect(overview.credit).toEqual([{ currency: "EUR", balanceMinor: 1000 }, { currency: "GBP", balanceMinor: 300 }]);
      const shown = JSON.stringify(overview);
      expect(shown).not.toContain(theirs.number);
      expect(shown).not.toContain(theirDelivered.number);
    }
  });

  it("does not call an order delivered months ago recent", async () => {
    const customer = await createCustomer(database.db);
    const longAgo = await placed(customer.id, 210, "DELIVERED");
    await parcel(longAgo.id, 205, new Date(Date.now() - 200 * DAY), new Date(Date.now() - 200 * DAY));
    const lastMonth = await placed(customer.id, 35, "DELIVERED");
    await parcel(lastMonth.id, 31, new Date(Date.now() - 29 * DAY), new Date(Date.now() - 29 * DAY));
    expect((await customerOverview(database.db, customer.id)).recentlyDelivered.map((o) => o.number)).toEqual([lastMonth.number]);
  });

  it("reads a booked pickup's collection day as the carrier's day", async () => {
    const customer = await createCustomer(database.db);
    const pickup = await returnOf(await placed(customer.id, 10, "DELIVERED"), "APPROVED", new Date());
    await database.db.return.update({ where: { id: pickup.id }, data: { method: "PICKUP", pickupDate: new Date("2026-12-07") } });
    expect((await customerOverview(database.db, customer.id)).returnsInProgress).toEqual([expect.objectContaining({ number: pickup.number, method: "PICKUP", pickupDate: new Date("2026-12-07T00:00:00Z") })]);
  });

  it("is empty for a customer with nothing on the go", async () => {
    const customer = await createCustomer(database.db);
    expect(await customerOverview(database.db, customer.id)).toEqual({ ordersInProgress: [], returnsInProgress: [], recentlyDelivered: [], credit: [] });
  });
});
