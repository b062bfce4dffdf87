import { describe, expect, it } from "vitest";
import { actionRefusal, decidePage, needsPagePolicy } from "./page-policy";

const noCookies = { get: () => undefined };
const noHeaders = new Headers();

describe("the page policy", () => {
  it("covers pages, route handlers and the rest of /ingest, not hashed assets or the event batches", () => {
    expect(["/", "/orders", "/api/health", "/ingest/flags/", "/signin"].filter(needsPagePolicy)).toEqual(["/", "/orders", "/api/health", "/ingest/flags/", "/signin"]);
    expect(["/_next/static/chunks/a.js", "/_next/image", "/ingest/e/", "/ingest/i/v0/e/"].filter(needsPagePolicy)).toEqual([]);
  });

  it("answers an address the framework cannot decode with 400 and the security headers", async () => {
    const decision = await decidePage({ method: "GET", pathname: "/orders/%E0%A4%A", search: "", https: false, cookies: noCookies, headers: noHeaders });
    if (decision.kind !== "refused") throw new Error(`expected a refusal, got ${decision.kind}`);
    expect(decision.status).toBe(400);
    expect(decision.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("answers a NUL byte in the query with 400, before a page's search could take it to the database", async () => {
    for (const search of ["?q=a%00b", "?%00=1", "?status=DELIVERED&q=%00"]) {
      expect((await decidePage({ method: "GET", pathname: "/orders", search, https: false, cookies: noCookies, headers: noHeaders })).kind, search).toBe("refused");
    }
    expect((await decidePage({ method: "GET", pathname: "/orders", search: "?q=linen%20shirt&from=2026-01-31", https: false, cookies: noCookies, headers: noHeaders })).kind).toBe("pass");
  });

  it("shows a browser a page it can read and leave for such an address, and a script a line of text", async () => {
    const asked = (accept: string) => decidePage({ method: "GET", pathname: "/orders", search: "?q=%00", https: false, cookies: noCookies, headers: new Headers({ accept }) });
    const page = await asked("text/html,application/xhtml+xml,*/*;q=0.8");
    if (page.kind !== "refused") throw new Error(`expected a refusal, got ${page.kind}`);
    expect([page.status, page.headers["content-type"]]).toEqual([400, "text/html; charset=utf-8"]);
    expect(page.text).toContain("<h1>This address could not be read</h1>");
    expect(page.text).toContain('<a href="/orders">search your orders</a>');
    expect(page.headers["content-security-policy"]).toMatch(/^default-src 'none'/);
    expect(await asked("*/*")).toMatchObject({ status: 400, text: "Bad request: the address is not valid.", headers: { "content-type": "text/plain; charset=utf-8" } });
  });

  it("gives a page rendered per request a fresh nonce, in the policy the app reads and the one the browser gets", async () => {
    const nonceOf = async () => {
      const decision = await decidePage({ method: "GET", pathname: "/orders", search: "?q=WM-2", https: true, cookies: noCookies, headers: noHeaders });
      if (decision.kind !== "pass") throw new Error(`expected the page to pass, got ${decision.kind}`);
      expect(decision.requestHeaders["content-security-policy"]).toBe(decision.headers["content-security-policy"]);
      // And the address asked for, where a sign-in check sends the visitor back to.
      expect(decision.requestHeaders["x-waymark-path"]).toBe("/orders?q=WM-2");
      expect(decision.headers["strict-transport-security"]).toMatch(/^max-age=/);
      return /'nonce-([^']+)'/.exec(decision.headers["content-security-policy"])?.[1];
    };
    const [first, second] = [await nonceOf(), await nonceOf()];
    expect(first).toBeTruthy();
    expect(first).not.toBe(second);
  });

  describe("a server action Next.js would refuse by failing", () => {
    const post = (pathname: string, headers: Record<string, string>) => ({ method: "POST", pathname, headers: new Headers({ host: "portal.example", ...headers }) });
    const pagesOnly = () => false;
    const action = { "next-action": "7f3a", "content-type": "text/plain;charset=UTF-8" };
    const form = { "content-type": "multipart/form-data; boundary=----x", "content-length": "420" };

    it("is refused 403 when sent from another site, whether by script or by a plain form", () => {
      for (const sent of [action, form]) {
        expect(actionRefusal(post("/orders/WM-1001", { ...sent, origin: "https://evil.example" }), pagesOnly)).toBe("cross-site");
        expect(actionRefusal(post("/orders/WM-1001", { ...sent, origin: "null" }), pagesOnly)).toBe("cross-site");
        expect(actionRefusal(post("/orders/WM-1001", { ...sent, origin: "not a url" }), pagesOnly)).toBe("cross-site");
        expect(actionRefusal(post("/orders/WM-1001", { ...sent, origin: "http://portal.example" }), pagesOnly)).toBeNull();
      }
      // No Origin at all (a handcrafted request, which carries nobody's cookies by itself): Next.js lets it through, and so does this.
      expect(actionRefusal(post("/signin", action), pagesOnly)).toBeNull();
    });

    it("compares the Origin with the forwarded host a trusted proxy set, as Next.js does", () => {
      const behindProxy = { ...action, host: "10.0.0.5:3000", "x-forwarded-host": "portal.example" };
      expect(actionRefusal(post("/orders", { ...behindProxy, origin: "https://portal.example" }), pagesOnly)).toBeNull();
      expect(actionRefusal(post("/orders", { ...behindProxy, origin: "https://10.0.0.5:3000" }), pagesOnly)).toBe("cross-site");
    });

    it("is refused 413 over Next.js's body limit, when the body says its length", () => {
      expect(actionRefusal(post("/returns/new", { ...form, origin: "http://portal.example", "content-length": String(1024 * 1024 + 1) }), pagesOnly)).toBe("too-large");
      expect(actionRefusal(post("/returns/new", { ...form, origin: "http://portal.example", "content-length": String(1024 * 1024) }), pagesOnly)).toBeNull();
    });

    it("is refused 415 when compressed, or called as an action but sent as neither React's text nor a form", () => {
      const portal = { origin: "http://portal.example" };
      expect(actionRefusal(post("/account/profile", { ...form, ...portal, "content-encoding": "gzip" }), pagesOnly)).toBe("not-a-form");
      expect(actionRefusal(post("/account/profile", { ...action, ...portal, "content-encoding": "deflate" }), pagesOnly)).toBe("not-a-form");
      for (const type of ["application/json", "application/x-www-form-urlencoded", "text/html"]) {
        expect(actionRefusal(post("/account/profile", { ...action, ...portal, "content-type": type }), pagesOnly), type).toBe("not-a-form");
      }
      expect(actionRefusal(post("/account/profile", { ...action, ...portal, "content-encoding": "identity" }), pagesOnly)).toBeNull();
      expect(actionRefusal(post("/account/profile", { ...form, ...portal, "next-action": "7f3a" }), pagesOnly)).toBeNull();
    });

    it("reads the body where it is given (proxy.ts), and leaves the action to proxy.ts where it is not (the HTTP front)", async () => {
      const call = { method: "POST", pathname: "/account/profile", search: "", https: false, cookies: noCookies, headers: new Headers({ host: "portal.example", origin: "http://portal.example", ...action }) };
      const withBody = (body: Buffer | null) => decidePage({ ...call, readBody: async () => body });
      expect((await decidePage(call)).kind).toBe("body-unread");
      expect((await withBody(Buffer.from('["Ada"]'))).kind).toBe("pass");
      const cut = await withBody(Buffer.from('["Ad'));
      expect(cut).toMatchObject({ kind: "refused", status: 400, text: "Bad request: this form could not be read. Reload the page and send it again." });
      // Past 1 MB as it is read: a body sent without its length.
      expect(await withBody(null)).toMatchObject({ kind: "refused", status: 413 });
    });

    it("leaves alone what is not a server action: other methods, other bodies and route handlers' own POSTs", () => {
      const crossSite = { ...form, origin: "https://mail.example", "content-length": String(5 * 1024 * 1024) };
      expect(actionRefusal({ ...post("/orders", crossSite), method: "GET" }, pagesOnly)).toBeNull();
      expect(actionRefusal(post("/orders", { origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" }), pagesOnly)).toBeNull();
      expect(actionRefusal(post("/unsubscribe/abc", crossSite), (pathname) => pathname.startsWith("/unsubscribe/"))).toBeNull();
    });
  });
});
