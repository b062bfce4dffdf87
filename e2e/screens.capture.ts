// The screenshots in docs/screens/ (linked from the README): the overview, an order, the return
// form and the insights, on a 360 px phone and a 1280 px desktop, taken from the demo data.
// Not a test: run it with `npm run screens` (it starts the portal like the browser tests do).
import path from "node:path";
import type { Page } from "@playwright/test";
import { failPasswordChange, signUp } from "./support/customers";
import { DEMO, expect, signIn, test } from "./support/fixtures";
import { query } from "./support/portal-db";

const WIDTHS = [
  { width: 360, height: 780 },
  { width: 1280, height: 900 },
] as const;
const OUT = path.join(process.cwd(), "docs", "screens");

/**
 * The page loaded, its fonts and images in. Not "networkidle": the trail's batches go as keepalive
 * requests, which Chromium finishes outside the page, so Playwright never sees the network idle.
 */
async function settled(page: Page) {
  await page.waitForLoadState("load");
  await page.evaluate(async () => {
    await document.fonts.ready;
    await Promise.all([...document.images].map((image) => image.decode().catch(() => undefined)));
  });
}

test.skip(!process.env.WAYMARK_SCREENS, "run with npm run screens");

for (const viewport of WIDTHS) {
  test(`screens at ${viewport.width} px`, async ({ browser }) => {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1, isMobile: viewport.width < 600, hasTouch: viewport.width < 600 });
    const page = await context.newPage();
    const shot = async (name: string) => {
      await settled(page);
      await page.screenshot({ path: path.join(OUT, `${name}-${viewport.width}.png`), fullPage: true, animations: "disabled" });
    };
    await signIn(page, DEMO.ada.email, DEMO.ada.password);
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await shot("overview");

    const [late] = await query<{ number: string }>(
      `SELECT o."number" FROM "Order" o JOIN "User" u ON u."id" = o."userId" WHERE u."email" = $1 AND o."status" = 'SHIPPED' ORDER BY o."placedAt" DESC LIMIT 1`,
      [DEMO.ada.email],
    );
    await page.goto(`/orders/${late.number}`);
    await expect(page.getByTestId("tracking-timeline")).toBeVisible();
    await shot("order");

    const [delivered] = await query<{ number: string }>(
      `SELECT o."number" FROM "Order" o JOIN "User" u ON u."id" = o."userId" WHERE u."email" = $1 AND o."status" = 'DELIVERED' ORDER BY o."placedAt" DESC LIMIT 1`,
      [DEMO.ada.email],
    );
    await page.goto(`/orders/${delivered.number}/return`);
    await expect(page.getByRole("heading", { level: 2 }).first()).toBeVisible();
    await shot("return-wizard");

    await context.clearCookies();
    await signIn(page, DEMO.analyst.email, DEMO.analyst.password);
    await page.goto("/insights/journeys/return");
    await expect(page.locator(".recharts-cartesian-axis-tick-value").first()).toBeVisible();
    await shot("insights");
    await context.close();
  });
}

// The live frontline view (with one customer stuck on a step) and the top-triggers report, on a desktop.
test("screens of the frontline view and the triggers report", async ({ browser }) => {
  const context = await browser.newContext({ viewport: WIDTHS[1], deviceScaleFactor: 1 });
  const page = await context.newPage();
  const customer = await signUp(page, "Stella Stuck", "screens-stuck");
  await page.goto("/account/password");
  for (let attempt = 1; attempt <= 3; attempt++) {
    await failPasswordChange(page, attempt);
  }
  expect(customer.userId).toBeTruthy();
  const agent = await (await browser.newContext({ viewport: WIDTHS[1], deviceScaleFactor: 1 })).newPage();
  await signIn(agent, DEMO.agent.email, DEMO.agent.password);
  await agent.goto("/frontline");
  await expect(agent.getByTestId("live-table")).toContainText("failed 3 times on this step", { timeout: 60_000 });
  await agent.screenshot({ path: path.join(OUT, "frontline-1280.png"), fullPage: true, animations: "disabled" });

  await context.clearCookies();
  await signIn(page, DEMO.analyst.email, DEMO.analyst.password);
  await page.goto("/insights/triggers");
  await expect(page.getByTestId("triggers-table")).toBeVisible();
  await settled(page);
  await page.screenshot({ path: path.join(OUT, "triggers-1280.png"), fullPage: true, animations: "disabled" });
  await context.close();
});
