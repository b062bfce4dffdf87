import { describe, expect, it } from "vitest";
import { exchangeUrlSecret } from "./url-secret";

const TOKEN = "Zk3v9Qx2LmP0aB7cD4eF6gH8iJ1kL3mN";

describe("exchanging a secret from a URL", () => {
  it("redirects to the clean page and keeps the secret in an httpOnly cookie for that page only", () => {
    const response = exchangeUrlSecret(new Request(`http://portal.test/reset-password/${TOKEN}`), "password-reset", TOKEN, "/reset-password");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/reset-password");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    const cookie = response.headers.get("set-cookie")!;
    expect(cookie).toMatch(new RegExp(`^waymark_reset_token=${TOKEN}; Path=/reset-password; Max-Age=3600; HttpOnly; SameSite=Lax$`));
  });

  it("marks the cookie Secure when served over HTTPS, directly or behind a proxy", () => {
    const direct = exchangeUrlSecret(new Request("https://portal.test/x"), "checkout-session", "cs_test_a1B2c3", "/account/payment-methods/added");
    const proxied = exchangeUrlSecret(new Request("http://portal.test/x", { headers: { "x-forwarded-proto": "https" } }), "checkout-session", "cs_test_a1B2c3", "/account/payment-methods/added");
    for (const response of [direct, proxied]) expect(response.headers.get("set-cookie")).toMatch(/; Secure$/);
  });

  it("stores nothing of a value that is not shaped like the secret, and clears an older one", () => {
    for (const hostile of ["short", `${TOKEN}; Path=/; Domain=evil.example`, `${TOKEN}\r\nSet-Cookie: x=1`, null]) {
      const response = exchangeUrlSecret(new Request("http://portal.test/account/confirm-email/x"), "email-change", hostile, "/account/confirm-email");
      expect(response.status).toBe(303);
      expect(response.headers.get("set-cookie")).toBe("waymark_email_token=; Path=/account/confirm-email; Max-Age=0; HttpOnly; SameSite=Lax");
    }
  });
});
