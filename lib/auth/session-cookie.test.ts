// The session id comes only from a cookie this server encrypted, under the name next-auth gives it
// here (or its chunks); anything else is no one.
import { encode } from "next-auth/jwt";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const jar = vi.hoisted(() => new Map<string, string>());
vi.mock("next/headers", () => ({ cookies: async () => ({ get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined) }) }));

const SECRET = "session-cookie-test-secret";
let sessionIdFromCookie: typeof import("./session-cookie").sessionIdFromCookie;

beforeEach(async () => {
  process.env.NEXTAUTH_SECRET = SECRET;
  ({ sessionIdFromCookie } = await import("./session-cookie"));
});
afterEach(() => {
  jar.clear();
  delete process.env.NEXTAUTH_URL;
});

const token = (claims: Record<string, unknown>, secret = SECRET, maxAge = 3600) => encode({ token: claims, secret, maxAge });

describe("sessionIdFromCookie", () => {
  it("reads the session id next-auth's sign-in put in the cookie, on http and on https", async () => {
    jar.set("next-auth.session-token", await token({ sid: "ses_1" }));
    expect(await sessionIdFromCookie()).toBe("ses_1");
    jar.clear();
    process.env.NEXTAUTH_URL = "https://portal.example.com";
    jar.set("__Secure-next-auth.session-token", await token({ sid: "ses_2" }));
    expect(await sessionIdFromCookie()).toBe("ses_2");
  });

  it("on https, takes no session from a cookie planted under the plain name over http, signed out or after signing out", async () => {
    process.env.NEXTAUTH_URL = "https://portal.example.com";
    jar.set("next-auth.session-token", await token({ sid: "ses_planted" }));
    expect(await sessionIdFromCookie()).toBeNull();
    jar.set("__Secure-next-auth.session-token", await token({ sid: "ses_own" }));
    expect(await sessionIdFromCookie()).toBe("ses_own");
    // Signing out clears the customer's own cookie; the planted one is still there.
    jar.delete("__Secure-next-auth.session-token");
    expect(await sessionIdFromCookie()).toBeNull();
  });

  it("joins a cookie next-auth split into chunks", async () => {
    const whole = await token({ sid: "ses_3" });
    jar.set("next-auth.session-token.0", whole.slice(0, 40));
    jar.set("next-auth.session-token.1", whole.slice(40));
    expect(await sessionIdFromCookie()).toBe("ses_3");
  });

  it("is no one for a missing, forged, expired or id-less cookie", async () => {
    expect(await sessionIdFromCookie()).toBeNull();
    jar.set("next-auth.session-token", await token({ sid: "ses_4" }, "someone-elses-secret"));
    expect(await sessionIdFromCookie()).toBeNull();
    jar.set("next-auth.session-token", await token({ sid: "ses_5" }, SECRET, -60));
    expect(await sessionIdFromCookie()).toBeNull();
    jar.set("next-auth.session-token", await token({ role: "CUSTOMER" }));
    expect(await sessionIdFromCookie()).toBeNull();
    jar.set("next-auth.session-token", "not-a-token");
    expect(await sessionIdFromCookie()).toBeNull();
  });

  it("stops answering for a cookie once it has expired, even after it was read before", async () => {
    jar.set("next-auth.session-token", await token({ sid: "ses_6" }, SECRET, 60));
    expect(await sessionIdFromCookie()).toBe("ses_6");
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 120_000);
      expect(await sessionIdFromCookie()).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});
