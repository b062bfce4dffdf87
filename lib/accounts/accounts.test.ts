// Sign-up, sign-in, password reset and sessions against a real PostgreSQL: what a customer (or
// someone holding an old link or an old cookie) would notice. The HTTP-level guessing and flooding
// cases are in tests/integration/account-takeover.test.ts.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { deliverDue } from "@/lib/outbox/outbox";
import { createCustomer } from "@/lib/privacy/test-fixtures";
import { freshDatabase, type FreshDatabase } from "@/tests/support/db";
import { authenticate, PASSWORD_RESET_TOPIC, requestPasswordReset, resetPassword, sendPasswordResetLinks, usableResetLink } from "./accounts";
import { findLiveSession, listLiveSessions, openSession, revokeAllSessions, revokeOwnSession } from "./sessions";

// Password hashes made, to tell what an anonymous request costs the server.
const hashing = vi.hoisted(() => ({ count: 0 }));
vi.mock("@/lib/auth/password", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/auth/password")>();
  return { ...real, hashPassword: (plain: string) => (hashing.count++, real.hashPassword(plain)) };
});

let database: FreshDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.drop());

const BASE_URL = "https://portal.test";
// Each test signs in from its own address, so no test spends another's budget.
const from = () => ({ clientAddress: `10.${[0, 0, 0].map(() => crypto.randomInt(1, 255)).join(".")}`, userAgent: "Mozilla/5.0 (Macintosh)" });
const uniqueEmail = () => `someone-${crypto.randomUUID()}@example.com`;

async function customerWithPassword(password: string, status: "ACTIVE" | "DISABLED" | "DELETED" = "ACTIVE") {
  const customer = await createCustomer(database.db);
  return database.db.user.update({ where: { id: customer.id }, data: { passwordHash: await hashPassword(password), status } });
}

/** Asks for a reset link as the form does, lets the worker send it, and reads the token from the email. */
async function resetLinkFor(email: string): Promise<string> {
  expect(await requestPasswordReset(database.db, email, BASE_URL, from().clientAddress)).toEqual({ ok: true });
  await deliverDue(database.db, PASSWORD_RESET_TOPIC, (rows) => sendPasswordResetLinks(database.db, rows));
  const email_ = await database.db.emailMessage.findFirstOrThrow({ where: { to: email }, orderBy: { createdAt: "desc" } });
  const match = new RegExp(`${BASE_URL}/reset-password/([A-Za-z0-9_-]+)`).exec(email_.text);
  if (!match) throw new Error(`no reset link in: ${email_.text}`);
  return match[1];
}

describe("signing in", () => {
  it("opens a live server-side session with the right password only", async () => {
    const customer = await customerWithPassword("correct-horse-battery");

    expect(await authenticate(database.db, customer.email!, "wrong-horse-battery", from())).toEqual({ ok: false, reason: "invalid" });
    const signedIn = await authenticate(database.db, customer.email!, "correct-horse-battery", from());
    if (!signedIn.ok) throw new Error("expected a session");
    expect(signedIn.user.id).toBe(customer.id);
    expect((await findLiveSession(database.db, signedIn.session.id))?.user.id).toBe(customer.id);
    expect(await database.db.authSession.count({ where: { userId: customer.id } })).toBe(1);
  });

  it("answers a disabled or deleted account, and an unknown email, as a wrong password", async () => {
    for (const status of ["DISABLED", "DELETED"] as const) {
      const customer = await customerWithPassword("correct-horse-battery", status);
      expect(await authenticate(database.db, customer.email!, "correct-horse-battery", from())).toEqual({ ok: false, reason: "invalid" });
      expect(await database.db.authSession.count({ where: { userId: customer.id } })).toBe(0);
    }
    expect(await authenticate(database.db, uniqueEmail(), "correct-horse-battery", from())).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("resetting a password", () => {
  it("sets the new password, ends every session, and the link works once", async () => {
    const customer = await customerWithPassword("the-old-password");
    const before = await openSession(database.db, customer.id, "Mozilla/5.0 (iPhone)");
    const token = await resetLinkFor(customer.email!);
    expect(await usableResetLink(database.db, token)).not.toBeNull();

    expect(await resetPassword(database.db, token, "the-new-password")).toMatchObject({ ok: true });

    expect(await findLiveSession(database.db, before.id)).toBeNull();
    expect((await authenticate(database.db, customer.email!, "the-old-password", from())).ok).toBe(false);
    expect((await authenticate(database.db, customer.email!, "the-new-password", from())).ok).toBe(true);
    expect(await usableResetLink(database.db, token)).toBeNull();
    expect(await resetPassword(database.db, token, "someone-elses-password")).toEqual({ ok: false, reason: "invalid_or_expired" });
    expect((await authenticate(database.db, customer.email!, "the-new-password", from())).ok).toBe(true);
  });

  it("refuses a made-up or used link without hashing the new password (anyone can send one, and each hash is 19 MiB and tens of milliseconds)", async () => {
    const customer = await customerWithPassword("the-old-password");
    const used = await resetLinkFor(customer.email!);
    expect(await resetPassword(database.db, used, "the-new-password")).toMatchObject({ ok: true });
    const before = hashing.count;
    const madeUp = Array.from({ length: 20 }, () => crypto.randomBytes(32).toString("base64url"));
    const answers = await Promise.all([...madeUp, used].map((token) => resetPassword(database.db, token, "an-attackers-password")));
    expect(answers).toEqual(Array(21).fill({ ok: false, reason: "invalid_or_expired" }));
    expect(hashing.count).toBe(before);
  });

  it("honours only the latest link, and no link after its hour", async () => {
    const customer = await customerWithPassword("the-old-password");
    const first = await resetLinkFor(customer.email!);
    const second = await resetLinkFor(customer.email!);
    expect(await resetPassword(database.db, first, "from-the-first-link")).toEqual({ ok: false, reason: "invalid_or_expired" });

    await database.db.passwordResetToken.updateMany({ where: { userId: customer.id, usedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await resetPassword(database.db, second, "from-the-late-link")).toEqual({ ok: false, reason: "invalid_or_expired" });
    expect((await authenticate(database.db, customer.email!, "the-old-password", from())).ok).toBe(true);
  });

  it("sends nothing to an address without an active account", async () => {
    const disabled = await customerWithPassword("whatever-password", "DISABLED");
    for (const email of [uniqueEmail(), disabled.email!]) {
      expect(await requestPasswordReset(database.db, email, BASE_URL, from().clientAddress)).toEqual({ ok: true });
    }
    await deliverDue(database.db, PASSWORD_RESET_TOPIC, (rows) => sendPasswordResetLinks(database.db, rows));
    expect(await database.db.emailMessage.count({ where: { to: disabled.email! } })).toBe(0);
  });
});

describe("sessions", () => {
  it("stop being live when revoked, expired, or the account is no longer active", async () => {
    const customer = await createCustomer(database.db);
    const [revoked, expired, live] = await Promise.all([0, 1, 2].map(() => openSession(database.db, customer.id, null)));
    await database.db.authSession.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
    await database.db.authSession.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });

    expect(await findLiveSession(database.db, revoked.id)).toBeNull();
    expect(await findLiveSession(database.db, expired.id)).toBeNull();
    expect(await findLiveSession(database.db, live.id)).not.toBeNull();
    expect((await listLiveSessions(database.db, customer.id)).map((s) => s.id)).toEqual([live.id]);
    // Signing out of the other devices counts only those still signed in, as the page listed them.
    const here = await openSession(database.db, customer.id, null);
    expect(await revokeAllSessions(database.db, customer.id, here.id)).toBe(1);
    expect(await revokeOwnSession(database.db, customer.id, expired.id)).toBe(false);
    expect((await listLiveSessions(database.db, customer.id)).map((s) => s.id)).toEqual([here.id]);

    await database.db.user.update({ where: { id: customer.id }, data: { status: "DISABLED" } });
    expect(await findLiveSession(database.db, live.id)).toBeNull();
  });

  it("can be ended only by their own account", async () => {
    const owner = await createCustomer(database.db);
    const other = await createCustomer(database.db);
    const session = await openSession(database.db, owner.id, null);

    expect(await revokeOwnSession(database.db, other.id, session.id)).toBe(false);
    expect(await findLiveSession(database.db, session.id)).not.toBeNull();
    expect(await revokeOwnSession(database.db, owner.id, session.id)).toBe(true);
    expect(await findLiveSession(database.db, session.id)).toBeNull();
  });
});
