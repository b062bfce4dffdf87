// The anonymous visitor's analytics choice: nothing goes to /ingest (and so nothing to PostHog)
// before they accept, a refusal is remembered, the banner works from the keyboard and on a phone,
// a signed-in customer's own tasks are recorded as before, and a decline made before signing in is
// the account's choice when it is the latest.
import type { Page } from "@playwright/test";
import { ANALYTICS_CONSENT_COOKIE } from "../lib/privacy/analytics-consent";
import { newCustomer } from "./support/customers";
import { BACKGROUND, expect, postHogEvents, SAME_ON_EVERY_VIEWPORT, signIn, test } from "./support/fixtures";
import { query } from "./support/portal-db";

// These browsers start with no choice made (the other specs start as having accepted).
test.use({ storageState: { cookies: [], origins: [] } });

/** Every request the page makes to the portal's analytics endpoint. */
function ingestRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.startsWith("/ingest/")) seen.push(`${request.method()} ${new URL(request.url()).pathname}`);
  });
  return seen;
}

async function browseAnonymously(page: Page) {
  await page.goto("/");
  await page.goto("/signin");
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(`nobody-${Date.now()}@example.com`);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByTestId("form-message")).toBeVisible();
  await page.goto("/help");
}

test("nothing leaves the browser before the visitor accepts; declining is remembered", async ({ page }) => {
  const sent = ingestRequests(page);
  await page.goto("/");
  const banner = page.getByTestId("analytics-consent");
  await expect(banner.getByRole("heading", { name: "Help us improve Waymark?" })).toBeVisible();
  await browseAnonymously(page);
  // posthog-js answers are batched: a page change flushes them, and the last page is left too.
  await page.goto("/signin");
  expect(sent, "requests to /ingest before any choice").toEqual([]);
  expect((await page.context().cookies()).map((c) => c.name).filter((name) => name.startsWith("ph_"))).toEqual([]);

  await page.getByTestId("analytics-consent").getByRole("button", { name: "Decline" }).click();
  await expect(page.getByTestId("analytics-consent")).toHaveCount(0);
  await browseAnonymously(page);
  await page.goto("/signin");
  await expect(page.getByTestId("analytics-consent")).toHaveCount(0);
  expect(sent, "requests to /ingest after declining").toEqual([]);
  // With when it was made (signing in compares it with the account's own choice).
  expect((await page.context().cookies()).find((c) => c.name === ANALYTICS_CONSENT_COOKIE)?.value).toMatch(/^denied\.\d{13}$/);

  // The choice can be changed later from the footer.
  await page.getByRole("button", { name: "Analytics choice" }).click();
  await page.getByTestId("analytics-consent").getByRole("button", { name: "Accept analytics" }).click();
  await page.goto("/help");
  await expect.poll(() => sent.filter((r) => r.startsWith("POST /ingest/e")).length, BACKGROUND).toBeGreaterThan(0);
});

test("the banner works from the keyboard alone and fits a phone's screen", async ({ page }) => {
  const sent = ingestRequests(page);
  await page.goto("/signin");
  const banner = page.getByTestId("analytics-consent");
  await expect(banner).toBeVisible();
  // It comes first in the page (after the skip link), before the header and the form.
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await expect(banner.getByRole("button", { name: "Accept analytics" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(banner.getByRole("button", { name: "Decline" })).toBeFocused();

  const viewport = page.viewportSize()!;
  const box = (await banner.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
  for (const name of ["Accept analytics", "Decline"]) {
    const button = (await banner.getByRole("button", { name }).boundingBox())!;
    expect(button.x + button.width, `${name} fits the screen`).toBeLessThanOrEqual(viewport.width);
    expect(button.height, `${name} is big enough to tap`).toBeGreaterThanOrEqual(24);
  }
  // Nothing scrolls sideways because of it.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);

  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Enter");
  await expect(banner).toHaveCount(0);
  await page.goto("/help");
  await expect.poll(() => sent.filter((r) => r.startsWith("POST /ingest/e")).length, BACKGROUND).toBeGreaterThan(0);
});

test("a signed-in customer is not asked; a decline made before signing in is their account's choice, so their own tasks are recorded but nothing reaches PostHog", SAME_ON_EVERY_VIEWPORT, async ({ page }) => {
  // An account measured until now (analytics on, chosen when it was created).
  const customer = await newCustomer("Dana Declined", "declined-first");
  const sent = ingestRequests(page);
  await page.goto("/signin");
  await page.getByTestId("analytics-consent").getByRole("button", { name: "Decline" }).click();
  await signIn(page, customer.email, customer.password);
  await expect(page.getByTestId("analytics-consent")).toHaveCount(0);
  await page.goto("/account/profile");
  // The profile form's step, sent from this browser, is stored as the customer's service record.
  // Waited for on the page: left at once, on a busy machine, the page was gone before its script ran.
  const browserSteps = `SELECT 1 FROM "TrailEvent" e JOIN "Journey" j ON j."id" = e."journeyId" WHERE j."userId" = $1 AND e."journeyType" = 'profile_update' AND e."source" = 'BROWSER'`;
  await expect.poll(async () => (await query(browserSteps, [customer.userId])).length, BACKGROUND).toBeGreaterThan(0);
  expect(sent.filter((r) => r.startsWith("POST /ingest/e")).length).toBeGreaterThan(0);
  await page.goto("/account/preferences");

  await expect(page.getByRole("checkbox", { name: /Share how I use the portal/ })).not.toBeChecked();
  await expect(page.getByText(/^You said no on /)).toBeVisible();
  // Nothing of theirs is queued for PostHog, nor has it reached the stand-in.
  expect(await query(`SELECT 1 FROM "OutboxMessage" WHERE "topic" = 'posthog' AND "payload"::text LIKE '%' || $1 || '%'`, [customer.analyticsId])).toEqual([]);
  expect(JSON.stringify(await postHogEvents(page.request))).not.toContain(customer.analyticsId);
});
