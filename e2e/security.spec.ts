// The portal's security headers as a browser meets them: the Content-Security-Policy holds on every
// page a customer walks through (the shared fixture fails any test whose pages break it), an
// injected script is refused, and a path the framework cannot decode is answered 400.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { DEMO, expect, test } from "./support/fixtures";

test.beforeEach(({}, testInfo) => {
  // Headers and policies do not depend on the viewport.
  test.skip(testInfo.project.name !== "desktop", "viewport-independent");
});

test("every answer carries the security headers, and each page its own CSP nonce", async ({ request }) => {
  const first = await request.get("/signin");
  const second = await request.get("/signin");
  for (const response of [first, second]) {
    expect(response.status()).toBe(200);
    const headers = response.headers();
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["permissions-policy"]).toContain("camera=()");
    expect(headers["strict-transport-security"], "HSTS over plain HTTP").toBeUndefined();
    const csp = headers["content-security-policy"];
    for (const directive of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "default-src 'self'"]) expect(csp).toContain(directive);
    // Scripts and <style> elements need the nonce; only style="" attributes are allowed inline.
    const directive = (name: string) => csp.split("; ").find((d) => d.startsWith(`${name} `)) ?? "";
    expect(directive("script-src")).toMatch(/'nonce-[^']+' 'strict-dynamic'$/);
    // …or is our own stylesheet, by hash: it is inlined into the page, and re-inserted without a nonce on client navigations.
    expect(directive("style-src")).toMatch(/^style-src 'self' 'nonce-[^']+'( 'sha256-[^']+')+$/);
    expect(csp).not.toContain("unsafe-eval");
  }
  const nonceOf = (csp: string | undefined) => /'nonce-([^']+)'/.exec(csp ?? "")?.[1];
  expect(nonceOf(first.headers()["content-security-policy"])).toBeTruthy();
  expect(nonceOf(first.headers()["content-security-policy"])).not.toBe(nonceOf(second.headers()["content-security-policy"]));
  // The nonce Next.js puts on its own script tags is the one in the header.
  const html = await first.text();
  expect(html).toContain(`nonce="${nonceOf(first.headers()["content-security-policy"])}"`);
  // The stylesheet is in the page (no request before the first paint), and its hash is in the policy.
  const style = /<style[^>]*>([\s\S]*?)<\/style>/.exec(html)?.[1];
  expect(style, "the stylesheet is inlined").toBeTruthy();
  expect(html).not.toContain('rel="stylesheet"');
  expect(first.headers()["content-security-policy"]).toContain(`'sha256-${crypto.createHash("sha256").update(style!, "utf8").digest("base64")}'`);

  // A TLS-terminating proxy in front says so; then browsers are told to keep to HTTPS.
  const behindTls = await request.get("/api/health", { headers: { "x-forwarded-proto": "https" } });
  expect(behindTls.headers()["strict-transport-security"]).toMatch(/^max-age=\d{7,}/);
  expect(behindTls.headers()["x-content-type-options"]).toBe("nosniff");
});

test("a customer's walk through the portal breaks nothing of the policy", async ({ page, signIn, cspViolations }) => {
  for (const path of ["/signin", "/signup", "/forgot-password", "/help"]) {
    await page.goto(path);
    await expect(page.locator("h1").first()).toBeVisible();
  }
  await signIn(page, DEMO.ada.email, DEMO.ada.password);
  await page.goto("/orders");
  const firstOrder = page.locator('a[href^="/orders/WM-"]').first();
  const orderPath = await firstOrder.getAttribute("href");
  expect(orderPath).toBeTruthy();
  const pages = [
    "/",
    "/orders",
    orderPath!,
    `${orderPath}/problem`,
    `${orderPath}/invoice`,
    "/returns",
    "/cases",
    "/account",
    "/account/profile",
    "/account/email",
    "/account/password",
    "/account/addresses",
    "/account/addresses/new",
    "/account/preferences",
    "/account/sessions",
    "/account/privacy",
    "/account/payment-methods",
    "/help/chat",
  ];
  for (const path of pages) {
    await page.goto(path);
    await expect(page.locator("h1").first(), path).toBeVisible();
  }
  // Client-side navigation and hydration too: a link followed within the app.
  await page.goto("/orders");
  await firstOrder.click();
  await expect(page).toHaveURL(new RegExp(`${orderPath}$`));
  // posthog-js has loaded and sent through /ingest under the policy.
  await expect.poll(() => page.evaluate(() => Boolean((window as unknown as { __waymarkAnalyticsReady?: boolean }).__waymarkAnalyticsReady))).toBe(true);
  expect(cspViolations).toEqual([]);
});

test("client-side navigation keeps every page styled, with nothing refused", async ({ page, signIn, cspViolations }) => {
  // The site's own stylesheet applies (its custom properties are defined), not only the browser's defaults.
  const styled = async () => expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--brand").trim())).not.toBe("");
  await page.goto("/signin");
  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
  await styled();
  await page.getByRole("link", { name: "Sign in" }).last().click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  // Signing in moves on without a reload too; then from page to page through the header.
  await signIn(page, DEMO.ada.email, DEMO.ada.password);
  await styled();
  await page.getByRole("link", { name: "Orders", exact: true }).first().click();
  await expect(page).toHaveURL(/\/orders$/);
  await styled();
  await page.getByRole("link", { name: "Account", exact: true }).first().click();
  await expect(page).toHaveURL(/\/account$/);
  await styled();
  expect(await page.evaluate(() => performance.getEntriesByType("navigation").length), "all of it in one document").toBe(1);
  expect(cspViolations).toEqual([]);
});

test("a script smuggled into a page's markup does not run", async ({ page, cspViolations }) => {
  // Stands in for any injection (a stored value rendered unescaped): the server's own headers, plus a script it did not write.
  await page.route("**/signin", async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace("</body>", "<script>window.__injected = true</script></body>");
    await route.fulfill({ response, body: html });
  });
  await page.goto("/signin");
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
  await expect.poll(() => cspViolations.filter((v) => v.includes("script-src")).length).toBeGreaterThan(0);
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

test("a path that cannot be decoded is answered 400 on every dynamic route, before any route sees it", async ({ request }) => {
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
});
