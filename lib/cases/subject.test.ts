// What a case opened from a customer's page says it is about, on a real PostgreSQL: only the
// customer's own order or return, whatever number the page's form carried.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCustomer, createOrder } from "@/tests/support/orders";
import { freshDatabase, type FreshDatabase } from "@/tests/support/db";
import { customersOwnSubject } from "./subject";

let database: FreshDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.drop());

async function returnOf(order: { id: string; userId: string | null; number: string }) {
  return database.db.return.create({
    data: { number: `RT-${crypto.randomUUID().slice(0, 8)}`, orderId: order.id, userId: order.userId, status: "REQUESTED", resolution: "REFUND", method: "DROP_OFF", policyVersion: 1, refundMinor: 0, currency: "EUR", idempotencyKey: crypto.randomUUID() },
  });
}

describe("customersOwnSubject", () => {
  it("names the customer's own order, and the order of their own return", async () => {
    const ada = await createCustomer(database.db, "Ada");
    const order = await createOrder(database.db, ada.id, { status: "DELIVERED" });
    const ret = await returnOf(order);
    expect(await customersOwnSubject(database.db, ada.id, { orderNumber: order.number })).toEqual({ orderId: order.id, returnId: null });
    expect(await customersOwnSubject(database.db, ada.id, { returnNumber: ret.number })).toEqual({ orderId: order.id, returnId: ret.id });
  });

  it("names nothing for another customer's order or return: a forged number attaches no one else's", async () => {
    const ada = await createCustomer(database.db, "Ada");
    const bob = await createCustomer(database.db, "Bob");
    const bobsOrder = await createOrder(database.db, bob.id, { status: "DELIVERED" });
    const bobsReturn = await returnOf(bobsOrder);
    expect(await customersOwnSubject(database.db, ada.id, { orderNumber: bobsOrder.number })).toEqual({ orderId: null, returnId: null });
    expect(await customersOwnSubject(database.db, ada.id, { returnNumber: bobsReturn.number })).toEqual({ orderId: null, returnId: null });
    expect(await customersOwnSubject(database.db, ada.id, {})).toEqual({ orderId: null, returnId: null });
  });
});
