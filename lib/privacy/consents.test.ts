import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, type FreshDatabase } from "@/tests/support/db";
import { queuedPostHogEvents } from "@/tests/support/posthog-queue";
import { adoptDeviceDecline, currentPreferences, savePreferences } from "./consents";
import { createCustomer, trailFor } from "./test-fixtures";

let database: FreshDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.drop());

const choices = (granted: string[]) =>
  Object.fromEntries(["ORDER_UPDATES.EMAIL", "ORDER_UPDATES.SMS", "MARKETING.EMAIL", "MARKETING.SMS", "MARKETING.PHONE", "MARKETING.POST", "ANALYTICS.ANALYTICS"].map((k) => [k, granted.includes(k)]));

async function granted(userId: string) {
  return (await currentPreferences(database.db, userId)).filter((p) => p.granted).map((p) => p.key);
}

describe("communication preferences", () => {
  it("starts with order emails, heads-ups by email and analytics on, marketing off, none of them chosen yet", async () => {
    const customer = await createCustomer(database.db);
    const preferences = await currentPreferences(database.db, customer.id);
    expect(preferences.filter((p) => p.granted).map((p) => p.key)).toEqual(["ORDER_UPDATES.EMAIL", "PROACTIVE_NOTICES.EMAIL", "ANALYTICS.ANALYTICS"]);
    expect(preferences.every((p) => p.since === null)).toBe(true);
  });

  it("appends a timestamped record per changed choice and never rewrites history", async () => {
    const customer = await createCustomer(database.db);
    const first = await savePreferences(database.db, customer.id, choices(["ORDER_UPDATES.EMAIL", "MARKETING.EMAIL", "MARKETING.POST", "ANALYTICS.ANALYTICS"]), trailFor(customer));
    expect(first).toEqual({ ok: true, changed: 2 });
    const second = await savePreferences(database.db, customer.id, choices(["ORDER_UPDATES.EMAIL", "MARKETING.POST", "ANALYTICS.ANALYTICS"]), trailFor(customer));
    expect(second).toEqual({ ok: true, changed: 1 });
    // Submitting the same choices again (a replayed form) writes nothing.
    expect(await savePreferences(database.db, customer.id, choices(["ORDER_UPDATES.EMAIL", "MARKETING.POST", "ANALYTICS.ANALYTICS"]), trailFor(customer))).toEqual({ ok: true, changed: 0 });

    const history = await database.db.consentRecord.findMany({ where: { userId: customer.id }, orderBy: { createdAt: "asc" } });
    expect(history.map((r) => `${r.purpose}.${r.channel}=${r.granted}`).sort()).toEqual(["MARKETING.EMAIL=false", "MARKETING.EMAIL=true", "MARKETING.POST=true"]);
    expect(await granted(customer.id)).toEqual(["ORDER_UPDATES.EMAIL", "PROACTIVE_NOTICES.EMAIL", "MARKETING.POST", "ANALYTICS.ANALYTICS"]);
    const marketingEmail = (await currentPreferences(database.db, customer.id)).find((p) => p.key === "MARKETING.EMAIL")!;
    expect(marketingEmail.since).toEqual(history.filter((r) => r.channel === "EMAIL").at(-1)!.createdAt);
  });

  it("refuses text messages and calls without a phone number, and changes nothing", async () => {
    const customer = await createCustomer(database.db);
    expect(await savePreferences(database.db, customer.id, choices(["ORDER_UPDATES.EMAIL", "ORDER_UPDATES.SMS", "MARKETING.EMAIL", "ANALYTICS.ANALYTICS"]), trailFor(customer))).toEqual({ ok: false, reason: "phone_needed" });
    expect(await database.db.consentRecord.count({ where: { userId: customer.id } })).toBe(0);

    await database.db.user.update({ where: { id: customer.id }, data: { phone: "+44 7700 900123" } });
    expect(await savePreferences(database.db, customer.id, choices(["ORDER_UPDATES.EMAIL", "ORDER_UPDATES.SMS", "ANALYTICS.ANALYTICS"]), trailFor(customer))).toEqual({ ok: true, changed: 1 });
  });

  it("turning analytics off stops forwarding to PostHog, starting with the step that turned it off", async () => {
    const customer = await createCustomer(database.db);
    const trail = trailFor(customer);
    await savePreferences(database.db, customer.id, choices(["ORDER_UPDATES.EMAIL"]), trail);
    expect((await database.db.user.findUniqueOrThrow({ where: { id: customer.id } })).analyticsConsent).toBe(false);
    expect(await database.db.consentRecord.findMany({ where: { userId: customer.id }, select: { purpose: true, channel: true, granted: true } })).toEqual([
      { purpose: "ANALYTICS", channel: "ANALYTICS", granted: false },
    ]);
    const saved = await database.db.trailEvent.findMany({ where: { journeyId: trail.journeyId }, orderBy: { occurredAt: "asc" } });
    expect(saved).toMatchObject([{ step: "saved", kind: "VIEWED" }, { step: "saved", kind: "COMPLETED" }]);
    expect((await queuedPostHogEvents(database.db)).filter((e) => saved.some((step) => step.id === e.uuid))).toEqual([]);
  });
});

describe("a decline made in the browser before signing in", () => {
  const MINUTE = 60_000;
  const adopt = (userId: string, choice: "granted" | "denied", madeAt: Date | null) => database.db.$transaction((tx) => adoptDeviceDecline(tx, userId, { choice, madeAt }));
  const analytics = async (userId: string) => (await currentPreferences(database.db, userId)).find((p) => p.key === "ANALYTICS.ANALYTICS")!;

  it("turns the account's analytics off when it came after the account's choice, recorded at the time it was made", async () => {
    const customer = await createCustomer(database.db);
    const declinedAt = new Date(Date.now() - MINUTE);
    await database.db.user.update({ where: { id: customer.id }, data: { createdAt: new Date(Date.now() - 60 * MINUTE) } });
    await adopt(customer.id, "denied", declinedAt);
    expect(await analytics(customer.id)).toMatchObject({ granted: false, since: declinedAt });
    expect((await database.db.user.findUniqueOrThrow({ where: { id: customer.id } })).analyticsConsent).toBe(false);
    // Signing in again on that browser changes nothing more.
    await adopt(customer.id, "denied", declinedAt);
    expect(await database.db.consentRecord.count({ where: { userId: customer.id } })).toBe(1);
  });

  it("leaves a later choice on the account as it is, and turns nothing on", async () => {
    const customer = await createCustomer(database.db);
    const declinedAt = new Date(Date.now() - MINUTE);
    // Turned off, then on again in the account after the browser's decline.
    await savePreferences(database.db, customer.id, choices(["ORDER_UPDATES.EMAIL"]), trailFor(customer));
    await savePreferences(database.db, customer.id, choices(["ORDER_UPDATES.EMAIL", "ANALYTICS.ANALYTICS"]), trailFor(customer));
    await adopt(customer.id, "denied", declinedAt);
    expect((await analytics(customer.id)).granted).toBe(true);

    const declined = await createCustomer(database.db);
    await savePreferences(database.db, declined.id, choices(["ORDER_UPDATES.EMAIL"]), trailFor(declined));
    await adopt(declined.id, "granted", new Date());
    expect((await analytics(declined.id)).granted).toBe(false);
  });

  it("counts from the account's creation when it never chose, and ignores a decline of unknown time", async () => {
    const customer = await createCustomer(database.db);
    await adopt(customer.id, "denied", new Date(customer.createdAt.getTime() - MINUTE));
    await adopt(customer.id, "denied", null);
    expect((await analytics(customer.id)).granted).toBe(true);
  });

  it("takes a time ahead of the server's clock as now, so the customer's next choice still wins", async () => {
    const customer = await createCustomer(database.db);
    await adopt(customer.id, "denied", new Date(Date.now() + 365 * 24 * 60 * MINUTE));
    const since = (await analytics(customer.id)).since!;
    expect(since.getTime()).toBeLessThanOrEqual(Date.now());
    await savePreferences(database.db, customer.id, choices(["ORDER_UPDATES.EMAIL", "ANALYTICS.ANALYTICS"]), trailFor(customer));
    expect((await analytics(customer.id)).granted).toBe(true);
  });
});
