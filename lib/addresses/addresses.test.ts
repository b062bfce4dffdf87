import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "@/lib/generated/prisma/client";
import { freshDatabase, type FreshDatabase } from "@/tests/support/db";
import { createCustomer, HOME, placeOrder } from "@/lib/privacy/test-fixtures";
import { addAddress, deleteAddress, listAddresses, makeDefault, MAX_ADDRESSES, openOrdersUsingAddress, updateAddress } from "./addresses";
import type { AddressInput } from "./schema";

let database: FreshDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.drop());

const input = (overrides: Partial<AddressInput> = {}): AddressInput => ({ ...HOME, phone: null, isDefaultShipping: false, isDefaultBilling: false, ...overrides });
const tx = <T>(work: (t: Prisma.TransactionClient) => Promise<T>) => database.db.$transaction(work);

describe("the address book", () => {
  it("makes the first address the default for delivery and billing, and keeps one default of each", async () => {
    const customer = await createCustomer(database.db);
    const home = await tx((t) => addAddress(t, customer.id, input()));
    const work = await tx((t) => addAddress(t, customer.id, input({ line1: "Babbage House", line2: "5 Engine Lane", city: "Cambridge", postalCode: "CB2 1TN", isDefaultShipping: true })));
    expect(home.ok && work.ok).toBe(true);
    let book = await listAddresses(database.db, customer.id);
    expect(book.map((a) => [a.line1, a.isDefaultShipping, a.isDefaultBilling])).toEqual([
      ["Babbage House", true, false],
      ["27 Marchmont Street", false, true],
    ]);

    await tx((t) => makeDefault(t, customer.id, book[1].id, "shipping"));
    book = await listAddresses(database.db, customer.id);
    expect(book.filter((a) => a.isDefaultShipping).map((a) => a.line1)).toEqual(["27 Marchmont Street"]);
  });

  it("does not add the same address twice (a replayed form), whatever the spacing or case", async () => {
    const customer = await createCustomer(database.db);
    await tx((t) => addAddress(t, customer.id, input()));
    const again = await tx((t) => addAddress(t, customer.id, input({ line1: "27  marchmont street", postalCode: "WC1N 1AP" })));
    expect(again).toEqual({ ok: false, reason: "duplicate" });
    expect(await listAddresses(database.db, customer.id)).toHaveLength(1);
  });

  it("stops at the maximum number of addresses", async () => {
    const customer = await createCustomer(database.db);
    for (let i = 1; i <= MAX_ADDRESSES; i++) await tx((t) => addAddress(t, customer.id, input({ line1: `${i} Long Road` })));
    expect(await tx((t) => addAddress(t, customer.id, input({ line1: "One Too Many Road" })))).toEqual({ ok: false, reason: "too_many" });
  });

  it("finds nothing when another customer's address id is used, and changes nothing", async () => {
    const owner = await createCustomer(database.db, "Owner Person");
    const intruder = await createCustomer(database.db, "Intruder Person");
    const saved = await tx((t) => addAddress(t, owner.id, input()));
    if (!saved.ok) throw new Error("setup failed");
    expect(await tx((t) => updateAddress(t, intruder.id, saved.addressId, input({ line1: "1 Hijack Lane" })))).toEqual({ ok: false, reason: "not_found" });
    expect(await tx((t) => deleteAddress(t, intruder.id, saved.addressId))).toEqual({ ok: false, reason: "not_found" });
    expect(await tx((t) => makeDefault(t, intruder.id, saved.addressId, "billing"))).toEqual({ ok: false });
    const [kept] = await listAddresses(database.db, owner.id);
    expect(kept).toMatchObject({ id: saved.addressId, line1: HOME.line1, deletedAt: null });
  });
});

describe("deleting the default address", () => {
  it("passes its defaults to the oldest address left, so the account keeps a delivery address", async () => {
    const customer = await createCustomer(database.db);
    const home = await tx((t) => addAddress(t, customer.id, input()));
    const work = await tx((t) => addAddress(t, customer.id, input({ line1: "Babbage House", city: "Cambridge", postalCode: "CB2 1TN", isDefaultShipping: true })));
    if (!home.ok || !work.ok) throw new Error("setup failed");
    expect(await tx((t) => deleteAddress(t, customer.id, work.addressId))).toEqual({ ok: true, openOrdersKeepingOldAddress: [], defaultsMoved: ["shipping"] });
    expect((await listAddresses(database.db, customer.id)).map((a) => [a.line1, a.isDefaultShipping, a.isDefaultBilling])).toEqual([[HOME.line1, true, true]]);
    // The last address goes without an heir.
    expect(await tx((t) => deleteAddress(t, customer.id, home.addressId))).toEqual({ ok: true, openOrdersKeepingOldAddress: [], defaultsMoved: [] });
  });
});

describe("addresses used by open orders", () => {
  it("tells which open orders keep the old address when it is edited, and leaves the orders alone", async () => {
    const customer = await createCustomer(database.db);
    const saved = await tx((t) => addAddress(t, customer.id, input()));
    if (!saved.ok) throw new Error("setup failed");
    const preparing = await placeOrder(database.db, customer.id, "PROCESSING", { ...HOME, line1: "27 MARCHMONT STREET" });
    const unpaid = await placeOrder(database.db, customer.id, "PENDING_PAYMENT");
    await placeOrder(database.db, customer.id, "SHIPPED");
    await placeOrder(database.db, customer.id, "PROCESSING", { ...HOME, line1: "1 Elsewhere Road" });

    const result = await tx((t) => updateAddress(t, customer.id, saved.addressId, input({ line1: "12 New Street", postalCode: "WC1N 2AA" })));
    expect(result.ok && result.openOrdersKeepingOldAddress.map((o) => o.number).sort()).toEqual([preparing.number, unpaid.number].sort());
    const order = await database.db.order.findUniqueOrThrow({ where: { id: preparing.id } });
    expect(order.shippingAddress).toMatchObject({ line1: "27 MARCHMONT STREET" });
    expect(await openOrdersUsingAddress(database.db, customer.id, (await listAddresses(database.db, customer.id))[0])).toEqual([]);
  });

  it("names nothing when only the phone number changes, and names the orders when the address is deleted", async () => {
    const customer = await createCustomer(database.db);
    const saved = await tx((t) => addAddress(t, customer.id, input()));
    if (!saved.ok) throw new Error("setup failed");
    const open = await placeOrder(database.db, customer.id, "PROCESSING");
    const phoneOnly = await tx((t) => updateAddress(t, customer.id, saved.addressId, input({ phone: "+44 7700 900123" })));
    expect(phoneOnly.ok && phoneOnly.openOrdersKeepingOldAddress).toEqual([]);
    const deleted = await tx((t) => deleteAddress(t, customer.id, saved.addressId));
    expect(deleted).toEqual({ ok: true, openOrdersKeepingOldAddress: [{ number: open.number, status: "PROCESSING" }], defaultsMoved: [] });
    expect(await listAddresses(database.db, customer.id)).toEqual([]);
    expect(await tx((t) => deleteAddress(t, customer.id, saved.addressId))).toEqual({ ok: false, reason: "not_found" });
  });
});
