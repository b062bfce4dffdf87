// What a case opened from a customer's page says it is about, on a real PostgreSQL: only the
// customer's own order or return, whatever number the page's form carried.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCustomer, createOrder, createReturn } from "@/tests/support/orders";
import { freshDatabase, type FreshDatabase } from "@/tests/support/db";
import { customersOwnSubject, jointSubject, sameSubject } from "./subject";

let database: FreshDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.drop());

describe("customersOwnSubject", () => {
  it("names the customer's own order, and the order of their own return", async () => {
    const ada = await createCustomer(database.db, "Ada");
    const order = await createOrder(database.db, ada.id, { status: "DELIVERED" });
    const ret = await createReturn(database.db, order);
    expect(await customersOwnSubject(database.db, ada.id, { orderNumber: order.number })).toEqual({ orderId: order.id, returnId: null });
    expect(await customersOwnSubject(database.db, ada.id, { returnNumber: ret.number })).toEqual({ orderId: order.id, returnId: ret.id });
  });

  it("names nothing for another customer's order or return: a forged number attaches no one else's", async () => {
    const ada = await createCustomer(database.db, "Ada");
    const bob = await createCustomer(database.db, "Bob");
    const bobsOrder = await createOrder(database.db, bob.id, { status: "DELIVERED" });
    const bobsReturn = await createReturn(database.db, bobsOrder);
    expect(await customersOwnSubject(database.db, ada.id, { orderNumber: bobsOrder.number })).toEqual({ orderId: null, returnId: null });
    expect(await customersOwnSubject(database.db, ada.id, { returnNumber: bobsReturn.number })).toEqual({ orderId: null, returnId: null });
    expect(await customersOwnSubject(database.db, ada.id, {})).toEqual({ orderId: null, returnId: null });
  });
});

describe("whether two requests are about one thing", () => {
  const about = (orderId: string | null, returnId: string | null = null) => ({ orderId, returnId });

  it("is so when neither names another order or return than the other, and together they name what either did", () => {
    expect(sameSubject(about("order-1", "return-1"), about("order-1"))).toBe(true);
    expect(sameSubject(about(null), about("order-1", "return-1"))).toBe(true);
    expect(jointSubject(about(null), about("order-1", "return-1"))).toEqual(about("order-1", "return-1"));
    expect(jointSubject(about("order-1", "return-1"), about("order-1"))).toEqual(about("order-1", "return-1"));
  });

  it("is not so for two orders, or two returns of one order", () => {
    expect(sameSubject(about("order-1"), about("order-2"))).toBe(false);
    expect(sameSubject(about("order-1", "return-1"), about("order-1", "return-2"))).toBe(false);
  });
});
