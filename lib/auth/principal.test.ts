// The principal is checked against the database on every request, not taken from the cookie: a
// revoked session or a disabled account stops being anyone at once, and each area lets in only its
// role. next-auth's cookie decoding is the one thing replaced: it hands over the session id a signed
// cookie would carry.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { openSession } from "@/lib/accounts/sessions";
import { notify } from "@/lib/notify/notify";
import { createCustomer } from "@/lib/privacy/test-fixtures";
import { freshDatabase, type FreshDatabase } from "@/tests/support/db";

const cookie = vi.hoisted(() => ({ session: null as { sessionId?: unknown } | null }));
vi.mock("./session-cookie", () => ({ sessionIdFromCookie: async () => (typeof cookie.session?.sessionId === "string" ? cookie.session.sessionId : null) }));

let database: FreshDatabase;
let principal: typeof import("./principal");

beforeAll(async () => {
  database = await freshDatabase();
  // The principal uses the process-wide client, as in the portal.
  process.env.DATABASE_URL = database.url;
  principal = await import("./principal");
});
beforeEach(() => {
  cookie.session = null;
});
afterAll(async () => {
  const cached = globalThis as unknown as { waymarkDb?: { $disconnect(): Promise<void> } };
  await cached.waymarkDb?.$disconnect();
  delete cached.waymarkDb;
  await database.drop();
});

async function signedIn(role: "CUSTOMER" | "AGENT" | "ANALYST" = "CUSTOMER") {
  const user = await createCustomer(database.db);
  if (role !== "CUSTOMER") await database.db.user.update({ where: { id: user.id }, data: { role } });
  const session = await openSession(database.db, user.id, null);
  cookie.session = { sessionId: session.id };
  return { user, session };
}

/** Where redirect()/notFound() send the request (Next.js throws them as errors with a digest). */
async function outcome(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
    return "allowed";
  } catch (error) {
    const digest = String((error as { digest?: unknown }).digest ?? error);
    if (digest.startsWith("NEXT_REDIRECT")) return `redirect ${digest.split(";")[2]}`;
    if (digest.includes("404")) return "not found";
    throw error;
  }
}

describe("the principal", () => {
  it("is the session's account, read from the database", async () => {
    const { user, session } = await signedIn();
    expect(await principal.currentPrincipal()).toEqual({
      userId: user.id,
      sessionId: session.id,
      role: "CUSTOMER",
      name: user.name,
      email: user.email,
      analyticsId: user.analyticsId,
      analyticsConsent: user.analyticsConsent,
      timeZone: null,
      unreadMessages: 0,
    });
  });

  it("brings a customer's unread message count for the header, and a revoked session stops at once after being used", async () => {
    const { user, session } = await signedIn();
    await notify(database.db, { type: "new_device_sign_in", userId: user.id, eventKey: `test:${session.id}`, data: { device: "Firefox on Linux", at: new Date().toISOString() } });
    expect((await principal.currentPrincipal())?.unreadMessages).toBe(1);
    await database.db.notification.updateMany({ where: { userId: user.id }, data: { readAt: new Date() } });
    expect((await principal.currentPrincipal())?.unreadMessages).toBe(0);
    await database.db.authSession.update({ where: { id: session.id }, data: { revokedAt: new Date() } });
    expect(await principal.currentPrincipal()).toBeNull();
  });

  it("is nobody without a session, with a revoked one, or once the account is disabled", async () => {
    expect(await principal.currentPrincipal()).toBeNull();
    cookie.session = { sessionId: 42 };
    expect(await principal.currentPrincipal()).toBeNull();

    const revoked = await signedIn();
    await database.db.authSession.update({ where: { id: revoked.session.id }, data: { revokedAt: new Date() } });
    expect(await principal.currentPrincipal()).toBeNull();

    const disabled = await signedIn();
    await database.db.user.update({ where: { id: disabled.user.id }, data: { status: "DISABLED" } });
    expect(await principal.currentPrincipal()).toBeNull();
  });
});

describe("area checks", () => {
  it("send a visitor to sign in and come back, and staff to their own area", async () => {
    expect(await outcome(() => principal.requireCustomer("/orders?page=2"))).toBe(`redirect /signin?callbackUrl=${encodeURIComponent("/orders?page=2")}`);
    await signedIn("AGENT");
    expect(await outcome(() => principal.requireCustomer("/orders"))).toBe("redirect /agent");
    await signedIn("ANALYST");
    expect(await outcome(() => principal.requireCustomer("/orders"))).toBe("redirect /insights");
    await signedIn("CUSTOMER");
    expect(await outcome(() => principal.requireCustomer("/orders"))).toBe("allowed");
  });

  it("answer 404 to anyone outside a staff area's role, signed in or not", async () => {
    expect(await outcome(() => principal.requireStaff("AGENT"))).toBe("not found");
    await signedIn("CUSTOMER");
    expect(await outcome(() => principal.requireStaff("AGENT"))).toBe("not found");
    await signedIn("ANALYST");
    expect(await outcome(() => principal.requireStaff("AGENT"))).toBe("not found");
    expect(await outcome(() => principal.requireStaff("ANALYST"))).toBe("allowed");
    await signedIn("AGENT");
    expect(await outcome(() => principal.requireStaff("AGENT"))).toBe("allowed");
  });
});
