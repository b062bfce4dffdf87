// Secrets that arrive in a URL never reach PostHog: a new customer finishes signing up through the
// emailed link, saves a card on Stripe's hosted page (which returns with the Checkout session id),
// changes their sign-in email through another emailed link and resets their password through a
// third, with the PostHog stand-in recording.
// Then everything the stand-in received (events, and the raw bodies and queries of every request,
// /flags included) is scanned for those values, and so are the addresses the pages were shown at.
import type { APIRequestContext, Page } from "@playwright/test";
import { BASE_URL, POSTHOG_STAND_IN_URL } from "./support/env";
import { chooseNewPassword } from "./support/customers";
import { BACKGROUND, expect, SAME_ON_EVERY_VIEWPORT, signIn, test } from "./support/fixtures";
import type { RecordedRequest } from "./support/posthog-stand-in";
import { query } from "./support/portal-db";

const PASSWORD = "a-long-enough-password";

/** Everything the PostHog stand-in has received so far, as one text to search. */
async function everythingPostHogReceived(request: APIRequestContext): Promise<string> {
  const [events, requests] = await Promise.all([request.get(`${POSTHOG_STAND_IN_URL}/_events`), request.get(`${POSTHOG_STAND_IN_URL}/_requests`)]);
  const recorded = (await requests.json()) as RecordedRequest[];
  return JSON.stringify(await events.json()) + JSON.stringify(recorded.map((r) => [r.path, r.query, r.bodyText]));
}

/** The link in the newest email to `to` whose text matches `subject`, once a background job has sent it. */
async function emailedLink(page: Page, to: string, subject: string, href: RegExp): Promise<string> {
  const link = page.getByTestId("email").filter({ hasText: subject }).first().getByRole("link", { name: href });
  await expect(async () => {
    await page.goto(`/dev/mailbox?to=${encodeURIComponent(to)}`);
    await expect(link).toBeVisible({ timeout: 1_000 });
  }).toPass(BACKGROUND);
  return (await link.getAttribute("href"))!;
}

test("reset and confirmation tokens and Stripe session ids never reach PostHog, nor a page's address", SAME_ON_EVERY_VIEWPORT, async ({ page, request }) => {
  test.setTimeout(240_000);
  // Main-frame addresses the portal's pages were shown at (an exchanging redirect is never shown;
  // Stripe's own hosted page is not ours and runs no posthog-js).
  const shownAt: string[] = [];
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame() && frame.url().startsWith(BASE_URL)) shownAt.push(frame.url());
  });
  const stripeReturns: string[] = [];
  page.on("request", (r) => {
    if (/\/return\?session_id=/.test(r.url())) stripeReturns.push(new URL(r.url()).searchParams.get("session_id")!);
  });

  const email = `secrets-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
  await page.goto("/signup");
  await page.getByLabel("Name").fill("Sid Secret");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  // The sign-up finishes through a link with a token.
  const signUpLink = await emailedLink(page, email, "Finish creating your Waymark account", /signup\/confirm/);
  await page.goto(signUpLink);
  await expect(page).toHaveURL(/\/signup\/confirm$/);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create my account" }).click();
  await expect(page.getByRole("heading", { name: "Hello, Sid" })).toBeVisible();

  // Stripe's hosted page returns with the Checkout session id.
  await page.goto("/account/payment-methods");
  await page.getByRole("button", { name: "Add a card" }).click();
  await page.getByLabel("Visa ending 4242").check();
  await page.getByRole("button", { name: "Save card" }).click();
  await expect(page.getByTestId("form-message")).toContainText("Visa ending 4242 is saved", BACKGROUND);
  expect(page.url()).toMatch(/\/account\/payment-methods\/added$/);

  // The sign-in email changes through a link with a token.
  const newEmail = email.replace("secrets-", "secrets-new-");
  await page.goto("/account/email");
  await page.getByLabel("New email address").fill(newEmail);
  await page.getByLabel("Your current password").fill(PASSWORD);
  await page.getByRole("button", { name: "Send confirmation link" }).click();
  await expect(page.getByTestId("form-message")).toContainText(`We sent a confirmation link to ${newEmail}`);
  const confirmLink = await emailedLink(page, newEmail, "Confirm your new Waymark sign-in email", /account\/confirm-email/);
  await page.goto(confirmLink);
  await expect(page).toHaveURL(/\/account\/confirm-email$/);
  await page.getByRole("button", { name: "Confirm new email" }).click();
  await expect(page.getByTestId("form-message")).toHaveText(`Done: you now sign in with ${newEmail}.`);

  // The password is reset through a link with a token, in a signed-out browser.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByText("You are signed out.")).toBeVisible();
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(newEmail);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByTestId("form-message")).toBeVisible();
  const resetLink = await emailedLink(page, newEmail, "Reset your Waymark password", /reset-password/);
  await page.goto(resetLink);
  await expect(page).toHaveURL(/\/reset-password$/);
  await chooseNewPassword(page, "another-long-password");
  await signIn(page, newEmail, "another-long-password");
  await expect(page.getByRole("heading", { name: "Hello, Sid" })).toBeVisible();

  const secrets = {
    "sign-up token": new URL(signUpLink).pathname.split("/").pop()!,
    "email confirmation token": new URL(confirmLink).pathname.split("/").pop()!,
    "password reset token": new URL(resetLink).pathname.split("/").pop()!,
    "Stripe Checkout session id": stripeReturns[0],
  };
  for (const [what, value] of Object.entries(secrets)) expect(value, what).toMatch(/^[A-Za-z0-9_-]{12,}$/);

  // Let posthog-js deliver what the last pages captured, and the outbox forward all of it.
  await page.goto("/account");
  const [{ userId }] = await query<{ userId: string }>(`SELECT "id" AS "userId" FROM "User" WHERE "email" = $1`, [newEmail]);
  await expect.poll(async () => (await query(`SELECT 1 FROM "TrailEvent" e JOIN "Journey" j ON j."id" = e."journeyId" WHERE j."userId" = $1 AND e."journeyType" = 'password_reset' AND e."kind" = 'COMPLETED'`, [userId])).length, BACKGROUND).toBeGreaterThan(0);
  await expect.poll(async () => (await query(`SELECT 1 FROM "OutboxMessage" WHERE "topic" = 'posthog' AND "status" = 'PENDING'`)).length, BACKGROUND).toBe(0);

  const received = await everythingPostHogReceived(request);
  expect(received.length, "the stand-in recorded this run").toBeGreaterThan(1000);
  const hits = Object.entries(secrets).filter(([, value]) => received.includes(value) || shownAt.some((url) => url.includes(value)));
  expect(hits.map(([what]) => what)).toEqual([]);
});
