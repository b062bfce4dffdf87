import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addressVersion } from "@/lib/addresses/addresses";
import { changeDeliveryAddress } from "@/lib/orders/delivery-address";
import type { TrailActor } from "@/lib/trail/server";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { createCustomer, createOrder } from "../support/orders";

let database: FreshDatabase;
let customer: { id: string; analyticsId: string };
let actor: TrailActor;
const newAddress = { fullName: "Ada L", line1: "2 New Road", line2: null, city: "London", region: null, postalCode: "WC1N 1AP", country: "GB" as const, phone: null, isDefaultShipping: false, isDefaultBilling: false };

beforeAll(async () => {
  database = await freshDatabase();
  customer = await createCustomer(database.db);
  actor = { userId: customer.id, distinctId: customer.analyticsId, deviceClass: "DESKTOP", consent: true };
});
afterAll(() => database.drop());

describe("changing where an order goes", () => {
  it("updates the order's snapshot before it ships, records the step and tells the back office", async () => {
    const order = await createOrder(database.db, customer.id);
    const journeyId = crypto.randomUUID();
    expect(await changeDeliveryAddress(database.db, { userId: customer.id, orderNumber: order.number, to: { address: newAddress }, journeyId, actor })).toEqual({ ok: true });
    const after = await database.db.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(after.shippingAddress).toMatchObject({ line1: "2 New Road", postalCode: "WC1N 1AP", country: "GB" });
    expect((await database.db.trailEvent.findMany({ where: { journeyId }, orderBy: { occurredAt: "asc" } })).map((e) => [e.step, e.kind])).toEqual([["confirmation", "VIEWED"], ["confirmation", "COMPLETED"]]);
    expect(await database.db.outboxMessage.count({ where: { topic: "backoffice.event", payload: { path: ["type"], equals: "order.address_changed" } } })).toBe(1);
  });

  it("changes nothing when the attempt's form comes again (resent, or from the page Back shows): the order keeps the address it was changed to", async () => {
    const order = await createOrder(database.db, customer.id);
    const saved = await database.db.address.create({ data: { userId: customer.id, fullName: "Ada", line1: "4 Chosen Road", city: "Leeds", postalCode: "LS2 2AA", country: "GB" } });
    const journeyId = crypto.randomUUID();
    expect(await changeDeliveryAddress(database.db, { userId: customer.id, orderNumber: order.number, to: { address: newAddress }, journeyId, actor })).toEqual({ ok: true });
    // Back, then "Deliver here" on the stale form that still offers the first address.
    expect(await changeDeliveryAddress(database.db, { userId: customer.id, orderNumber: order.number, to: { savedAddressId: saved.id }, journeyId, actor })).toEqual({ ok: true, replayed: true });
    expect((await database.db.order.findUniqueOrThrow({ where: { id: order.id } })).shippingAddress).toMatchObject({ line1: "2 New Road" });
    expect(await database.db.orderStatusChange.count({ where: { orderId: order.id, actor: "customer:delivery_address" } })).toBe(1);
    expect(await database.db.trailEvent.count({ where: { journeyId: { in: [journeyId] }, kind: { in: ["COMPLETED", "ERROR"] } } })).toBe(1);
    // Another customer's form naming this attempt is no replay of it.
    const other = await createCustomer(database.db, "Other");
    const theirs = await createOrder(database.db, other.id);
    const otherActor = { userId: other.id, distinctId: other.analyticsId, deviceClass: "DESKTOP" as const, consent: true };
    expect(await changeDeliveryAddress(database.db, { userId: other.id, orderNumber: theirs.number, to: { address: newAddress }, journeyId, actor: otherActor })).toEqual({ ok: true });
    expect((await database.db.order.findUniqueOrThrow({ where: { id: theirs.id } })).shippingAddress).toMatchObject({ line1: "2 New Road" });
  });

  it("refuses a form made before the address changed (the page Back showed, another tab): the change stays, the step failed with its code", async () => {
    const order = await createOrder(database.db, customer.id);
    const before = (await database.db.order.findUniqueOrThrow({ where: { id: order.id } })).shippingAddress;
    const saved = await database.db.address.create({ data: { userId: customer.id, fullName: "Ada", line1: "5 Other Road", city: "Leeds", postalCode: "LS3 3AA", country: "GB" } });
    const first = await changeDeliveryAddress(database.db, { userId: customer.id, orderNumber: order.number, to: { address: newAddress }, shownAddress: addressVersion(before), journeyId: crypto.randomUUID(), actor });
    expect(first).toEqual({ ok: true });

    // The first page again, as Back shows it: its form goes out with a new attempt id, as a browser's does.
    const journeyId = crypto.randomUUID();
    const stale = await changeDeliveryAddress(database.db, { userId: customer.id, orderNumber: order.number, to: { savedAddressId: saved.id }, shownAddress: addressVersion(before), journeyId, actor });
    expect(stale).toEqual({ ok: false, code: "address_changed_meanwhile" });
    const after = await database.db.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(after.shippingAddress).toMatchObject({ line1: "2 New Road" });
    expect(await database.db.trailEvent.findFirst({ where: { journeyId, kind: "ERROR" }, select: { step: true, errorCode: true } })).toEqual({ step: "address", errorCode: "address_changed_meanwhile" });
    // Reloaded, the page shows the address as it is, and its form goes through.
    expect(await changeDeliveryAddress(database.db, { userId: customer.id, orderNumber: order.number, to: { savedAddressId: saved.id }, shownAddress: addressVersion(after.shippingAddress), journeyId: crypto.randomUUID(), actor })).toEqual({ ok: true });
  });

  it("uses a saved address of the same customer only", async () => {
    const order = await createOrder(database.db, customer.id);
    const mine = await database.db.address.create({ data: { userId: customer.id, fullName: "Ada", line1: "3 Saved St", city: "Leeds", postalCode: "LS1 1AA", country: "GB" } });
    const stranger = await createCustomer(database.db, "Stranger");
    const theirs = await database.db.address.create({ data: { userId: stranger.id, fullName: "Them", line1: "9 Other St", city: "York", postalCode: "YO1 1AA", country: "GB" } });
    expect(await changeDeliveryAddress(database.db, { userId: customer.id, orderNumber: order.number, to: { savedAddressId: theirs.id }, journeyId: crypto.randomUUID(), actor })).toEqual({ ok: false, code: "address_not_found" });
    expect(await changeDeliveryAddress(database.db, { userId: customer.id, orderNumber: order.number, to: { savedAddressId: mine.id }, journeyId: crypto.randomUUID(), actor })).toEqual({ ok: true });
    expect((await database.db.order.findUniqueOrThrow({ where: { id: order.id } })).shippingAddress).toMatchObject({ line1: "3 Saved St" });
  });

  it("refuses once the order has shipped, and another customer's order is not found", async () => {
    const shipped = await createOrder(database.db, customer.id, { status: "SHIPPED" });
    expect(await changeDeliveryAddress(database.db, { userId: customer.id, orderNumber: shipped.number, to: { address: newAddress }, journeyId: crypto.randomUUID(), actor })).toEqual({ ok: false, code: "order_already_shipped" });
    expect((await database.db.order.findUniqueOrThrow({ where: { id: shipped.id } })).shippingAddress).toMatchObject({ line1: "1 Test Street" });
    // A cancelled order says so, not that it left the warehouse (found walking a cancelled order's address page).
    const cancelled = await createOrder(database.db, customer.id, { status: "CANCELLED" });
    const journeyId = crypto.randomUUID();
    expect(await changeDeliveryAddress(database.db, { userId: customer.id, orderNumber: cancelled.number, to: { address: newAddress }, journeyId, actor })).toEqual({ ok: false, code: "order_cancelled" });
    expect(await database.db.trailEvent.findMany({ where: { journeyId }, select: { step: true, kind: true, errorCode: true }, orderBy: { occurredAt: "asc" } })).toEqual([
      { step: "address", kind: "VIEWED", errorCode: null },
      { step: "address", kind: "ERROR", errorCode: "order_cancelled" },
    ]);
    const stranger = await createCustomer(database.db, "Stranger 2");
    const theirs = await createOrder(database.db, stranger.id);
    expect(await changeDeliveryAddress(database.db, { userId: customer.id, orderNumber: theirs.number, to: { address: newAddress }, journeyId: crypto.randomUUID(), actor })).toEqual({ ok: false, code: "order_not_found" });
  });

  it("refuses the address the order already goes to: nothing stored, sent or counted as done, the step failed with its code", async () => {
    const order = await createOrder(database.db, customer.id);
    const current = await database.db.address.create({ data: { userId: customer.id, fullName: "Test Customer", line1: "1 Test Street", city: "Berlin", postalCode: "10115", country: "DE" } });
    const journeyId = crypto.randomUUID();
    const sent = () => database.db.outboxMessage.count({ where: { topic: { in: ["backoffice.event", "notify.email", "notify.sms"] } } });
    const [outboxBefore, messagesBefore] = [await sent(), await database.db.notification.count()];
    expect(await changeDeliveryAddress(database.db, { userId: customer.id, orderNumber: order.number, to: { savedAddressId: current.id }, journeyId, actor })).toEqual({ ok: false, code: "address_unchanged" });
    expect(await database.db.orderStatusChange.count({ where: { orderId: order.id } })).toBe(0);
    expect([await sent(), await database.db.notification.count()]).toEqual([outboxBefore, messagesBefore]);
    expect((await database.db.trailEvent.findMany({ where: { journeyId }, orderBy: { occurredAt: "asc" } })).map((e) => [e.step, e.kind, e.errorCode])).toEqual([["address", "VIEWED", null], ["address", "ERROR", "address_unchanged"]]);
  });
});
