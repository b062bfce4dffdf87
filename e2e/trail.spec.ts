import { BACKGROUND, expect, openHelp, postHogEvents, test } from "./support/fixtures";
import { SIGN_UP_SENT, SIGNED_UP, signUpLink } from "./support/customers";
import { query, trailOfJourney } from "./support/portal-db";
import { journeyIdInTab } from "./support/trail";

test("leaving sign-up for the help centre records the exit at its step, here and in PostHog", async ({ page }) => {
  await page.goto("/signup");
  const journeyId = await journeyIdInTab(page, "signup");
  await openHelp(page);
  await page.getByRole("link", { name: "Help centre" }).click();
  await expect(page.getByRole("heading", { name: "Help centre" })).toBeVisible();

  await expect
    .poll(async () => (await trailOfJourney(journeyId)).map((e) => `${e.step}:${e.kind}:${e.channel ?? "-"}`), BACKGROUND)
    .toEqual(["details:VIEWED:-", "details:EXITED:HELP_CENTRE"]);
  const [journey] = await query<{ outcome: string; exitChannel: string; lastStep: string; deviceClass: string }>(
    `SELECT "outcome", "exitChannel", "lastStep", "deviceClass" FROM "Journey" WHERE "id" = $1`,
    [journeyId],
  );
  const mobile = test.info().project.name.startsWith("mobile");
  expect(journey).toEqual({ outcome: "EXITED", exitChannel: "HELP_CENTRE", lastStep: "details", deviceClass: mobile ? "MOBILE" : "DESKTOP" });

  // The same two events reach PostHog (through the portal's outbox), once each.
  await expect
    .poll(async () => (await postHogEvents(page.request)).filter((e) => e.properties.journey_id === journeyId).map((e) => e.event).sort(), BACKGROUND)
    .toEqual(["signup_details_viewed", "signup_exited"]);
  const stored = await trailOfJourney(journeyId);
  const forwarded = (await postHogEvents(page.request)).filter((e) => e.properties.journey_id === journeyId);
  expect(forwarded.map((e) => e.uuid).sort()).toEqual(stored.map((e) => e.id).sort());
  expect(forwarded.find((e) => e.event === "signup_exited")?.properties).toMatchObject({ channel: "HELP_CENTRE", step: "details", journey_id: journeyId });
});

test("a completed sign-up is one journey from the browser's first step to the server's last, joined to the customer", async ({ page }, testInfo) => {
  const email = `trail-${testInfo.project.name}-${Date.now()}@example.com`;
  await page.goto("/signup");
  const journeyId = await journeyIdInTab(page, "signup");
  await page.getByLabel("Name").fill("Tara Trail");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a-long-enough-password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("form-message")).toHaveText(SIGN_UP_SENT);
  // The emailed link, opened in the same tab.
  await page.goto(await signUpLink(email));
  await page.getByLabel("Password").fill("a-long-enough-password");
  await page.getByRole("button", { name: "Create my account" }).click();
  await expect(page.getByRole("heading", { name: "Hello, Tara" })).toBeVisible();

  await expect
    .poll(async () => (await trailOfJourney(journeyId)).map((e) => `${e.step}:${e.kind}:${e.source}`), BACKGROUND)
    .toEqual(SIGNED_UP);
  const [journey] = await query<{ outcome: string; email: string; analyticsId: string }>(
    `SELECT j."outcome", u."email", u."analyticsId" FROM "Journey" j JOIN "User" u ON u."id" = j."userId" WHERE j."id" = $1`,
    [journeyId],
  );
  expect(journey).toMatchObject({ outcome: "COMPLETED", email });

  // PostHog gets both steps; after sign-in the browser is identified with the opaque id, never the email.
  await expect
    .poll(async () => (await postHogEvents(page.request)).filter((e) => e.properties.journey_id === journeyId).map((e) => e.event).sort(), BACKGROUND)
    .toEqual(["signup_account_completed", "signup_account_viewed", "signup_details_completed", "signup_details_viewed", "signup_email_completed", "signup_email_viewed"]);
  await expect.poll(async () => (await postHogEvents(page.request, { event: "$identify", distinctId: journey.analyticsId })).length, BACKGROUND).toBeGreaterThan(0);
});
