import { describe, expect, it } from "vitest";
import { baseSecurityHeaders, contentSecurityPolicy, createNonce, isMalformedPath } from "./security-headers";

describe("security headers", () => {
  it("allows scripts only with the response's nonce, styles with it or as our stylesheets' hashes, and nothing from elsewhere", () => {
    const policy = contentSecurityPolicy({ nonce: "abc123", styleHashes: ["'sha256-css1'", "'sha256-css2'"], formTargets: ["https://checkout.stripe.com"] });
    expect(policy).toBe(
      "default-src 'self'; script-src 'self' 'nonce-abc123' 'strict-dynamic'; style-src 'self' 'nonce-abc123' 'sha256-css1' 'sha256-css2'; style-src-attr 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self' https://checkout.stripe.com; frame-ancestors 'none'",
    );
    expect(contentSecurityPolicy({ nonce: "n", https: true })).toMatch(/; upgrade-insecure-requests$/);
    expect(contentSecurityPolicy({ nonce: "n", development: true })).toContain("'unsafe-eval'");
  });

  it("makes a different nonce every time", () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });

  it("sends HSTS only over HTTPS", () => {
    expect(baseSecurityHeaders({ https: false })["strict-transport-security"]).toBeUndefined();
    expect(baseSecurityHeaders({ https: true })["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
  });

  it("knows a path the framework cannot decode", () => {
    for (const bad of ["/orders/%FF", "/orders/%C0%AF", "/orders/%E0%80", "/orders/abc%", "/orders/%00", "/returns/RT-1/photos/a%00b"]) expect(isMalformedPath(bad), bad).toBe(true);
    for (const good of ["/orders/WM-100001", "/orders/Zo%C3%AB", "/ingest/e/", "/", "/signin"]) expect(isMalformedPath(good), good).toBe(false);
  });
});
