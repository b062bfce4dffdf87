// Each declared journey walked live, as a customer would, with the PostHog stand-in recording: done
// to the end and done again in the same tab, left midway, and left for each channel. For every
// attempt of the test's own customer, the portal's store, the in-portal funnel (the attempt's
// counted level and outcome) and what PostHog received must agree exactly, event by event; the
// expected attempts, outcomes and levels are worked out here from what the test did, never read
// from seeded data or from the product's own funnel code. Tasks done to the end are walked on desktop
// and one phone (mobile-android); the exits on that phone.
import type { Page } from "@playwright/test";
import { createDb } from "../lib/db/client";
import { closeIdleJourneys } from "../lib/trail/abandon";
import type { JourneyType } from "../lib/trail/journeys";
import { customerWithOrders, giveOrders, signUp } from "./support/customers";
import { BACKGROUND, chooseEverythingToCancel, DEMO_PASSWORD, expect, openHelp, postHogEvents, signInDirectly, test } from "./support/fixtures";
import { portalDatabaseUrl, query } from "./support/portal-db";
import { completed, type ExpectedAttempt, expectTrailAgreement, journeyEndedInTab, journeyIdInTab } from "./support/trail";

// One phone is enough for the trail's agreement: mobile-android walks it, the suite stays lean.
test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name === "mobile-iphone", "walked on mobile-android");
  // Long walks (a dozen tasks each) on a machine that may be busy.
  test.slow();
});

async function trackOrder(page: Page, orderNumber: string) {
  await page.goto("/orders");
  await journeyIdInTab(page, "order_tracking");
  await page.getByRole("link", { name: `Order ${orderNumber}` }).click();
  await expect(page).toHaveURL(new RegExp(`/orders/${orderNumber}$`));
  await journeyEndedInTab(page, "order_tracking");
}

async function saveProfile(page: Page, name: string) {
  await page.goto("/account/profile");
  await journeyIdInTab(page, "profile_update");
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByTestId("form-message")).toHaveText("Your profile is saved.");
}

/**
 * To the resolution step of a return of one item: from the Returns page, or straight at the
 * return's address (a message's "Start a return", a bookmark), which has chosen the order too.
 */
async function startReturn(page: Page, orderNumber: string, productName: string, entry: "returns page" | "address" = "returns page") {
  if (entry === "address") await page.goto(`/orders/${orderNumber}/return`);
  else {
    await page.goto("/returns");
    await journeyIdInTab(page, "return_tracking");
    await page.getByRole("link", { name: `Return items from order ${orderNumber}` }).click();
  }
  await expect(page.getByRole("heading", { name: "Which items are you returning?" })).toBeVisible();
  const item = page.getByRole("group", { name: productName });
  if (!(await item.getByRole("checkbox").isChecked())) await item.getByRole("checkbox").check();
  await item.getByLabel("Why are you returning it?").selectOption({ label: "I changed my mind" });
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByLabel("Refund to your original payment method")).toBeVisible();
}

/** A whole return of one item, for a refund, to its confirmation. */
async function returnItem(page: Page, orderNumber: string, productName: string, entry?: "returns page" | "address"): Promise<string> {
  await startReturn(page, orderNumber, productName, entry);
  await page.getByLabel("Refund to your original payment method").check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: "What you get back" })).toBeVisible();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel(/Print a label/).check();
  await page.getByRole("button", { name: "Submit return" }).click();
  await expect(page).toHaveURL(/\/returns\/RT-\d{6}$/);
  return new URL(page.url()).pathname.split("/").pop()!;
}

test("every journey done to the end, and again in the same tab, is one completed attempt each: in the store, the insights and PostHog", async ({ page }) => {
  const customer = await signUp(page, "Jo Journeys", "journeys");
  const [first, second, open] = await giveOrders(customer.userId, [
    { lines: [{ name: "Trail Linen Shirt", priceMinor: 2500 }] },
    { lines: [{ name: "Trail Wool Socks", priceMinor: 1200 }] },
    { lines: [{ name: "Trail Rain Jacket", priceMinor: 6000 }], status: "PROCESSING" },
  ]);

  await saveProfile(page, "Jo J. Journeys");
  await saveProfile(page, "Jo Journeys");
  await page.goto("/account/preferences");
  await journeyIdInTab(page, "communication_preferences");
  await page.getByRole("group", { name: "Offers and news" }).getByLabel("By email").check();
  await page.getByRole("button", { name: "Save preferences" }).click();
  await expect(page.getByTestId("form-message")).toHaveText("Your preferences are saved.");
  await trackOrder(page, first.number);
  await trackOrder(page, second.number);

  // Two returns one after the other in this tab: two attempts, each completed; the second opened
  // at its address, as from a message, enters the funnel at its first step all the same.
  await returnItem(page, first.number, "Trail Linen Shirt");
  const returnNumber = await returnItem(page, second.number, "Trail Wool Socks", "address");

  // Following that return, then cancelling it.
  await page.goto("/returns");
  await journeyIdInTab(page, "return_tracking");
  await page.getByRole("link", { name: `Return ${returnNumber}` }).click();
  await expect(page.getByRole("heading", { name: `Return ${returnNumber}` })).toBeVisible();
  await journeyEndedInTab(page, "return_tracking");
  await page.getByRole("link", { name: "Changed your mind? Cancel this return" }).click();
  await expect(page.getByRole("heading", { name: `Cancel return ${returnNumber}?` })).toBeVisible();
  await journeyIdInTab(page, "return_cancellation");
  await page.getByRole("button", { name: "Cancel this return" }).click();
  await expect(page.getByText("Your return is cancelled.")).toBeVisible();

  // Cancelling the order that has not shipped, from its page (reached through the order history).
  await trackOrder(page, open.number);
  await page.getByRole("link", { name: "Cancel items" }).click();
  await expect(page.getByRole("heading", { name: `Cancel items from order ${open.number}` })).toBeVisible();
  await journeyIdInTab(page, "order_cancellation");
  await chooseEverythingToCancel(page);
  await page.getByRole("button", { name: "Cancel these items" }).click();
  await expect(page.getByText("Your order is cancelled.")).toBeVisible();

  await expectTrailAgreement(page, customer.userId, [
    completed("signup"),
    completed("profile_update"),
    completed("profile_update"),
    completed("communication_preferences"),
    completed("order_tracking"),
    completed("order_tracking"),
    completed("return"),
    completed("return"),
    completed("return_tracking"),
    completed("return_cancellation"),
    completed("order_tracking"),
    // The order page the cancellation lands on shows its outcome, not the customer tracking the order.
    completed("order_cancellation"),
  ]);
});

test("tasks left for each channel, started again, and left midway until abandoned: the store, the insights and PostHog agree", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name === "desktop", "exits are walked on a phone, where most customers leave for another channel");
  const customer = await customerWithOrders([{ lines: [{ name: "Trail Canvas Bag", priceMinor: 3000 }] }]);
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  const leave = async (path: string, type: JourneyType, channel: string, reason?: string) => {
    await page.goto(path);
    await journeyIdInTab(page, type);
    await openHelp(page);
    if (reason) await page.getByRole("button", { name: reason }).click();
    const link = page.locator(`a[data-channel="${channel}"]`).first();
    // A phone or email link hands over to another application. Headless Chromium has none, and a
    // tel: link it tried to open leaves the tab's later in-app navigations dead: the page keeps
    // the click (and the portal records the exit) but the browser does not follow the link.
    if (channel === "PHONE" || channel === "EMAIL") await link.evaluate((a) => a.addEventListener("click", (event) => event.preventDefault(), { once: true }));
    await link.click();
  };
  await leave("/account/profile", "profile_update", "HELP_CENTRE");
  await expect(page).toHaveURL(/\/help$/);
  await leave("/account/password", "password_change", "CHAT", "Something didn't work");
  await expect(page).toHaveURL(/\/help\/chat$/);
  // The chat they left for starts here, and is linked to the task they left: the advisor gets a
  // case with that trail. (The exit travels in the tab's next batch, stored while a person reads the page.)
  const leftTask = async () => (await query<{ id: string; outcome: string }>(`SELECT "id", "outcome"::text AS "outcome" FROM "Journey" WHERE "userId" = $1 AND "type" = 'password_change'`, [customer.userId]))[0];
  await expect.poll(async () => (await leftTask())?.outcome, BACKGROUND).toBe("EXITED");
  await page.getByLabel("What is your question about?").selectOption({ label: "Account or password" });
  await page.getByRole("button", { name: "Start a chat" }).click();
  await expect(page.getByTestId("form-message")).toContainText("Your chat is case");
  const [chat] = await query<{ journeyId: string; reason: string; caseNumber: string; caseJourney: string }>(
    `SELECT c."journeyId", c."reason", k."number" AS "caseNumber", k."journeyId" AS "caseJourney" FROM "Contact" c JOIN "Case" k ON k."userId" = c."userId" AND k."channel" = 'CHAT' WHERE c."userId" = $1 AND c."channel" = 'CHAT'`,
    [customer.userId],
  );
  expect(chat).toEqual({ journeyId: (await leftTask()).id, reason: "account", caseNumber: expect.any(String), caseJourney: (await leftTask()).id });
  await expect(page.getByTestId("form-message")).toContainText(`case ${chat.caseNumber}.`);
  await expect(page.getByRole("link", { name: "Your help requests" })).toHaveAttribute("href", "/cases");
  await leave("/account/sessions", "session_management", "SOCIAL");
  await expect(page).toHaveURL(/\/help\/social$/);
  // The phone and email links open another application: the page stays.
  await leave("/account/preferences", "communication_preferences", "PHONE");
  await leave("/account/privacy", "data_export", "EMAIL");

  // Back at the profile after leaving it: a new attempt, which is then left alone.
  await page.goto("/account/profile");
  await journeyIdInTab(page, "profile_update");
  // An address started and left at its form; a return left at the resolution step.
  await page.goto("/account/addresses");
  await journeyIdInTab(page, "address_change");
  await page.goto("/account/addresses/new");
  await expect(page.getByRole("button", { name: "Add address" })).toBeVisible();
  await startReturn(page, customer.orders[0].number, "Trail Canvas Bag");

  // Everything this customer left midway has gone quiet: the abandonment job closes it, run here
  // for this customer with the clock moved on (rather than waiting half an hour).
  const lastSteps = async () =>
    Object.fromEntries((await query<{ type: string; lastStep: string }>(`SELECT "type", "lastStep" FROM "Journey" WHERE "userId" = $1 AND "outcome" = 'IN_PROGRESS'`, [customer.userId])).map((j) => [j.type, j.lastStep]));
  await expect
    .poll(lastSteps, BACKGROUND)
    .toEqual({ profile_update: "form", address_change: "form", return: "resolution", return_tracking: "list" });
  const db = createDb(portalDatabaseUrl(), 1);
  try {
    await closeIdleJourneys(db, { idleMinutes: 30, forwarding: true, now: new Date(Date.now() + 31 * 60_000), userId: customer.userId });
  } finally {
    await db.$disconnect();
  }

  const exited = (type: JourneyType, exitChannel: string): ExpectedAttempt => ({ type, outcome: "EXITED", level: 1, exitChannel });
  await expectTrailAgreement(page, customer.userId, [
    exited("profile_update", "HELP_CENTRE"),
    exited("password_change", "CHAT"),
    exited("session_management", "SOCIAL"),
    exited("communication_preferences", "PHONE"),
    exited("data_export", "EMAIL"),
    { type: "profile_update", outcome: "ABANDONED", level: 1 },
    { type: "address_change", outcome: "ABANDONED", level: 2 },
    { type: "return", outcome: "ABANDONED", level: 3 },
    // The Returns page the return started from is where following a return starts.
    { type: "return_tracking", outcome: "ABANDONED", level: 1 },
  ]);
  // The one reason tapped on leaving travels with that exit, in the store and to PostHog.
  const reasons = await query<{ journeyId: string; type: string; reason: string }>(
    `SELECT e."journeyId", e."journeyType" AS type, e."properties"->>'exit_reason' AS reason FROM "TrailEvent" e JOIN "Journey" j ON j."id" = e."journeyId" WHERE j."userId" = $1 AND e."kind" = 'EXITED' AND e."properties" ? 'exit_reason'`,
    [customer.userId],
  );
  expect(reasons.map((r) => [r.type, r.reason])).toEqual([["password_change", "didnt_work"]]);
  const sent = await postHogEvents(page.request, { event: "password_change_exited" });
  expect(sent.filter((e) => e.properties.journey_id === reasons[0].journeyId).map((e) => e.properties.exit_reason)).toEqual(["didnt_work"]);
});
