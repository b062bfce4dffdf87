// Each declared journey walked live, as a customer would, with the PostHog stand-in recording: done
// to the end and done again in the same tab, left midway, and left for each channel. For every
// attempt of the test's own customer, the portal's store, the in-portal funnel (the attempt's
// counted level and outcome) and what PostHog received must agree exactly, event by event; the
// expected attempts, outcomes and levels are worked out here from what the test did, never read
// from seeded data or from the product's own funnel code. Desktop and one phone (mobile-android).
import type { Page } from "@playwright/test";
import { createDb } from "../lib/db/client";
import { closeIdleJourneys } from "../lib/trail/abandon";
import { JOURNEYS, type JourneyType } from "../lib/trail/journeys";
import { customerWithOrders, giveOrders, signUp } from "./support/customers";
import { BACKGROUND, DEMO_PASSWORD, expect, postHogEvents, signIn, test } from "./support/fixtures";
import { portalDatabaseUrl, query } from "./support/portal-db";
import { journeyEndedInTab, journeyIdInTab } from "./support/trail";

// One phone is enough for the trail's agreement: mobile-android walks it, the suite stays lean.
test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name === "mobile-iphone", "walked on mobile-android");
  // Long walks (a dozen tasks each) on a machine that may be busy.
  test.slow();
});

type Attempt = { id: string; type: JourneyType; outcome: string; exitChannel: string | null };
type Expected = { type: JourneyType; outcome: string; level: number; exitChannel?: string };

/** The event name PostHog gets for a stored trail event (the naming convention of lib/trail/journeys.ts). */
function eventName(type: string, step: string, kind: string): string {
  if (kind === "EXITED") return `${type}_exited`;
  if (kind === "ABANDONED") return `${type}_abandoned`;
  return `${type}_${step}_${{ VIEWED: "viewed", COMPLETED: "completed", ERROR: "failed" }[kind]}`;
}

/** The ordered funnel, counted by hand: every step's view in order, then the last step's completion. */
function levelOf(type: JourneyType, names: string[]): number {
  const steps = JOURNEYS[type].steps as readonly string[];
  const funnel = [...steps.map((s) => `${type}_${s}_viewed`), `${type}_${steps[steps.length - 1]}_completed`];
  let level = 0;
  for (const name of names) if (name === funnel[level]) level++;
  return level;
}

const full = (type: JourneyType) => JOURNEYS[type].steps.length + 1;

async function attemptsOf(userId: string): Promise<Attempt[]> {
  return query<Attempt>(`SELECT "id", "type", "outcome"::text AS "outcome", "exitChannel"::text AS "exitChannel" FROM "Journey" WHERE "userId" = $1 ORDER BY "startedAt"`, [userId]);
}

async function storedNames(journeyId: string): Promise<string[]> {
  const events = await query<{ journeyType: string; step: string; kind: string }>(
    `SELECT "journeyType", "step", "kind"::text AS "kind" FROM "TrailEvent" WHERE "journeyId" = $1 AND "kind" IN ('VIEWED', 'COMPLETED', 'ERROR', 'EXITED', 'ABANDONED')
     ORDER BY "occurredAt", CASE "kind" WHEN 'VIEWED' THEN 0 ELSE 1 END`,
    [journeyId],
  );
  return events.map((e) => eventName(e.journeyType, e.step, e.kind));
}

/**
 * The three views of the customer's trail agree, attempt by attempt and event by event, and the
 * attempts are what the test did (in any order of types; in start order within a type).
 */
async function expectTrailAgreement(page: Page, userId: string, expected: Expected[]) {
  const summary = async () => {
    const attempts = await attemptsOf(userId);
    const received = await postHogEvents(page.request);
    const facts = await query<{ journeyId: string; level: number; outcome: string }>(`SELECT "journeyId", "level", "outcome"::text AS "outcome" FROM "InsightsAttempt" WHERE "journeyId" = ANY($1)`, [attempts.map((a) => a.id)]);
    return Promise.all(
      attempts.map(async (a) => {
        const stored = await storedNames(a.id);
        const posthog = received
          .filter((e) => e.properties.journey_id === a.id && (e.event.endsWith("_viewed") || e.event.endsWith("_completed") || e.event.endsWith("_failed") || e.event.endsWith("_exited") || e.event.endsWith("_abandoned")))
          .sort((x, y) => (x.timestamp ?? "").localeCompare(y.timestamp ?? "") || Number(y.event.endsWith("_viewed")) - Number(x.event.endsWith("_viewed")))
          .map((e) => e.event);
        const fact = facts.find((f) => f.journeyId === a.id);
        return {
          type: a.type,
          events: stored,
          outcome: a.outcome,
          ...(a.exitChannel ? { exitChannel: a.exitChannel } : {}),
          level: levelOf(a.type, stored),
          posthogMatchesStore: JSON.stringify(posthog) === JSON.stringify(stored) ? true : { stored, posthog },
          insights: fact ? { level: fact.level, outcome: fact.outcome } : null,
        };
      }),
    );
  };
  const want = expected.map((e) => ({ ...e, events: expect.any(Array), posthogMatchesStore: true, insights: { level: e.level, outcome: e.outcome } }));
  const byType = (list: { type: string }[]) => [...list].sort((a, b) => a.type.localeCompare(b.type));
  try {
    await expect.poll(async () => byType(await summary()), { ...BACKGROUND, intervals: [1000] }).toEqual(byType(want));
  } finally {
    // Every attempt's events, for reading a failure.
    await test.info().attach("trail", { body: JSON.stringify(byType(await summary()), null, 1), contentType: "application/json" });
  }
}

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

/** From the Returns page to the resolution step of a return of one item. */
async function startReturn(page: Page, orderNumber: string, productName: string) {
  await page.goto("/returns");
  await journeyIdInTab(page, "return_tracking");
  await page.getByRole("link", { name: `Return items from order ${orderNumber}` }).click();
  await expect(page.getByRole("heading", { name: "Which items are you returning?" })).toBeVisible();
  const item = page.getByRole("group", { name: productName });
  if (!(await item.getByRole("checkbox").isChecked())) await item.getByRole("checkbox").check();
  await item.getByLabel("Why are you returning it?").selectOption({ label: "I changed my mind" });
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByLabel("Refund to your original payment method")).toBeVisible();
}

/** A whole return of one item, for a refund, from the Returns page to its confirmation. */
async function returnItem(page: Page, orderNumber: string, productName: string): Promise<string> {
  await startReturn(page, orderNumber, productName);
  await page.getByLabel("Refund to your original payment method").check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: "What you get back" })).toBeVisible();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel(/Print a label/).check();
  await page.getByRole("button", { name: "Submit return" }).click();
  await expect(page).toHaveURL(/\/returns\/RT-\d{6}\?submitted=1$/);
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
  await trackOrder(page, first.number);
  await trackOrder(page, second.number);

  // Two returns one after the other in this tab: two attempts, each completed.
  await returnItem(page, first.number, "Trail Linen Shirt");
  const returnNumber = await returnItem(page, second.number, "Trail Wool Socks");

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
  await page.getByRole("button", { name: "Cancel these items" }).click();
  await expect(page.getByText("Your order is cancelled.")).toBeVisible();

  const done = (type: JourneyType): Expected => ({ type, outcome: "COMPLETED", level: full(type) });
  await expectTrailAgreement(page, customer.userId, [
    done("signup"),
    done("profile_update"),
    done("profile_update"),
    done("order_tracking"),
    done("order_tracking"),
    done("return"),
    done("return"),
    done("return_tracking"),
    done("return_cancellation"),
    done("order_tracking"),
    done("order_cancellation"),
    // The order page the cancellation lands on shows the order again: tracking it, entered at its
    // second step (so it never entered the funnel), completed by the view.
    { type: "order_tracking", outcome: "COMPLETED", level: 0 },
  ]);
});

test("tasks left for each channel, started again, and left midway until abandoned: the store, the insights and PostHog agree", async ({ page }) => {
  const customer = await customerWithOrders([{ lines: [{ name: "Trail Canvas Bag", priceMinor: 3000 }] }]);
  await signIn(page, customer.email, DEMO_PASSWORD);
  const leave = async (path: string, type: JourneyType, channel: string) => {
    await page.goto(path);
    await journeyIdInTab(page, type);
    const link = page.locator(`a[data-channel="${channel}"]`).first();
    // A phone or email link hands over to another application. Headless Chromium has none, and a
    // tel: link it tried to open leaves the tab's later in-app navigations dead: the page keeps
    // the click (and the portal records the exit) but the browser does not follow the link.
    if (channel === "PHONE" || channel === "EMAIL") await link.evaluate((a) => a.addEventListener("click", (event) => event.preventDefault(), { once: true }));
    await link.click();
  };
  await leave("/account/profile", "profile_update", "HELP_CENTRE");
  await expect(page).toHaveURL(/\/help$/);
  await leave("/account/password", "password_change", "CHAT");
  await expect(page).toHaveURL(/\/help\/chat$/);
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
    .toEqual({ profile_update: "form", address_change: "form", return: "resolution", return_tracking: "list", account_deletion: "privacy" });
  const db = createDb(portalDatabaseUrl(), 1);
  try {
    await closeIdleJourneys(db, { idleMinutes: 30, forwarding: true, now: new Date(Date.now() + 31 * 60_000), userId: customer.userId });
  } finally {
    await db.$disconnect();
  }

  const exited = (type: JourneyType, exitChannel: string): Expected => ({ type, outcome: "EXITED", level: 1, exitChannel });
  await expectTrailAgreement(page, customer.userId, [
    exited("profile_update", "HELP_CENTRE"),
    exited("password_change", "CHAT"),
    exited("session_management", "SOCIAL"),
    exited("communication_preferences", "PHONE"),
    exited("data_export", "EMAIL"),
    // The privacy page is also where deleting the account starts.
    { type: "account_deletion", outcome: "ABANDONED", level: 1 },
    { type: "profile_update", outcome: "ABANDONED", level: 1 },
    { type: "address_change", outcome: "ABANDONED", level: 2 },
    { type: "return", outcome: "ABANDONED", level: 3 },
    // The Returns page the return started from is where following a return starts.
    { type: "return_tracking", outcome: "ABANDONED", level: 1 },
  ]);
});
