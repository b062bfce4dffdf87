// What every spec needs: the demo accounts the launcher seeds, signing in through the real form, and
// the events the PostHog stand-in received. Import `test` and `expect` from here, not from @playwright/test.
import { test as base, expect, type APIRequestContext, type Browser, type BrowserContext, type Locator, type Page } from "@playwright/test";
import { ANALYTICS_CONSENT_COOKIE } from "../../lib/privacy/analytics-consent";
import { BASE_URL, POSTHOG_STAND_IN_URL } from "./env";
import type { StoredEvent } from "./posthog-stand-in";

export { expect };
export type { StoredEvent };

/**
 * Waiting for work the portal finishes in the background (outbox deliveries, Stripe's webhooks,
 * posthog-js batches, jobs): generous, because the suite also runs on slow and loaded machines, and
 * free when things are fast, since a wait ends as soon as its condition holds.
 */
export const BACKGROUND = { timeout: 60_000 } as const;

/**
 * For a test whose outcome the viewport cannot change (a server-side limit, an outage, another
 * customer's data, an agent's console, what is sent to PostHog): only the desktop project runs it
 * (playwright.config.ts leaves the tag out of the phone projects), which keeps the suite lean. The
 * phones walk what they show differently: layouts, forms, help in place, the trail's device.
 */
export const SAME_ON_EVERY_VIEWPORT = { tag: "@same-on-every-viewport" } as const;

export const DEMO_PASSWORD = "waymark-demo";

/** Seeded by lib/seed/demo.ts; all share DEMO_PASSWORD. */
export const DEMO = {
  ada: { email: "ada@example.com", password: DEMO_PASSWORD, role: "CUSTOMER" },
  grace: { email: "grace@example.com", password: DEMO_PASSWORD, role: "CUSTOMER" },
  agent: { email: "agent@waymark.test", password: DEMO_PASSWORD, role: "AGENT" },
  analyst: { email: "analyst@waymark.test", password: DEMO_PASSWORD, role: "ANALYST" },
} as const;

const SIGN_IN_PATH = "/signin";

/**
 * Signs in through the sign-in form and waits until the portal has moved on from it. Stays on the
 * current page when that is already the sign-in form (e.g. after a redirect with a callbackUrl).
 */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  if (new URL(page.url(), "http://placeholder").pathname !== SIGN_IN_PATH) await page.goto(SIGN_IN_PATH);
  // exact: a "Show password" toggle or a "Sign in with …" button must not match too.
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page, `sign-in as ${email} did not leave ${SIGN_IN_PATH}`).not.toHaveURL(new RegExp(`${SIGN_IN_PATH}(\\?|$)`));
}

/**
 * Signs in through next-auth's own endpoints, as the sign-in form's script does (the CSRF exchange,
 * then the credentials callback), with the browser's cookies and user agent, without loading the
 * form or the page it moves on to: about a second and a half of each test on a quiet machine,
 * twice that on a busy one. For tests whose subject is not signing in; the page stays where it was
 * (a new page: nowhere). The form itself is walked by auth.spec.ts and the tests of what a sign-in
 * does on a device (sessions, security notices, consent).
 */
export async function signInDirectly(page: Page, email: string, password: string): Promise<void> {
  const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await page.request.post("/api/auth/callback/credentials", { form: { csrfToken, email, password, json: "true" }, maxRedirects: 0 });
  // next-auth answers a refused sign-in 200 too, with the error in the address it names.
  const { url } = (await response.json()) as { url: string };
  expect(new URL(url).searchParams.get("error"), `sign-in as ${email}`).toBeNull();
}

/** On an order's cancel page, chooses every item still left to cancel (nothing is chosen at first). */
export async function chooseEverythingToCancel(page: Page): Promise<void> {
  const quantities = page.getByRole("group", { name: "Items to cancel" }).getByRole("combobox");
  await expect(quantities.first()).toHaveValue("0");
  for (const quantity of await quantities.all()) await quantity.selectOption((await quantity.locator("option").last().getAttribute("value"))!);
}

/** Opens the page's one help entry ("Need a hand?"), where a person and the other channels are offered. */
export async function openHelp(page: Page): Promise<void> {
  const entry = page.getByTestId("help-entry");
  if (!(await entry.evaluate((details) => (details as HTMLDetailsElement).open))) await entry.locator("summary").click();
}

/** "Talk to a person" from the help on the page the customer is on: the number of the case it opened. */
export async function talkToPerson(page: Page): Promise<string> {
  await openHelp(page);
  await page.getByRole("button", { name: "Talk to a person", exact: true }).click();
  const opened = page.getByTestId("form-message").filter({ hasText: "We have opened case" });
  await expect(opened).toBeVisible();
  return (await opened.textContent())!.match(/CS-[0-9A-F]{8}/)![0];
}

/** The demo agent, signed in in a browser of their own beside the customer's, on `path`; `agent.context().close()` when done. */
export async function agentOn(browser: Browser, path: string): Promise<Page> {
  const agent = await (await browser.newContext()).newPage();
  await signInDirectly(agent, DEMO.agent.email, DEMO.agent.password);
  await agent.goto(path);
  return agent;
}

/**
 * The optional "how easy was it" question at the end of a task comes after the page's heading and
 * its confirmation, as the customer reads down the screen (on a phone it once sat above the title).
 */
export async function expectEffortQuestionAfter(page: Page, confirmation: Locator): Promise<void> {
  const question = page.getByTestId("effort-question");
  await expect(question).toBeVisible();
  const top = async (locator: Locator) => (await locator.boundingBox())?.y ?? Number.NaN;
  const questionTop = await top(question);
  expect(questionTop, "the effort question is below the page's heading").toBeGreaterThan(await top(page.getByRole("heading", { level: 1 })));
  expect(questionTop, "the effort question is below the confirmation").toBeGreaterThan(await top(confirmation));
}

export type PostHogEventFilter = {
  event?: string;
  distinctId?: string;
  /** posthog-js's `$device_id`: tells one browser's events apart from another worker's. */
  deviceId?: string;
};

/** Events the PostHog stand-in has received so far (poll with expect.poll: posthog-js sends in batches). */
export async function postHogEvents(request: APIRequestContext, filter: PostHogEventFilter = {}): Promise<StoredEvent[]> {
  const response = await request.get(`${POSTHOG_STAND_IN_URL}/_events`);
  expect(response.ok(), `GET ${POSTHOG_STAND_IN_URL}/_events answered ${response.status()}`).toBe(true);
  const events: unknown = await response.json();
  if (!Array.isArray(events)) throw new Error(`GET ${POSTHOG_STAND_IN_URL}/_events did not return an array of events`);
  return (events as StoredEvent[]).filter(
    (e) =>
      (filter.event === undefined || e.event === filter.event) &&
      (filter.distinctId === undefined || e.distinctId === filter.distinctId) &&
      (filter.deviceId === undefined || e.properties.$device_id === filter.deviceId),
  );
}

const CSP_MARKER = "[csp-violation]";

/**
 * Records every Content-Security-Policy violation in the context's pages: the browser's
 * securitypolicyviolation event (registered before any page script) and Chromium's own console
 * report, which also covers what is refused before a listener could run.
 */
export async function watchCspViolations(context: BrowserContext): Promise<string[]> {
  const violations: string[] = [];
  await context.addInitScript((marker) => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`${marker} ${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile || location.pathname}:${e.lineNumber} (${e.sample})`);
    });
  }, CSP_MARKER);
  context.on("console", (message) => {
    const text = message.text();
    if (text.startsWith(CSP_MARKER) || (message.type() === "error" && /Content Security Policy/i.test(text))) violations.push(`${new URL(message.page()?.url() ?? "about:blank").pathname}: ${text}`);
  });
  return violations;
}

/**
 * Every browser (including those a spec opens with browser.newContext()) starts as a visitor who
 * accepted analytics in the banner, so the specs see the trail as before. e2e/consent.spec.ts
 * starts without it to test the banner itself.
 */
export const ACCEPTED_ANALYTICS = {
  cookies: [{ name: ANALYTICS_CONSENT_COOKIE, value: "granted", domain: new URL(BASE_URL).hostname, path: "/", expires: -1, httpOnly: false, secure: false, sameSite: "Lax" as const }],
  origins: [],
};

type Helpers = {
  signIn: typeof signIn;
  postHogEvents: typeof postHogEvents;
  /** What the page broke of the CSP; every test fails at its end unless this is empty (a test expecting one empties it). */
  cspViolations: string[];
};

export const test = base.extend<Helpers>({
  storageState: ACCEPTED_ANALYTICS,
  // Playwright requires an object pattern as the first argument, even an empty one.
  signIn: async ({}, provide) => provide(signIn),
  postHogEvents: async ({}, provide) => provide(postHogEvents),
  cspViolations: [
    async ({ context }, provide) => {
      const violations = await watchCspViolations(context);
      await provide(violations);
      expect(violations, "the pages broke their Content-Security-Policy").toEqual([]);
    },
    { auto: true },
  ],
});
