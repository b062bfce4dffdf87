import { describe, expect, it } from "vitest";
import { decidePage, needsPagePolicy } from "./page-policy";

const noCookies = { get: () => undefined };

describe("the page policy", () => {
  it("covers pages, route handlers and the rest of /ingest, not hashed assets or the event batches", () => {
    expect(["/", "/orders", "/api/health", "/ingest/flags/", "/signin"].filter(needsPagePolicy)).toEqual(["/", "/orders", "/api/health", "/ingest/flags/", "/signin"]);
    expect(["/_next/static/chunks/a.js", "/_next/image", "/ingest/e/", "/ingest/i/v0/e/"].filter(needsPagePolicy)).toEqual([]);
  });

  it("answers an address the framework cannot decode with 400 and the security headers", async () => {
    const decision = await decidePage({ method: "GET", pathname: "/orders/%E0%A4%A", https: false, cookies: noCookies });
    expect(decision.kind).toBe("bad-request");
    expect(decision.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("gives a page rendered per request a fresh nonce, in the policy the app reads and the one the browser gets", async () => {
    const nonceOf = async () => {
      const decision = await decidePage({ method: "GET", pathname: "/orders", https: true, cookies: noCookies });
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
