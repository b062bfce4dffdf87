import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAddress } from "@/lib/addresses/addresses";
import { requestEmailChange } from "@/lib/accounts/profile";
import { openSession } from "@/lib/accounts/sessions";
import { hashPassword } from "@/lib/auth/password";
import { recordStep } from "@/lib/trail/server";
import { freshDatabase, type FreshDatabase } from "@/tests/support/db";
import { savePreferences } from "./consents";
import { buildCustomerExport } from "./export";
import { createCustomer, HOME, placeOrder, trailFor } from "./test-fixtures";

let database: FreshDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.drop());

describe("download my data", () => {
  it("holds the customer's profile, addresses, choices, orders, contacts, cases, credit and trail — and nobody else's", async () => {
    const me = await database.db.user.create({ data: { name: "Export Me", email: "export-me@example.com", phone: "+44 7700 900555", passwordHash: await hashPassword("secret-password-1") } });
    const someoneElse = await createCustomer(database.db, "Someone Else");
    const agent = await database.db.user.create({ data: { name: "Agent Smith", email: "agent-smith@waymark.test", role: "AGENT" } });

    await database.db.$transaction((tx) => addAddress(tx, me.id, { ...HOME, line2: null, phone: null, isDefaultShipping: true, isDefaultBilling: true }));
    await database.db.$transaction((tx) => addAddress(tx, someoneElse.id, { ...HOME, line1: "99 Other Street", line2: null, phone: null, isDefaultShipping: true, isDefaultBilling: true }));
    await savePreferences(database.db, me.id, { "ORDER_UPDATES.EMAIL": true, "MARKETING.POST": true, "ANALYTICS.ANALYTICS": true }, trailFor(me));
    await requestEmailChange(database.db, me.id, "export-me-new@example.com", "http://portal.test", trailFor(me));
    await openSession(database.db, me.id, "Mozilla/5.0 (X11; Linux x86_64) Chrome/159.0 Safari/537.36");
    const mine = await placeOrder(database.db, me.id, "DELIVERED");
    const theirs = await placeOrder(database.db, someoneElse.id, "DELIVERED");
    await database.db.storeCreditEntry.createMany({ data: [
      { userId: me.id, amountMinor: 1500, currency: "GBP", reason: "return" },
      { userId: me.id, amountMinor: -500, currency: "GBP", reason: "spent" },
    ] });
    const trail = trailFor(me);
    await database.db.$transaction((tx) => recordStep(tx, trail.actor, { journeyId: trail.journeyId, type: "profile_update", step: "saved", action: "completed" }));
    await database.db.contact.create({ data: { userId: me.id, channel: "PHONE", reason: "where is my parcel", loggedById: agent.id, journeyId: trail.journeyId, note: "Asked where the parcel is." } });
    await database.db.case.create({ data: { number: "CS-000001", userId: me.id, channel: "PHONE", reason: "late parcel", assignedToId: agent.id } });
    await database.db.case.create({ data: { number: "CS-000002", userId: someoneElse.id, channel: "CHAT", reason: "their case" } });

    const data = await buildCustomerExport(database.db, me.id, new Date("2026-01-02T03:04:05Z"));
    expect(data).toMatchObject({ format: "waymark-customer-data", version: 1, generatedAt: "2026-01-02T03:04:05.000Z", profile: { name: "Export Me", email: "export-me@example.com", phone: "+44 7700 900555" } });
    expect(data.addresses.map((a) => a.line1)).toEqual([HOME.line1]);
    expect(data.communicationPreferences.map((c) => `${c.purpose}.${c.channel}=${c.granted}`)).toEqual(["MARKETING.POST=true"]);
    expect(data.emailChanges.map((c) => c.newEmail)).toEqual(["export-me-new@example.com"]);
    expect(data.sessions).toHaveLength(1);
    expect(data.orders.map((o) => o.number)).toEqual([mine.number]);
    expect(data.storeCredit.balance).toEqual([{ currency: "GBP", amountMinor: 1000 }]);
    expect(data.contacts).toEqual([expect.objectContaining({ channel: "PHONE", reason: "where is my parcel", note: "Asked where the parcel is.", journeyId: trail.journeyId })]);
    expect(data.cases.map((c) => c.number)).toEqual(["CS-000001"]);
    expect(data.trail.map((j) => j.type)).toEqual(["communication_preferences", "email_change", "profile_update"]);
    expect(data.trail).toContainEqual(expect.objectContaining({ id: trail.journeyId, outcome: "COMPLETED", events: [expect.objectContaining({ step: "saved", kind: "VIEWED" }), expect.objectContaining({ step: "saved", kind: "COMPLETED" })] }));
    expect(data.emails.map((e) => e.subject)).toEqual(["Confirm your new Waymark sign-in email"]);

    const text = JSON.stringify(data);
    for (const foreign of [someoneElse.email!, "99 Other Street", theirs.number, "CS-000002", "Agent Smith", agent.id, someoneElse.id]) expect(text).not.toContain(foreign);
    // Secrets and internal keys never leave: password hash, token hashes, the confirmation link.
    expect(text).not.toMatch(/passwordHash|tokenHash|\$argon2|confirm\?token=|idempotencyKey/);
  });
});
