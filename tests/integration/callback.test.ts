import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ASK_FOR_NUMBER, callbackNumber } from "@/lib/cases/callback";
import { openCase } from "@/lib/cases/cases";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { createCustomer, createOrder } from "../support/orders";

let database: FreshDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.drop());

/** "Call me back" as the help in place sends it: the number to call first, then the case with it. */
const askForCallback = (userId: string, given: { callbackPhone?: string; savePhone?: "on" } = {}) =>
  database.db.$transaction(async (tx) => {
    const toCall = await callbackNumber(tx, userId, given);
    if (!toCall.ok) return toCall;
    const opened = await openCase(database.db, { userId, channel: "PHONE", reason: "callback:late_order:order_cancellation:lines", journeyId: crypto.randomUUID(), callbackPhone: toCall.phone }, tx);
    return { ...toCall, caseNumber: opened.number };
  });
const caseOf = (number: string) => database.db.case.findUniqueOrThrow({ where: { number } });

describe("a call back", () => {
  it("is not promised to a customer with no number anywhere: they are asked for one, and no case is opened", async () => {
    const customer = await createCustomer(database.db);
    expect(await askForCallback(customer.id)).toEqual({ ok: false, message: ASK_FOR_NUMBER });
    expect(await database.db.case.count({ where: { userId: customer.id } })).toBe(0);
  });

  it("goes to the number they give, kept on the profile only when they say so, and the agent's case carries it", async () => {
    const keeps = await createCustomer(database.db);
    await database.db.address.create({ data: { userId: keeps.id, fullName: "Ada", line1: "3 Saved St", city: "Leeds", postalCode: "LS1 1AA", country: "GB", isDefaultShipping: true } });
    const kept = await askForCallback(keeps.id, { callbackPhone: "07700 900123", savePhone: "on" });
    if (!kept.ok) throw new Error(kept.message);
    expect((await caseOf(kept.caseNumber)).callbackPhone).toBe("+447700900123");
    expect((await database.db.user.findUniqueOrThrow({ where: { id: keeps.id } })).phone).toBe("+447700900123");

    const once = await createCustomer(database.db);
    const given = await askForCallback(once.id, { callbackPhone: "+33 6 12 34 56 78" });
    if (!given.ok) throw new Error(given.message);
    expect((await caseOf(given.caseNumber)).callbackPhone).toBe("+33612345678");
    expect((await database.db.user.findUniqueOrThrow({ where: { id: once.id } })).phone).toBeNull();
    expect(await askForCallback(once.id, { callbackPhone: "12" })).toMatchObject({ ok: false, message: expect.stringMatching(/number/) });
  });

  it("reads a number without its country code where the customer's parcels go: a saved address, else their latest order's; with neither, asks for the country code", async () => {
    const ordered = await createCustomer(database.db);
    await createOrder(database.db, ordered.id);
    const given = await askForCallback(ordered.id, { callbackPhone: "030 1234567" });
    if (!given.ok) throw new Error(given.message);
    expect((await caseOf(given.caseNumber)).callbackPhone).toBe("+49301234567");

    const unknown = await createCustomer(database.db);
    expect(await askForCallback(unknown.id, { callbackPhone: "07700 900123" })).toEqual({
      ok: false,
      message: "We cannot tell which country this number is in. Include your country code, for example +44 20 7946 0000.",
    });
  });

  it("uses the number on the profile, else one on a saved address", async () => {
    const profiled = await createCustomer(database.db);
    await database.db.user.update({ where: { id: profiled.id }, data: { phone: "+447700900461" } });
    expect(await askForCallback(profiled.id)).toMatchObject({ ok: true, phone: "+447700900461" });
    const addressed = await createCustomer(database.db);
    await database.db.address.create({ data: { userId: addressed.id, fullName: "Bo", line1: "1 Road", city: "York", postalCode: "YO1 1AA", country: "GB", phone: "+447700900999" } });
    expect(await askForCallback(addressed.id)).toMatchObject({ ok: true, phone: "+447700900999" });
  });
});
