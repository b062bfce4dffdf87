import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { deliverNotificationEmails } from "@/lib/notify/delivery";
import { createCustomer, trailFor } from "@/lib/privacy/test-fixtures";
import { freshDatabase, type FreshDatabase } from "@/tests/support/db";
import { resetPassword, sha256, usableResetLink } from "./accounts";
import { adoptBrowserTimeZone, changePassword, confirmEmailChange, requestEmailChange, updateProfile } from "./profile";
import { confirmCurrentPassword } from "./reauth";
import { findLiveSession, openSession } from "./sessions";

let database: FreshDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.drop());

const BASE_URL = "http://portal.test";

function linkTokenIn(text: string): string {
  const match = /\/account\/confirm-email\/([A-Za-z0-9_-]+)/.exec(text);
  if (!match) throw new Error(`no confirmation link in: ${text}`);
  return match[1];
}

async function trailSteps(journeyId: string) {
  const events = await database.db.trailEvent.findMany({ where: { journeyId }, orderBy: { occurredAt: "asc" } });
  return events.map((e) => `${e.step}:${e.kind}${e.errorCode ? `:${e.errorCode}` : ""}`);
}

describe("profile", () => {
  it("saves name, phone, language and time zone and records the step", async () => {
    const customer = await createCustomer(database.db);
    const trail = trailFor(customer);
    await updateProfile(database.db, customer.id, { name: "Grace B. Hopper", phone: "+1 206 555 0100", locale: "fr", timeZone: "America/Los_Angeles" }, trail);
    expect(await database.db.user.findUniqueOrThrow({ where: { id: customer.id } })).toMatchObject({ name: "Grace B. Hopper", phone: "+1 206 555 0100", locale: "fr", timeZone: "America/Los_Angeles" });
    // The outcome is its step's view, then its completion (the journey rule).
    expect(await trailSteps(trail.journeyId)).toEqual(["saved:VIEWED", "saved:COMPLETED"]);
  });
});

describe("the time zone the browser reports", () => {
  it("is kept when the customer has none, and never replaces one they have", async () => {
    const customer = await createCustomer(database.db);
    expect(await adoptBrowserTimeZone(database.db, customer.id, "America/New_York")).toBe(true);
    // Another browser (a phone abroad) reports its own zone later: the first one stays.
    expect(await adoptBrowserTimeZone(database.db, customer.id, "Asia/Tokyo")).toBe(false);
    expect((await database.db.user.findUniqueOrThrow({ where: { id: customer.id } })).timeZone).toBe("America/New_York");
  });
});

describe("changing the sign-in email", () => {
  it("changes only after the link sent to the new address is opened, once, and tells the old address", async () => {
    const customer = await createCustomer(database.db, "Mover Person");
    const oldEmail = customer.email!;
    const newEmail = `moved-${customer.id}@example.com`;
    const trail = trailFor(customer);
    expect(await requestEmailChange(database.db, customer.id, newEmail, BASE_URL, trail)).toEqual({ ok: true });
    expect((await database.db.user.findUniqueOrThrow({ where: { id: customer.id } })).email).toBe(oldEmail);

    const [sent] = await database.db.emailMessage.findMany({ where: { to: newEmail } });
    expect(sent.subject).toBe("Confirm your new Waymark sign-in email");
    const token = linkTokenIn(sent.text);
    expect(await database.db.emailChangeRequest.count({ where: { tokenHash: token } })).toBe(0); // only its hash is stored

    expect(await confirmEmailChange(database.db, token, { ...trail, actor: { ...trail.actor, userId: null, distinctId: "anonymous-device" } })).toEqual({ ok: true, newEmail });
    expect((await database.db.user.findUniqueOrThrow({ where: { id: customer.id } })).email).toBe(newEmail);
    await deliverNotificationEmails(database.db, { baseUrl: BASE_URL, key: "profile-test-key" });
    const [notice] = await database.db.emailMessage.findMany({ where: { to: oldEmail } });
    expect(notice.subject).toBe("Your Waymark sign-in email was changed");
    expect(notice.text).not.toContain(newEmail);
    // The new address is told too, in the same words.
    expect(await database.db.emailMessage.count({ where: { to: newEmail, subject: notice.subject } })).toBe(1);

    expect(await confirmEmailChange(database.db, token, trail)).toEqual({ ok: false, reason: "invalid_or_expired" });
    expect(await trailSteps(trail.journeyId)).toEqual(["requested:VIEWED", "requested:COMPLETED", "confirmed:VIEWED", "confirmed:COMPLETED"]);
    // Recorded against the account even when confirmed from a browser that is not signed in.
    expect((await database.db.journey.findUniqueOrThrow({ where: { id: trail.journeyId } })).userId).toBe(customer.id);
  });

  it("only the latest link works", async () => {
    const customer = await createCustomer(database.db);
    await requestEmailChange(database.db, customer.id, `first-${customer.id}@example.com`, BASE_URL, trailFor(customer));
    await requestEmailChange(database.db, customer.id, `second-${customer.id}@example.com`, BASE_URL, trailFor(customer));
    const [first] = await database.db.emailMessage.findMany({ where: { to: `first-${customer.id}@example.com` } });
    expect(await confirmEmailChange(database.db, linkTokenIn(first.text), trailFor(customer))).toEqual({ ok: false, reason: "invalid_or_expired" });
  });

  it("does not reveal that an address has an account: that address is told instead, and nothing changes", async () => {
    const customer = await createCustomer(database.db);
    const other = await createCustomer(database.db, "Other Person");
    expect(await requestEmailChange(database.db, customer.id, other.email!, BASE_URL, trailFor(customer))).toEqual({ ok: true });
    const [told] = await database.db.emailMessage.findMany({ where: { to: other.email! } });
    expect(told.subject).toBe("Someone tried to use this address on Waymark");
    expect(told.text).not.toMatch(/confirm\?token=/);
    expect(await database.db.emailChangeRequest.count({ where: { userId: customer.id } })).toBe(0);
  });

  it("refuses the current address, and a link whose address was taken in the meantime", async () => {
    const customer = await createCustomer(database.db);
    expect(await requestEmailChange(database.db, customer.id, customer.email!, BASE_URL, trailFor(customer))).toEqual({ ok: false, reason: "same_email" });

    const wanted = `wanted-${customer.id}@example.com`;
    const asked = trailFor(customer);
    await requestEmailChange(database.db, customer.id, wanted, BASE_URL, asked);
    await database.db.user.create({ data: { name: "Quicker Person", email: wanted } });
    const [link] = await database.db.emailMessage.findMany({ where: { to: wanted } });
    expect(await confirmEmailChange(database.db, linkTokenIn(link.text), trailFor(customer))).toEqual({ ok: false, reason: "email_taken" });
    expect((await database.db.user.findUniqueOrThrow({ where: { id: customer.id } })).email).toBe(customer.email);
    // Refused in the attempt that asked for the link.
    expect(await trailSteps(asked.journeyId)).toEqual(["requested:VIEWED", "requested:COMPLETED", "confirmed:ERROR:email_taken"]);
  });
});

describe("changing the password", () => {
  it("ends every other session, keeps this one, and the new password is the one that works", async () => {
    const customer = await database.db.user.create({ data: { name: "Pat Password", email: "pat@example.com", passwordHash: await hashPassword("the-old-password") } });
    const here = await openSession(database.db, customer.id, "Mozilla/5.0 (X11; Linux x86_64) Chrome/159.0 Safari/537.36");
    const phone = await openSession(database.db, customer.id, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1");
    const tablet = await openSession(database.db, customer.id, "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) Safari/604.1");

    const result = await changePassword(database.db, { userId: customer.id, sessionId: here.id }, "a-brand-new-password", trailFor(customer));
    expect(result).toEqual({ endedSessions: 2 });
    expect(await findLiveSession(database.db, here.id)).not.toBeNull();
    expect(await findLiveSession(database.db, phone.id)).toBeNull();
    expect(await findLiveSession(database.db, tablet.id)).toBeNull();
    expect(await confirmCurrentPassword(database.db, customer.id, "a-brand-new-password")).toEqual({ ok: true });
    expect(await confirmCurrentPassword(database.db, customer.id, "the-old-password")).toEqual({ ok: false, reason: "wrong_password" });
    await deliverNotificationEmails(database.db, { baseUrl: BASE_URL, key: "profile-test-key" });
    expect(await database.db.emailMessage.count({ where: { to: "pat@example.com", subject: "Your Waymark password was changed" } })).toBe(1);
  });

  it("stops checking the password after five wrong guesses", async () => {
    const customer = await database.db.user.create({ data: { name: "Guess Target", email: "guess@example.com", passwordHash: await hashPassword("the-real-password") } });
    for (let i = 0; i < 5; i++) expect((await confirmCurrentPassword(database.db, customer.id, `guess-${i}`)).ok).toBe(false);
    expect(await confirmCurrentPassword(database.db, customer.id, "the-real-password")).toMatchObject({ ok: false, reason: "too_many_attempts" });
  });
});

describe("a credential change voids the account's other pending links", () => {
  /** A customer holding an unused reset link and an unconfirmed email change (as an attacker who briefly held the account might leave). */
  async function customerWithPendingLinks() {
    const customer = await database.db.user.create({ data: { name: "Pending Person", email: `pending-${crypto.randomUUID()}@example.com`, passwordHash: await hashPassword("the-old-password") } });
    const resetToken = `reset-${crypto.randomUUID()}`;
    await database.db.passwordResetToken.create({ data: { userId: customer.id, tokenHash: sha256(resetToken), expiresAt: new Date(Date.now() + 60 * 60 * 1000) } });
    const attackerEmail = `attacker-${customer.id}@example.com`;
    await requestEmailChange(database.db, customer.id, attackerEmail, BASE_URL, trailFor(customer));
    const [link] = await database.db.emailMessage.findMany({ where: { to: attackerEmail } });
    return { customer, resetToken, emailChangeToken: linkTokenIn(link.text) };
  }

  async function expectEmailUnchanged(customerId: string, email: string | null) {
    expect((await database.db.user.findUniqueOrThrow({ where: { id: customerId } })).email).toBe(email);
  }

  it("a password change voids the reset link and the pending email change", async () => {
    const { customer, resetToken, emailChangeToken } = await customerWithPendingLinks();
    const here = await openSession(database.db, customer.id, "Mozilla/5.0 (X11; Linux x86_64) Chrome/159.0 Safari/537.36");
    await changePassword(database.db, { userId: customer.id, sessionId: here.id }, "a-brand-new-password", trailFor(customer));
    expect(await usableResetLink(database.db, resetToken)).toBeNull();
    expect(await resetPassword(database.db, resetToken, "the-attackers-password")).toEqual({ ok: false, reason: "invalid_or_expired" });
    expect(await confirmEmailChange(database.db, emailChangeToken, trailFor(customer))).toEqual({ ok: false, reason: "invalid_or_expired" });
    await expectEmailUnchanged(customer.id, customer.email);
  });

  it("a password reset voids the pending email change and the account's other reset links", async () => {
    const { customer, resetToken, emailChangeToken } = await customerWithPendingLinks();
    const otherResetToken = `reset-${crypto.randomUUID()}`;
    await database.db.passwordResetToken.create({ data: { userId: customer.id, tokenHash: sha256(otherResetToken), expiresAt: new Date(Date.now() + 60 * 60 * 1000) } });
    expect(await resetPassword(database.db, resetToken, "the-owners-new-password")).toMatchObject({ ok: true });
    expect(await usableResetLink(database.db, otherResetToken)).toBeNull();
    expect(await confirmEmailChange(database.db, emailChangeToken, trailFor(customer))).toEqual({ ok: false, reason: "invalid_or_expired" });
    await expectEmailUnchanged(customer.id, customer.email);
  });

  it("a confirmed email change voids the reset link", async () => {
    const { customer, resetToken, emailChangeToken } = await customerWithPendingLinks();
    expect(await confirmEmailChange(database.db, emailChangeToken, trailFor(customer))).toMatchObject({ ok: true });
    expect(await usableResetLink(database.db, resetToken)).toBeNull();
    expect(await resetPassword(database.db, resetToken, "someone-elses-password")).toEqual({ ok: false, reason: "invalid_or_expired" });
  });
});
