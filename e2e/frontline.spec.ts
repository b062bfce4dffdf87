// The live frontline view: a customer stuck on a step (failing, rage-tapping) shows up within
// seconds, and the agent's one-click offer of help appears on the customer's page, where they answer
// it. The page holds one stream for offers while in view, and asks every 30 seconds only when refused one.
import http from "node:http";
import type { Page, Request } from "@playwright/test";
import { customerWithOrders, failPasswordChange, signedInCustomer } from "./support/customers";
import { BASE_URL } from "./support/env";
import { agentOn, BACKGROUND, DEMO, DEMO_PASSWORD, expect, postHogEvents, SAME_ON_EVERY_VIEWPORT, signInDirectly, test } from "./support/fixtures";
import { query } from "./support/portal-db";
import { journeyIdInTab } from "./support/trail";

/**
 * Every request the page makes for offers of help, by path: the stream (/api/reach-out/stream) or a
 * poll (/api/reach-out). With "requestfailed": those that ended unanswered, as a stream the browser closes does.
 */
function offerRequests(page: Page, seen: "request" | "requestfailed" = "request"): string[] {
  const paths: string[] = [];
  const record = (request: Request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith("/api/reach-out")) paths.push(path);
  };
  if (seen === "request") page.on("request", record);
  else page.on("requestfailed", record);
  return paths;
}

test("a stuck customer appears in the live view after the third failure, and the agent's offer of help reaches their page", SAME_ON_EVERY_VIEWPORT, async ({ page, browser }) => {
  const agent = await (await browser.newContext()).newPage();
  await signInDirectly(agent, DEMO.agent.email, DEMO.agent.password);
  await agent.goto("/frontline");
  await expect(agent.getByTestId("live-table")).toBeVisible();

  const customer = await signedInCustomer(page, "Stella Stuck", "stuck");
  const asked = offerRequests(page);
  await page.goto("/account/password");
  const journeyId = await journeyIdInTab(page, "password_change");
  for (let attempt = 1; attempt <= 3; attempt++) {
    await failPasswordChange(page, attempt);
    await expect
      .poll(async () => (await query(`SELECT 1 FROM "TrailEvent" WHERE "journeyId" = $1 AND "kind" = 'ERROR'`, [journeyId])).length, BACKGROUND)
      .toBe(attempt);
  }

  // Then taps the page's heading again and again, as if it should do something.
  await page.getByRole("heading", { level: 1 }).click({ clickCount: 3 });

  // No reload: the board is fed live.
  const row = agent.locator(`tr[data-journey-id="${journeyId}"]`);
  await expect(row).toContainText("failed 3 times on this step", { timeout: 15_000 });
  await expect(row).toContainText("rage taps on “Password form”", { timeout: 15_000 });
  // Refused on the form, the customer is on it still: that is where they are stuck.
  await expect(row.getByRole("cell").first()).toHaveText("Password form");
  await expect(row).toContainText("Change password");
  // The customer's risk, what scored it and (when any raise it) its top signals.
  await expect(row.getByTestId("risk-why")).toContainText(/^Risk \d+.*\((learned model|hand-set weights)\)$/);
  await row.getByRole("button", { name: "Offer help" }).click();

  const offer = page.getByTestId("reach-out-offer");
  await expect(offer).toBeVisible(BACKGROUND);
  // Named, as it may reach a page of another task.
  await expect(offer.getByText(/^Stuck on/)).toHaveText("Stuck on “Change password”? One of our advisors can help you with it right now.");
  // Pushed on the page's one stream; the page never polled.
  expect(asked).toEqual(["/api/reach-out/stream"]);
  await offer.getByRole("button", { name: "Yes, help me" }).click();
  await expect(offer.getByRole("status")).toContainText("An advisor will join you");
  await expect(row).toContainText("Accepted help", BACKGROUND);

  const outcomes = await query<{ outcome: string }>(
    `SELECT "properties"->>'outcome' AS outcome FROM "TrailEvent" WHERE "journeyId" = $1 AND "kind" = 'INTERVENTION' AND "properties"->>'intervention' = 'agent_reach_out' ORDER BY "occurredAt"`,
    [journeyId],
  );
  expect(outcomes.map((o) => o.outcome)).toEqual(["shown", "accepted"]);
  // Open for whoever takes it, with no outcome: it was set in progress with nobody on it, the acceptance written as how it ended.
  const [caseRow] = await query<{ number: string; status: string; outcome: string | null }>(`SELECT "number", "status", "outcome" FROM "Case" WHERE "userId" = $1 AND "journeyId" = $2`, [customer.userId, journeyId]);
  expect(caseRow).toMatchObject({ status: "OPEN", outcome: null });
  // The customer waits for a person: the row leads the agent to the case (it said 'Accepted help' and nothing more).
  await row.getByRole("link", { name: `Case ${caseRow.number}` }).click();
  await expect(agent.getByRole("heading", { level: 1 })).toHaveText(`Case ${caseRow.number}`);
  // Something that happened on the case, not how it ended.
  await expect(agent.getByTestId("case-history")).toContainText("Customer accepted the agent's offer of help");
  await expect(agent.getByTestId("case-outcome")).toHaveCount(0);
  await agent.getByRole("button", { name: "Take this case" }).click();
  await expect(agent.getByTestId("case-agent")).toHaveText("with you");

  // PostHog got the rage taps (the kind of element only) and the offer's answer.
  await expect
    .poll(async () => (await postHogEvents(page.request, { distinctId: customer.analyticsId })).filter((e) => e.properties.journey_id === journeyId && /_(rage_tapped|help_\w+)$/.test(e.event)).map((e) => [e.event, e.properties.step, e.properties.element ?? e.properties.intervention]).sort(), BACKGROUND)
    .toEqual([["password_change_help_accepted", "form", "agent_reach_out"], ["password_change_help_shown", "form", "agent_reach_out"], ["password_change_rage_tapped", "form", "text"]]);
});

test("help an agent offers on an order's return page opens a case about that order", SAME_ON_EVERY_VIEWPORT, async ({ page, browser }) => {
  const customer = await customerWithOrders([{ lines: [{ name: "Offered Test Scarf", priceMinor: 3_500 }], deliveredDaysAgo: 3 }]);
  const [order] = customer.orders;
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  await page.goto(`/orders/${order.number}/return`);
  const journeyId = await journeyIdInTab(page, "return");

  const agent = await (await browser.newContext()).newPage();
  await signInDirectly(agent, DEMO.agent.email, DEMO.agent.password);
  await agent.goto("/frontline");
  const row = agent.locator(`tr[data-journey-id="${journeyId}"]`);
  await row.getByRole("button", { name: "Offer help" }).click(BACKGROUND);
  const offer = page.getByTestId("reach-out-offer");
  await offer.getByRole("button", { name: "Yes, help me" }).click(BACKGROUND);
  await expect(offer.getByRole("status")).toContainText("An advisor will join you");

  await row.getByRole("link", { name: /^Case CS-/ }).click(BACKGROUND);
  // It named only the task: the agent asked the customer which order they meant.
  await expect(agent.getByTestId("case-subject")).toHaveText(`About order ${order.number}`);
  await agent.context().close();
});

test("customers and visitors get a 404 from the live view and its feed", SAME_ON_EVERY_VIEWPORT, async ({ page }) => {
  expect((await page.request.get("/frontline")).status()).toBe(404);
  expect((await page.request.get("/api/frontline/live")).status()).toBe(404);
  await signInDirectly(page, DEMO.grace.email, DEMO.grace.password);
  expect((await page.request.get("/frontline")).status()).toBe(404);
  expect((await page.request.get("/api/frontline/live")).status()).toBe(404);
});

test("the live view names the customer to an agent, and each attempt opens its whole trail on a page only agents can open", SAME_ON_EVERY_VIEWPORT, async ({ page, browser }) => {
  const agent = await (await browser.newContext()).newPage();
  await signInDirectly(agent, DEMO.agent.email, DEMO.agent.password);
  await agent.goto("/frontline");
  await expect(agent.getByTestId("live-table")).toBeVisible();
  await signedInCustomer(page, "Nina Named", "named");
  await page.goto("/account/password");
  const journeyId = await journeyIdInTab(page, "password_change");
  await failPasswordChange(page, 1);

  // The row named nobody, and its task led nowhere for an agent.
  const row = agent.locator(`tr[data-journey-id="${journeyId}"]`);
  await expect(row.getByTestId("live-customer")).toHaveText("Nina Named", BACKGROUND);
  // Her page is open in front of her: an offer of help would reach her at once.
  await expect(row.getByTestId("live-presence")).toHaveText("On the portal now");
  await row.getByRole("link", { name: "Change password" }).click();
  await expect(agent.getByRole("heading", { level: 1 })).toHaveText("Change password: Nina Named");
  await expect(agent.getByTestId("attempt-trail")).toContainText("Password form: failed");

  // Agents only: the customer and an analyst get a 404, and the analyst's board names nobody and leads to the explorer.
  expect((await page.request.get(`/agent/attempts/${journeyId}`)).status()).toBe(404);
  const analyst = await (await browser.newContext()).newPage();
  await signInDirectly(analyst, DEMO.analyst.email, DEMO.analyst.password);
  expect((await analyst.request.get(`/agent/attempts/${journeyId}`)).status()).toBe(404);
  await analyst.goto("/frontline");
  const seenByAnalyst = analyst.locator(`tr[data-journey-id="${journeyId}"]`);
  await expect(seenByAnalyst.getByRole("link", { name: "Change password" })).toHaveAttribute("href", `/insights/explorer/${journeyId}`, BACKGROUND);
  await expect(seenByAnalyst.getByTestId("live-customer")).toHaveText("");
});

test("an attempt of a customer who has since deleted their account says so on its page, not that a visitor made it", SAME_ON_EVERY_VIEWPORT, async ({ page, browser }) => {
  const customer = await signedInCustomer(page, "Gone Customer", "gone");
  await page.goto("/account/password");
  const journeyId = await journeyIdInTab(page, "password_change");
  await failPasswordChange(page, 1);
  await page.goto("/account/privacy/delete");
  await page.getByLabel("Your password").fill(customer.password);
  await page.getByRole("button", { name: "Delete my account for good" }).click();
  await expect(page.getByRole("heading", { name: "Your account is deleted" })).toBeVisible();

  const agent = await agentOn(browser, `/agent/attempts/${journeyId}`);
  // It read 'A visitor, not signed in'; the customer's name went with the account, and stays gone.
  await expect(agent.getByRole("heading", { level: 1 })).toHaveText("Change password: A customer whose account has since been deleted");
  await expect(agent.getByTestId("attempt-trail")).toContainText("Password form: failed");
  await agent.context().close();
});

test("an idle customer page holds one stream for offers of help, not a poll, closed while the page is hidden", SAME_ON_EVERY_VIEWPORT, async ({ page }) => {
  await signedInCustomer(page, "Ivy Idle", "idle");
  const asked = offerRequests(page);
  const closed = offerRequests(page, "requestfailed");
  await page.goto("/");
  // Ten seconds of a page left open: polling every 3 seconds asked three times in them.
  await page.waitForTimeout(10_000);
  expect(asked).toEqual(["/api/reach-out/stream"]);

  const setVisibility = (state: "hidden" | "visible") =>
    page.evaluate((to) => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => to });
      document.dispatchEvent(new Event("visibilitychange"));
    }, state);
  await setVisibility("hidden");
  await expect.poll(() => closed).toEqual(["/api/reach-out/stream"]);
  await setVisibility("visible");
  await expect.poll(() => asked).toEqual(["/api/reach-out/stream", "/api/reach-out/stream"]);
});

/** Opens the offer stream as another tab of the signed-in page would (its EventSource), answered but not read. */
async function holdStream(page: Page): Promise<http.IncomingMessage> {
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  return new Promise((resolve, reject) => http.get(`${BASE_URL}/api/reach-out/stream`, { headers: { cookie, accept: "text/event-stream" } }, resolve).on("error", reject));
}

/** An agent's offer of help on the attempt, stored and announced as offerHelp does (lib/frontline/reach-out.ts). */
async function offerHelpOn(userId: string, journeyId: string): Promise<string> {
  const [offer] = await query<{ id: string }>(
    `INSERT INTO "ReachOut" ("id", "journeyId", "userId", "journeyType", "step", "status") VALUES (gen_random_uuid()::text, $1, $2, 'password_change', 'form', 'OFFERED') RETURNING "id"`,
    [journeyId, userId],
  );
  await query(`SELECT pg_notify('reach_out', $1)`, [userId]);
  return offer.id;
}

test("a second offer of help reaches the page after the customer declined the first, without a reload", async ({ page }) => {
  const customer = await signedInCustomer(page, "Dora Declines", "declines");
  await page.goto("/account/password");
  const journeyId = await journeyIdInTab(page, "password_change");
  await expect.poll(async () => (await query(`SELECT 1 FROM "Journey" WHERE "id" = $1`, [journeyId])).length, BACKGROUND).toBe(1);
  // Gone after a reload: what follows must happen in this one document.
  await page.evaluate(() => Object.assign(window, { sameDocument: true }));

  const offer = page.getByTestId("reach-out-offer");
  await offerHelpOn(customer.userId, journeyId);
  await expect(offer).toBeVisible(BACKGROUND);
  await offer.getByRole("button", { name: "No thanks" }).click();
  await expect(offer).toHaveCount(0);

  // The answer to the first said nothing about the next: it was kept, and hid every later offer until a reload.
  const second = await offerHelpOn(customer.userId, journeyId);
  await expect(offer.getByRole("button", { name: "Yes, help me" })).toBeVisible(BACKGROUND);
  await expect(offer.locator('input[name="offerId"]')).toHaveValue(second);
  expect(await page.evaluate(() => "sameDocument" in window)).toBe(true);
});

test("an answer to an offer of help leaves the keyboard where the offer was: on what it now says, or at the top of the page's content once it is gone", async ({ page }) => {
  const customer = await signedInCustomer(page, "Fay Focus", "offer-focus");
  await page.goto("/account/password");
  const journeyId = await journeyIdInTab(page, "password_change");
  await expect.poll(async () => (await query(`SELECT 1 FROM "Journey" WHERE "id" = $1`, [journeyId])).length, BACKGROUND).toBe(1);

  const offer = page.getByTestId("reach-out-offer");
  await offerHelpOn(customer.userId, journeyId);
  await offer.getByRole("button", { name: "No thanks" }).click(BACKGROUND);
  await expect(offer).toHaveCount(0);
  // Focus fell to the page itself: the next Tab started again at "Skip to content".
  await expect(page.locator("main")).toBeFocused();

  await offerHelpOn(customer.userId, journeyId);
  await offer.getByRole("button", { name: "Yes, help me" }).click(BACKGROUND);
  await expect(offer.getByRole("status")).toHaveText("An advisor will join you here in a moment; you can keep going meanwhile.");
  await expect(offer.getByRole("status")).toBeFocused();
});

test("a customer holding the most streams allowed is refused another (503, Retry-After), and their page asks every 30 seconds instead", SAME_ON_EVERY_VIEWPORT, async ({ page }) => {
  await signedInCustomer(page, "Tabitha Tabs", "tabs");
  // Eight other tabs, each holding its stream (the default cap per customer, REACH_OUT_STREAMS_PER_CUSTOMER).
  const held = await Promise.all(Array.from({ length: 8 }, () => holdStream(page)));
  try {
    expect(held.map((response) => response.statusCode)).toEqual(Array(8).fill(200));
    const refused = await page.request.get("/api/reach-out/stream", { headers: { accept: "text/event-stream" } });
    expect(refused.status()).toBe(503);
    expect(refused.headers()["retry-after"]).toBe("30");

    await page.clock.install();
    const asked = offerRequests(page);
    await page.goto("/");
    const pageTime = () => page.evaluate(() => Date.now());
    const loaded = await pageTime();
    // The page's clock moves on five seconds a look: refused the stream, the page asks instead, again and again.
    const polls = () => asked.filter((path) => path === "/api/reach-out").length;
    await expect
      .poll(async () => {
        await page.clock.runFor(5_000);
        return polls();
      }, BACKGROUND)
      .toBeGreaterThanOrEqual(2);
    expect(asked.filter((path) => path === "/api/reach-out/stream")).toHaveLength(1);
    // Twice takes two rounds of 30 seconds on the page's clock; asking every 3 seconds, as before, took 6.
    expect((await pageTime()) - loaded).toBeGreaterThanOrEqual(60_000);
  } finally {
    for (const response of held) response.destroy();
  }
});

test("a HEAD request for the offer stream holds no place: after as many as a customer may hold streams, their page still gets one", SAME_ON_EVERY_VIEWPORT, async ({ page }) => {
  await signedInCustomer(page, "Hedda Head", "head");
  // Next.js answered HEAD with GET's stream, never read or cancelled: each held one of the eight places.
  for (let i = 0; i < 8; i++) expect((await page.request.head("/api/reach-out/stream", { headers: { accept: "text/event-stream" } })).status()).toBe(405);
  const stream = await holdStream(page);
  try {
    expect(stream.statusCode).toBe(200);
  } finally {
    stream.destroy();
  }
});
