// The portal's security headers as a browser meets them: the Content-Security-Policy holds on every
// page a customer walks through (the shared fixture fails any test whose pages break it), an
// injected script is refused, a path the framework cannot decode is answered 400, and a form sent
// from another site, over the size limit or with a body that cannot be read is refused with its reason.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import type { APIRequestContext } from "@playwright/test";
import { customerWithOrders, signedInCustomer, signUp } from "./support/customers";
import { query } from "./support/portal-db";
import { DEMO, DEMO_PASSWORD, expect, signInDirectly, test } from "./support/fixtures";

test.beforeEach(({}, testInfo) => {
  // Headers and policies do not depend on the viewport.
  test.skip(testInfo.project.name !== "desktop", "viewport-independent");
});

/** One directive of a policy, e.g. "script-src 'self' …". */
const directive = (csp: string, name: string) => csp.split("; ").find((d) => d.startsWith(`${name} `)) ?? "";
const browserHash = (text: string) => `'sha256-${crypto.createHash("sha256").update(text, "utf8").digest("base64")}'`;

test("every answer carries the security headers; a page rendered per request has its own nonce, a prerendered one its scripts' hashes", async ({ request }) => {
  // /help is rendered per request, /signin prerendered at build time. The portal's HTTP front decides
  // these headers and marks the request for Next.js (lib/http/page-policy.ts): a client's own mark
  // changes nothing.
  const [first, second, signin] = [await request.get("/help"), await request.get("/help", { headers: { "x-waymark-front": "1" } }), await request.get("/signin", { headers: { "x-waymark-front": "1" } })];
  for (const response of [first, second, signin]) {
    expect(response.status()).toBe(200);
    const headers = response.headers();
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["permissions-policy"]).toContain("camera=()");
    expect(headers["strict-transport-security"], "HSTS over plain HTTP").toBeUndefined();
    const csp = headers["content-security-policy"];
    for (const kept of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "default-src 'self'"]) expect(csp).toContain(kept);
    // <style> elements need the nonce or to be our stylesheet; only style="" attributes are allowed inline.
    expect(directive(csp, "style-src")).toMatch(/^style-src 'self'( 'nonce-[^']+')?( 'sha256-[^']+')+$/);
    expect(csp).not.toContain("unsafe-eval");
    expect(directive(csp, "script-src")).not.toContain("unsafe-inline");
  }
  const cspOf = (response: typeof first) => response.headers()["content-security-policy"];
  for (const dynamic of [first, second]) expect(directive(cspOf(dynamic), "script-src")).toMatch(/^script-src 'self' 'nonce-[^']+' 'strict-dynamic'$/);
  const nonceOf = (csp: string) => /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonceOf(cspOf(first))).toBeTruthy();
  expect(nonceOf(cspOf(first))).not.toBe(nonceOf(cspOf(second)));
  // The nonce Next.js puts on its own script tags is the one in the header.
  expect(await first.text()).toContain(`nonce="${nonceOf(cspOf(first))}"`);

  // The prerendered page: no nonce, and its own inline scripts' hashes, so the same HTML file serves everyone.
  const html = await signin.text();
  const inline = Array.from(html.matchAll(/<script\b(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g), (m) => browserHash(m[1]));
  expect(inline.length).toBeGreaterThan(0);
  // Its own scripts' hashes and nothing else that could run inline: no nonce, no 'unsafe-inline' (a version of the page
  // Next.js rendered again after a revalidation adds its own hashes, see lib/http/build-output.ts).
  const scriptSrc = directive(cspOf(signin), "script-src").split(" ");
  expect(scriptSrc.slice(0, 2)).toEqual(["script-src", "'self'"]);
  for (const source of scriptSrc.slice(2)) expect(source).toMatch(/^'sha256-[^']+'$/);
  for (const hash of inline) expect(scriptSrc).toContain(hash);
  expect(html).not.toContain("nonce=");
  // The stylesheet is in the page (no request before the first paint) and allowed by its hash.
  const style = /<style[^>]*>([\s\S]*?)<\/style>/.exec(html)?.[1];
  expect(style, "the stylesheet is inlined").toBeTruthy();
  expect(directive(cspOf(signin), "style-src")).toContain(browserHash(style!));
  // Once: not again as text in the page's payload, as Next.js's own inlining would write it (app/inline-stylesheet.tsx).
  expect(html.split(style!.slice(0, 200)).length - 1, "copies of the stylesheet in the page").toBe(1);

  // A TLS-terminating proxy in front says so; then browsers are told to keep to HTTPS.
  const behindTls = await request.get("/api/health", { headers: { "x-forwarded-proto": "https" } });
  expect(behindTls.headers()["strict-transport-security"]).toMatch(/^max-age=\d{7,}/);
  expect(behindTls.headers()["x-content-type-options"]).toBe("nosniff");
});

test("the browser's own request for /favicon.ico is answered with the portal's icon, headers and all", async ({ request }) => {
  // Pages carry their icon inline (a data: URL), but Chromium still asks for /favicon.ico at times
  // (after a save's redirect), and a 404 there is an error in the customer's console.
  const response = await request.get("/favicon.ico");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("image/x-icon");
  expect(response.headers()["x-content-type-options"]).toBe("nosniff");
  expect([...(await response.body()).subarray(0, 4)], "an ICO file's header").toEqual([0, 0, 1, 0]);
});

/** A served /signin: whether every inline script in it is allowed by the policy it came with, and how Next.js's cache answered. */
async function servedSignin(request: APIRequestContext) {
  const response = await request.get("/signin");
  const html = await response.text();
  const allowed = directive(response.headers()["content-security-policy"], "script-src").split(" ");
  const inline = Array.from(html.matchAll(/<script\b(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g), (m) => browserHash(m[1]));
  return { allowed: inline.every((hash) => allowed.includes(hash)), cache: response.headers()["x-nextjs-cache"] };
}

test("/signin stays the built page, its scripts allowed, after a customer's save refreshes their own pages", async ({ page, request }) => {
  // A new customer's first page saves their browser's time zone, and the layout is sent again. Had
  // that revalidated the root layout, /signin would turn stale and Next.js would render it again
  // with different inline scripts (its prefetch hints) than the hashes in its policy.
  const { userId } = await signUp(page, "Refreshing Rita", "csp-refresh");
  await expect.poll(async () => (await query<{ timeZone: string | null }>(`SELECT "timeZone" FROM "User" WHERE "id" = $1`, [userId]))[0].timeZone, { timeout: 60_000 }).not.toBeNull();
  for (let i = 0; i < 3; i++) {
    const served = await servedSignin(request);
    expect(served.allowed, "every inline script is allowed").toBe(true);
    expect(served.cache, "served from the build's file, not stale").toBe("HIT");
  }
});

test("client-side navigation keeps every page styled, under either policy, with nothing refused", async ({ page, signIn, cspViolations }) => {
  // The site's own stylesheet applies (its custom properties are defined), not only the browser's defaults.
  const styled = async () => expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--brand").trim())).not.toBe("");
  // From the prerendered page (hash policy) to others and back, without reloading.
  await page.goto("/signin");
  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
  await styled();
  await page.getByRole("link", { name: "Sign in" }).last().click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await styled();
  // Signing in moves on without a reload too; then a page rendered per request (nonce policy) to another.
  await signIn(page, DEMO.ada.email, DEMO.ada.password);
  await page.getByRole("link", { name: "Orders", exact: true }).first().click();
  await expect(page).toHaveURL(/\/orders$/);
  await styled();
  expect(await page.evaluate(() => performance.getEntriesByType("navigation").length), "all of it in one document").toBe(1);
  // posthog-js, fetched at the first interaction, has loaded and sent through /ingest under the policy.
  await expect.poll(() => page.evaluate(() => Boolean((window as unknown as { __waymarkAnalyticsReady?: boolean }).__waymarkAnalyticsReady))).toBe(true);
  expect(cspViolations).toEqual([]);
});

test("a script smuggled into a page's markup does not run, nor one of a prerendered page's own scripts once changed", async ({ page, cspViolations }) => {
  // Stands in for any injection (a stored value rendered unescaped): the server's own headers, plus a script it did not write,
  // on a page rendered per request (nonce) and on the prerendered one (hashes).
  for (const path of ["/help", "/signin"]) {
    await page.route(`**${path}`, async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace("</body>", "<script>window.__injected = true</script></body>");
      await route.fulfill({ response, body: html });
    });
    await page.goto(path);
    await expect(page.locator("h1").first()).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected), path).toBeUndefined();
    await expect.poll(() => cspViolations.filter((v) => v.includes("script-src")).length, path).toBeGreaterThan(0);
    cspViolations.length = 0;
    await page.unrouteAll();
  }
  // The prerendered page's first inline script, with a statement added: its hash no longer matches, so it is refused.
  await page.route("**/signin", async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace(/(<script\b(?![^>]*\ssrc=)[^>]*>)/, "$1window.__tampered = true;");
    await route.fulfill({ response, body: html });
  });
  await page.goto("/signin");
  await expect.poll(() => cspViolations.filter((v) => v.includes("script-src")).length).toBeGreaterThan(0);
  expect(await page.evaluate(() => (window as unknown as { __tampered?: boolean }).__tampered)).toBeUndefined();
  cspViolations.length = 0;
});

/** Every URL pattern of the app with a dynamic segment, from the files themselves: a new route is covered on its own. */
function dynamicRoutes(dir = path.resolve("app"), segments: string[] = []): string[][] {
  const found: string[][] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) found.push(...dynamicRoutes(path.join(dir, entry.name), /^\(.*\)$/.test(entry.name) ? segments : [...segments, entry.name]));
    else if (/^(page\.tsx|route\.ts)$/.test(entry.name) && segments.some((s) => s.startsWith("["))) found.push(segments);
  }
  return found;
}

test("a path that cannot be decoded, or a NUL in the query, is answered 400 on every dynamic route, before any route sees it", async ({ request }) => {
  const routes = dynamicRoutes();
  expect(routes.length).toBeGreaterThan(15);
  for (const bad of ["%FF", "%C0%AF", "%E0%80", "abc%", "%00"]) {
    for (const segments of routes) {
      // The bad value in each dynamic segment in turn; the others get a plausible value.
      for (let i = 0; i < segments.length; i++) {
        if (!segments[i].startsWith("[")) continue;
        const url = "/" + segments.map((s, j) => (j === i ? bad : s.startsWith("[") ? "x1" : s)).join("/");
        const response = await request.get(url, { maxRedirects: 0 });
        expect(response.status(), `GET ${url}`).toBe(400);
      }
    }
  }
  // A search with a NUL would reach PostgreSQL, which refuses it in text: a 500 before this check.
  for (const url of ["/orders?q=a%00b", "/orders?status=DELIVERED&%00=1", "/api/health?probe=%00"]) {
    expect((await request.get(url, { maxRedirects: 0 })).status(), `GET ${url}`).toBe(400);
  }
  expect((await request.get("/orders?q=linen%20shirt", { maxRedirects: 0 })).status()).not.toBe(400);
});

test("a notice named in the address that is not the page's own (?updated=toString) shows the page as it is, with no notice and no question about a task", async ({ page }) => {
  const customer = await customerWithOrders([{ status: "PROCESSING", lines: [{ name: "Proto Lamp", category: "home", priceMinor: 3000 }] }]);
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  const order = `/orders/${customer.orders[0].number}`;
  for (const [url, heading] of [
    [`${order}?updated=toString`, `Order ${customer.orders[0].number}`],
    [`${order}?cancelled=constructor`, `Order ${customer.orders[0].number}`],
    ["/account/addresses?saved=__proto__", "Addresses"],
    ["/account/payment-methods?changed=constructor", "Payment methods"],
  ]) {
    await page.goto(url);
    await expect(page.getByRole("heading", { level: 1 }), url).toHaveText(heading);
    await expect(page.locator(".notice.ok"), url).toHaveCount(0);
    await expect(page.getByTestId("effort-question"), url).toHaveCount(0);
  }
});

test("a customer's save sent from another site, or over the size limit, is refused with its reason and changes nothing", async ({ page }) => {
  const customer = await signedInCustomer(page, "Cora Crosssite", "crosssite");
  const nameNow = async () => (await query<{ name: string }>(`SELECT "name" FROM "User" WHERE "id" = $1`, [customer.userId]))[0].name;
  await page.goto("/account/profile");
  await page.getByLabel("Name").fill("Cora C. Crosssite");
  const sent = page.waitForRequest((request) => request.method() === "POST" && request.headers()["next-action"] !== undefined);
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByTestId("form-message")).toHaveText("Your profile is saved.");
  const save = await sent;

  // The browser's save again, with the customer's cookies and another name: from another site it is
  // refused (a browser that still sent the cookies along), from the portal it goes through.
  const replay = (origin: string) =>
    page.request.post(save.url(), { headers: { ...save.headers(), origin }, data: save.postDataBuffer()!.toString("latin1").replace("Cora C. Crosssite", "Someone Else"), maxRedirects: 0 });
  const crossSite = await replay("https://evil.example");
  expect(crossSite.status()).toBe(403);
  expect(await crossSite.text()).toContain("sent from another site");
  expect(await nameNow()).toBe("Cora C. Crosssite");
  const portalOrigin = new URL(page.url()).origin;
  expect((await replay(portalOrigin)).status()).toBe(200);
  expect(await nameNow()).toBe("Someone Else");

  // Over Next.js's 1 MB limit for an action's body: refused before the app reads it.
  const huge = await page.request.post(save.url(), { headers: { origin: portalOrigin, "next-action": save.headers()["next-action"] }, multipart: { name: "x".repeat(1024 * 1024 + 10) }, maxRedirects: 0 });
  expect(huge.status()).toBe(413);
  expect(await huge.text()).toContain("too large");
  expect(await nameNow()).toBe("Someone Else");
});

test("a customer's save whose body cannot be read is refused with 400 or 415, no stack trace, and changes nothing", async ({ page }) => {
  const customer = await signedInCustomer(page, "Bea Brokenbody", "brokenbody");
  const nameNow = async () => (await query<{ name: string }>(`SELECT "name" FROM "User" WHERE "id" = $1`, [customer.userId]))[0].name;
  await page.goto("/account/profile");
  const sent = page.waitForRequest((request) => request.method() === "POST" && request.headers()["next-action"] !== undefined);
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByTestId("form-message")).toHaveText("Your profile is saved.");
  const save = await sent;
  const body = save.postDataBuffer()!;
  const headers: Record<string, string> = { ...save.headers(), origin: new URL(page.url()).origin };
  const named = (type: string) => ({ ...headers, "content-type": type });
  const { "next-action": _action, ...postedWithoutScript } = headers;
  const reloadAndSend = "Reload the page and send it again.";

  // Each answered 500 by Next.js, which failed to decode the body, before the page policy read it.
  const probes: [what: string, headers: Record<string, string>, body: Buffer, status: number][] = [
    ["multipart cut short", headers, body.subarray(0, Math.floor(body.length / 2)), 400],
    ["not multipart at all", headers, Buffer.from("\u0000\u0000garbage\r\n--\r\n"), 400],
    ["multipart without its boundary", named("multipart/form-data"), body, 400],
    ["React's text cut short", named("text/plain;charset=UTF-8"), Buffer.from('["Bea Br'), 400],
    ["React's text with a NUL byte", named("text/plain;charset=UTF-8"), Buffer.from('["\u0000"]'), 400],
    ["a form posted without script, cut short", postedWithoutScript, body.subarray(0, 40), 400],
    ["compressed", { ...headers, "content-encoding": "gzip" }, zlib.gzipSync(body), 415],
    ["JSON", named("application/json"), Buffer.from('{"name":"Someone Else"}'), 415],
  ];
  for (const [what, probeHeaders, probeBody, status] of probes) {
    const answer = await page.request.post(save.url(), { headers: probeHeaders, data: probeBody, maxRedirects: 0 });
    expect(answer.status(), what).toBe(status);
    const text = await answer.text();
    expect(text, what).toContain(reloadAndSend);
    expect(text, what).not.toMatch(/\bat .*:\d+:\d+/);
  }
  expect(await nameNow()).toBe("Bea Brokenbody");
});

test("sign-in's endpoints answer a body that is not JSON with 400, one of another type or compressed with 415 and a huge one with 413; a JSON sign-in still works", async ({ page }) => {
  for (const path of ["/api/auth/callback/credentials", "/api/auth/signout", "/api/auth/session", "/api/auth/csrf"]) {
    const broken = await page.request.post(path, { headers: { "content-type": "application/json" }, data: Buffer.from("{not json"), maxRedirects: 0 });
    expect(broken.status(), path).toBe(400);
    expect(await broken.text()).toContain("not valid JSON");
  }
  const huge = await page.request.post("/api/auth/callback/credentials", { form: { email: "x".repeat(20_000), password: "y" }, maxRedirects: 0 });
  expect(huge.status()).toBe(413);
  const plain = await page.request.post("/api/auth/session", { headers: { "content-type": "text/plain" }, data: Buffer.from("hello"), maxRedirects: 0 });
  expect(plain.status()).toBe(415);
  expect(await plain.text()).toBe("Send this as a form or as JSON.");
  // A gzipped sign-in was read as a form without its fields: next-auth sent it back to sign in (302).
  const form = new URLSearchParams({ csrfToken: "x", email: DEMO.grace.email, password: DEMO.grace.password }).toString();
  const gzipped = await page.request.post("/api/auth/callback/credentials", {
    headers: { "content-type": "application/x-www-form-urlencoded", "content-encoding": "gzip" },
    data: zlib.gzipSync(form),
    maxRedirects: 0,
  });
  expect(gzipped.status()).toBe(415);
  expect(await gzipped.text()).toBe("Send this uncompressed, as a form or as JSON.");

  const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const signIn = await page.request.post("/api/auth/callback/credentials", { data: { csrfToken, email: DEMO.grace.email, password: DEMO.grace.password, json: "true" }, maxRedirects: 0 });
  expect(new URL(((await signIn.json()) as { url: string }).url).searchParams.get("error")).toBeNull();
  await page.goto("/account");
  await expect(page.getByTestId("signed-in-as")).toHaveText("Grace Hopper");
});
