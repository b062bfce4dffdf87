import { describe, expect, it } from "vitest";
import { decidePage, needsPagePolicy } from "./page-policy";

const noCookies = { get: () => undefined };

describe("the page policy", () => {
  it("covers pages, route handlers and the rest of /ingest, not hashed assets or the event batches", () => {
    expect(["/", "/orders", "/api/health", "/ingest/flags/", "/signin"].filter(needsPagePolicy)).toEqual(["/", "/orders", "/api/health", "/ingest/flags/", "/signin"]);
    expect(["/_next/static/chunks/a.js", "/_next/image", "/ingest/e/", "/ingest/i/v0/e/"].filter(needsPagePolicy)).toEqual([]);
  });

  it("answers an address the framework cannot decode with 400 and the security headers", async () => {
    const decision = await decidePage({ method: "GET", pathname: "/orders/%E0%A4%A", search: "", https: false, cookies: noCookies });
    expect(decision.kind).toBe("bad-request");
    expect(decision.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("answers a NUL byte in the query with 400, before a page's search could take it to the database", async () => {
    for (const search of ["?q=a%00b", "?%00=1", "?status=DELIVERED&q=%00"]) {
      expect((await decidePage({ method: "GET", pathname: "/orders", search, https: false, cookies: noCookies })).kind, search).toBe("bad-request");
    }
    expect((await decidePage({ method: "GET", pathname: "/orders", search: "?q=linen%20shirt&from=2026-01-31", https: false, cookies: noCookies })).kind).toBe("pass");
  });

  it("gives a page rendered per request a fresh nonce, in the policy the app reads and the one the browser gets", async () => {
    const nonceOf = async () => {
      const decision = await decidePage({ method: "GET", pathname: "/orders", search: "", https: true, cookies: noCookies });
      if (decision.kind !== "pass") throw new Error(`expected the page to pass, got ${decision.kind}`);
      expect(decision.requestHeaders["content-security-policy"]).toBe(decision.headers["content-security-policy"]);
      expect(decision.headers["strict-transport-security"]).toMatch(/^max-age=/);
      return /'nonce-([^']+)'/.exec(decision.headers["content-security-policy"])?.[1];
    };
    const [first, second] = [await nonceOf(), await nonceOf()];
    expect(first).toBeTruthy();
    expect(first).not.toBe(second);
  });
});
