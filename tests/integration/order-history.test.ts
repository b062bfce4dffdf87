// The order history page's one query: what each row shows, the filters, paging, and that a customer
// only ever sees their own orders.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cancelOrderLines } from "@/lib/orders/cancellation";
import { orderHistory, PAGE_SIZE, parseHistoryQuery } from "@/lib/orders/history";
import type { TrailActor } from "@/lib/trail/server";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { createCustomer, createOrder } from "../support/orders";

let database: FreshDatabase;
const DAY = 86_400_000;

beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.drop());

/** An order placed `daysAgo` days ago whose lines are named `names`, in the order they were added. */
async function orderOf(userId: string, daysAgo: number, names: string[], status: "PROCESSING" | "SHIPPED" | "DELIVERED" | "CANCELLED" = "PROCESSING") {
  const order = await createOrder(database.db, userId, { status, lines: names.map(() => ({ quantity: 1, unitPriceMinor: 1000 })) });
  const lines = await database.db.orderLine.findMany({ where: { orderId: order.id }, orderBy: { id: "asc" } });
  await Promise.all(lines.map((line, i) => database.db.orderLine.update({ where: { id: line.id }, data: { productName: names[i], category: i === 0 ? "shoes" : "apparel" } })));
  return database.db.order.update({ where: { id: order.id }, data: { placedAt: new Date(Date.now() - daysAgo * DAY) } });
}

const history = (userId: string, params: Record<string, string> = {}) => orderHistory(database.db, userId, parseHistoryQuery(params));

describe("a customer's order history", () => {
  it("lists the customer's own orders newest first, a page at a time, with the total on every page", async () => {
    const ada = await createCustomer(database.db);
    const other = await createCustomer(database.db);
    const placed = [];
    for (let i = 0; i < PAGE_SIZE + 3; i++) placed.push(await orderOf(ada.id, i + 1, [`Ada item ${i}`]));
    const theirs = await orderOf(other.id, 0, ["Someone else's lamp"]);

    const first = await history(ada.id);
    expect(first.total).toBe(placed.length);
    expect(first.pages).toBe(2);
    expect(first.orders.map((o) => o.number)).toEqual(placed.slice(0, PAGE_SIZE).map((o) => o.number));
    const second = await history(ada.id, { page: "2" });
    expect(second.orders.map((o) => o.number)).toEqual(placed.slice(PAGE_SIZE).map((o) => o.number));
    expect(second.total).toBe(placed.length);
    // Past the last page: nothing listed, but the count (and so the pager) still holds.
    const beyond = await history(ada.id, { page: "9" });
    expect(beyond).toEqual({ orders: [], total: placed.length, pages: 2 });

    // Another customer's order is found by nobody else, not even by its number or product.
    const searches: Record<string, string>[] = [{}, { q: theirs.number }, { q: "lamp" }];
    for (const params of searches) {
      const found = await history(ada.id, params);
      expect(found.orders.map((o) => o.number)).not.toContain(theirs.number);
    }
    expect((await history(other.id)).orders.map((o) => o.number)).toEqual([theirs.number]);
  });

  it("shows an order's first three products, how many more it has, its thumbnail's category and when its latest parcel arrived", async () => {
    const customer = await createCustomer(database.db);
    const big = await orderOf(customer.id, 1, ["Trail Shoe", "Linen Shirt", "Wool Socks", "Rain Shell", "Beanie"], "DELIVERED");
    const delivered = new Date(Date.now() - DAY / 2);
    await database.db.shipment.create({ data: { orderId: big.id, carrier: "Parcelnet", trackingNumber: `T${crypto.randomUUID()}`, status: "DELIVERED", shippedAt: new Date(Date.now() - 3 * DAY), expectedAt: new Date(), deliveredAt: new Date(Date.now() - DAY) } });
    await database.db.shipment.create({ data: { orderId: big.id, carrier: "Parcelnet", trackingNumber: `T${crypto.randomUUID()}`, status: "DELIVERED", shippedAt: new Date(Date.now() - 2 * DAY), expectedAt: new Date(), deliveredAt: delivered } });
    const small = await orderOf(customer.id, 2, ["Candle"]);

    const { orders } = await history(customer.id);
    expect(orders).toEqual([
      expect.objectContaining({ number: big.number, status: "DELIVERED", productNames: ["Trail Shoe", "Linen Shirt", "Wool Socks"], lineCount: 5, firstCategory: "shoes", deliveredAt: delivered, totalMinor: big.totalMinor, currency: big.currency, balanceDueMinor: 0, placedAt: big.placedAt, promisedDeliveryAt: big.promisedDeliveryAt }),
      expect.objectContaining({ number: small.number, status: "PROCESSING", productNames: ["Candle"], lineCount: 1, firstCategory: "shoes", deliveredAt: null }),
    ]);
  });

  it("filters by status, dates, order number and product, taking the search's text literally", async () => {
    const customer = await createCustomer(database.db);
    const shirt = await orderOf(customer.id, 10, ["Linen Shirt 100% cotton"], "DELIVERED");
    const shoe = await orderOf(customer.id, 3, ["Trail_Shoe"], "SHIPPED");
    const cancelled = await orderOf(customer.id, 1, ["Linen Trousers"], "CANCELLED");
    const numbers = async (params: Record<string, string>) => (await history(customer.id, params)).orders.map((o) => o.number);
    const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10);

    expect(await numbers({ status: "CANCELLED" })).toEqual([cancelled.number]);
    expect(await numbers({ q: "linen" })).toEqual([cancelled.number, shirt.number]);
    expect(await numbers({ q: "100%" })).toEqual([shirt.number]);
    expect(await numbers({ q: "0%" })).toEqual([shirt.number]);
    expect(await numbers({ q: "l_nen" })).toEqual([]);
    expect(await numbers({ q: "trail_" })).toEqual([shoe.number]);
    expect(await numbers({ q: shoe.number.toLowerCase().replace("-", "") })).toEqual([shoe.number]);
    // Typed without its prefix, or read out in groups: still the order (found by a customer walk).
    const digits = shoe.number.replace(/^WM-/, "");
    expect(await numbers({ q: digits })).toEqual([shoe.number]);
    expect(await numbers({ q: `${digits.slice(0, 3)} ${digits.slice(3)}` })).toEqual([shoe.number]);
    expect(await numbers({ q: `wm ${digits}` })).toEqual([shoe.number]);
    expect(await numbers({ q: shoe.number.slice(0, -1) })).toContain(shoe.number);
    expect(await numbers({ from: day(5), to: day(2) })).toEqual([shoe.number]);
    expect(await numbers({ to: day(5) })).toEqual([shirt.number]);
    // A range typed the wrong way round is read the right way round, and says it was.
    expect(await numbers({ from: day(2), to: day(5) })).toEqual([shoe.number]);
    expect(parseHistoryQuery({ from: day(2), to: day(5) })).toMatchObject({ from: day(5), to: day(2), datesSwapped: true });
    expect(parseHistoryQuery({ from: day(5), to: day(2) })).toMatchObject({ datesSwapped: false });
    // A search longer than the box takes is not run, and the page is told so (it said nothing).
    expect(parseHistoryQuery({ q: "x".repeat(600) })).toMatchObject({ q: undefined, searchTooLong: true });
    expect(parseHistoryQuery({ q: "x".repeat(100) })).toMatchObject({ q: "x".repeat(100), searchTooLong: false });
    const none = await history(customer.id, { q: "no such thing" });
    expect(none).toEqual({ orders: [], total: 0, pages: 1 });
  });

  it("counts the orders matching the filters, not all of the customer's, on every page and past the last", async () => {
    const customer = await createCustomer(database.db);
    const shipped = [];
    for (let i = 0; i < PAGE_SIZE + 2; i++) shipped.push(await orderOf(customer.id, i + 1, [`Parcel ${i}`], "SHIPPED"));
    await orderOf(customer.id, 0, ["Returned lamp"], "CANCELLED");

    const first = await history(customer.id, { status: "SHIPPED" });
    expect(first).toMatchObject({ total: shipped.length, pages: 2 });
    expect(first.orders).toHaveLength(PAGE_SIZE);
    const second = await history(customer.id, { status: "SHIPPED", page: "2" });
    expect(second.orders.map((o) => o.number)).toEqual(shipped.slice(PAGE_SIZE).map((o) => o.number));
    expect(second).toMatchObject({ total: shipped.length, pages: 2 });
    expect(await history(customer.id, { status: "SHIPPED", page: "3" })).toEqual({ orders: [], total: shipped.length, pages: 2 });
    expect(await history(customer.id, { q: "lamp", page: "2" })).toEqual({ orders: [], total: 1, pages: 1 });
    expect((await history(customer.id)).total).toBe(shipped.length + 1);
  });

  it("shows each order's total with its cancelled items taken off, as its page and invoice do", async () => {
    const customer = await createCustomer(database.db);
    const actor: TrailActor = { userId: customer.id, distinctId: customer.analyticsId, deviceClass: "MOBILE", consent: false };
    // 2 × 15.00 (tax 6.00) and 1 × 10.00 (tax 2.00), shipping 5.00: 53.00.
    const order = await createOrder(database.db, customer.id, { lines: [{ quantity: 2, unitPriceMinor: 1500, taxMinor: 600 }, { quantity: 1, unitPriceMinor: 1000, taxMinor: 200 }], shippingMinor: 500 });
    const cancel = (lineId: string, quantity: number) =>
      cancelOrderLines(database.db, { userId: customer.id, orderNumber: order.number, request: { lines: [{ lineId, quantity }] }, journeyId: crypto.randomUUID(), actor });
    const listed = async () => (await history(customer.id)).orders.find((o) => o.number === order.number)!.totalMinor;
    expect(await listed()).toBe(5300);

    expect((await cancel(order.lines[0].id, 1)).ok).toBe(true);
    // One shoe at 15.00 and its 3.00 of tax off.
    expect(await listed()).toBe(3500);

    expect((await cancel(order.lines[0].id, 1)).ok).toBe(true);
    expect((await cancel(order.lines[1].id, 1)).ok).toBe(true);
    // Everything cancelled gives the shipping back too.
    expect(await listed()).toBe(0);
  });
});
