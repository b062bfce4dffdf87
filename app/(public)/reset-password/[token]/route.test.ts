import { beforeEach, describe, expect, it, vi } from "vitest";

// The real route, link hand-over and principal modules; the request's cookies, the session table,
// the reset token's row and the attempt's storage are stood in for.
const session = vi.hoisted(() => ({ userId: null as string | null, lookUps: 0 }));
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }), headers: async () => new Headers({ "user-agent": "Mozilla/5.0" }) }));
vi.mock("@/lib/auth/session-cookie", () => ({ sessionIdFromCookie: async () => (session.userId ? "session-1" : null) }));
vi.mock("@/lib/auth/options", () => ({ authOptions: {} }));
vi.mock("@/lib/accounts/sessions", () => ({
  findLiveSession: async () => {
    session.lookUps += 1;
    return session.userId ? { user: { id: session.userId, role: "CUSTOMER", name: "Ada", email: "ada@example.com", analyticsId: "a-1", analyticsConsent: true, timeZone: null }, unreadMessages: 0 } : null;
  },
}));
vi.mock("@/lib/db/client", () => ({ db: () => ({}) }));
vi.mock("@/lib/accounts/accounts", () => ({ usableResetLink: async () => ({ type: "password_reset", userId: "customer-1", journeyId: "attempt-1" }) }));
const attempt = vi.hoisted(() => ({ handedOver: [] as string[], followed: [] as string[] }));
vi.mock("@/lib/trail/linked-attempt", () => ({
  handOverAttempt: async (_db: unknown, link: { journeyId: string }, deviceId: string) => void attempt.handedOver.push(`${link.journeyId} to ${deviceId}`),
  recordLinkFollowed: async (_db: unknown, actor: { userId: string | null }, link: { journeyId: string }, step: string) => void attempt.followed.push(`${link.journeyId}:${step} by ${actor.userId}`),
}));

const { GET } = await import("./route");
const open = () => GET(new Request("http://localhost/reset-password/a-token"), { params: Promise.resolve({ token: "a-token" }) });

beforeEach(() => {
  session.lookUps = 0;
  attempt.handedOver.length = 0;
  attempt.followed.length = 0;
});

describe("opening a password reset's emailed link", () => {
  it("looks the signed-in session up once, and continues the asking attempt in this browser", async () => {
    session.userId = "customer-1";
    const response = await open();
    expect(response.headers.get("location")).toBe("/reset-password");
    expect(attempt.handedOver).toHaveLength(1);
    expect(attempt.followed).toEqual(["attempt-1:email by customer-1"]);
    expect(session.lookUps).toBe(1);
  });

  it("takes nothing over in a browser where another customer is signed in", async () => {
    session.userId = "customer-2";
    await open();
    expect(attempt.handedOver).toEqual([]);
    expect(attempt.followed).toEqual([]);
    expect(session.lookUps).toBe(1);
  });
});
