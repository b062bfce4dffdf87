import { describe, expect, it } from "vitest";
import { baseSecurityHeaders, contentSecurityPolicy, createNonce, dataAnswerHeaders, isMalformedAddress } from "./security-headers";

describe("security headers", () => {
  it("allows scripts and styles only with the response's nonce or our stylesheets' hashes, and nothing from elsewhere", () => {
    const policy = contentSecurityPolicy({ scripts: { nonce: "abc123" }, styleHashes: ["'sha256-css'"], formTargets: ["https://checkout.stripe.com"] });
    expect(policy).toBe(
      "default-src 'self'; script-src 'self' 'nonce-abc123' 'strict-dynamic'; style-src 'self' 'nonce-abc123' 'sha256-css'; style-src-attr 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self' https://checkout.stripe.com; frame-ancestors 'none'",
    );
    expect(contentSecurityPolicy({ scripts: { nonce: "n" }, https: true })).toMatch(/; upgrade-insecure-requests$/);
    expect(contentSecurityPolicy({ scripts: { nonce: "n" }, development: true })).toContain("'unsafe-eval'");
  });

  it("allows a prerendered page's inline scripts by their hashes alone: no nonce, no inline or eval", () => {
    const policy = contentSecurityPolicy({ scripts: { hashes: ["'sha256-a'", "'sha256-b'"] }, styleHashes: ["'sha256-css'"] });
    expect(policy).toContain("; script-src 'self' 'sha256-a' 'sha256-b'; style-src 'self' 'sha256-css'; style-src-attr 'unsafe-inline';");
    expect(policy).not.toMatch(/nonce|strict-dynamic|unsafe-eval|script-src[^;]*unsafe-inline/);
    for (const kept of ["object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'", "connect-src 'self'", "default-src 'self'"]) expect(policy).toContain(kept);
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

  it("gives a data answer every base header, a policy that allows nothing, and no caching or transforming", () => {
    const plain = dataAnswerHeaders(new Request("http://portal.test/ingest/e/"));
    expect(plain).toMatchObject({ ...baseSecurityHeaders({ https: false }), "content-security-policy": "default-src 'none'; frame-ancestors 'none'", "cache-control": "no-store, no-transform" });
    expect(plain["strict-transport-security"]).toBeUndefined();
    const behindTls = dataAnswerHeaders(new Request("http://portal.test/ingest/e/", { headers: { "x-forwarded-proto": "https, http" } }));
    expect(behindTls["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
  });

  it("knows a path the framework cannot decode", () => {
    for (const bad of ["/orders/%FF", "/orders/%C0%AF", "/orders/%E0%80", "/orders/abc%", "/orders/%00", "/returns/RT-1/photos/a%00b"]) expect(isMalformedAddress(bad), bad).toBe(true);
    for (const good of ["/orders/WM-100001", "/orders/Zo%C3%AB", "/ingest/e/", "/", "/signin"]) expect(isMalformedAddress(good), good).toBe(false);
  });

  it("knows a query carrying a NUL byte, and leaves a query it reads leniently alone", () => {
    for (const bad of ["?q=a%00b", "?%00", "?a=1&b=%00", "?q=a\u0000b"]) expect(isMalformedAddress("/orders", bad), bad).toBe(true);
    for (const good of ["", "?", "?q=linen+shirt", "?q=%FF", "?q=100%", "?q=Zo%C3%AB&page=2"]) expect(isMalformedAddress("/orders", good), good).toBe(false);
  });
});
