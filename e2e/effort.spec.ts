// How hard it felt: the effort answer a customer gives at the end of a task reaches the analyst's
// report for their device, with their words; on a phone and on a computer alike.
import type { Page } from "@playwright/test";
import { signedInCustomer } from "./support/customers";
import { BACKGROUND, DEMO, expect, expectEffortQuestionAfter, postHogEvents, signInDirectly, test } from "./support/fixtures";

/** Answers for Update profile on this device in the effort report (0 when there is no row yet). */
async function answers(page: Page, device: string): Promise<number> {
  // Counting rows does not wait: the report must be on the page first, or an empty read counts 0.
  await expect(page.getByTestId("effort-table")).toBeVisible();
  const row = page.getByTestId("effort-table").getByRole("row").filter({ hasText: "Update profile" }).filter({ hasText: device });
  if ((await row.count()) === 0) return 0;
  return Number((await row.getByRole("cell").nth(2).innerText()).replaceAll(",", ""));
}

test("an effort answer at the end of a task shows in the report, with the comment", async ({ page, browser, isMobile }) => {
  const device = isMobile ? "Mobile" : "Desktop";
  const analyst = await (await browser.newContext()).newPage();
  await signInDirectly(analyst, DEMO.analyst.email, DEMO.analyst.password);
  await analyst.goto("/insights/effort?journey=profile_update");
  const before = await answers(analyst, device);

  const customer = await signedInCustomer(page, "Effie Effort", "effort");
  await page.goto("/account/profile");
  await page.getByLabel("Name").fill("Effie Effortless");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expectEffortQuestionAfter(page, page.getByTestId("form-message"));
  const question = page.getByTestId("effort-question");
  await question.getByRole("radio", { name: "6" }).click();
  const words = `Easy enough ${Date.now()}`;
  await question.getByLabel("Anything that made it harder or easier? (optional)").fill(words);
  await question.getByRole("button", { name: "Send" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Thank you" })).toBeVisible();

  // The report counts every customer's answers, and another walk on this device may answer at the
  // same time: this answer is known by its own words, and the count has grown by at least it.
  await analyst.reload();
  await expect(analyst.getByTestId("effort-comments-table")).toContainText(words);
  expect(await answers(analyst, device)).toBeGreaterThanOrEqual(before + 1);

  // PostHog got the score as a survey answer for this customer's task, without the words.
  await expect
    .poll(async () => (await postHogEvents(page.request, { event: "survey sent", distinctId: customer.analyticsId })).map((e) => [e.properties.$survey_response, e.properties.journey_type, e.properties.step]), BACKGROUND)
    .toEqual([[6, "profile_update", "saved"]]);
  expect(JSON.stringify(await postHogEvents(page.request))).not.toContain(words);
});

test("the seven answers sit on one row, even on a phone, and the one chosen shows as chosen", async ({ page }) => {
  await signedInCustomer(page, "Rowan Row", "effort-row");
  await page.goto("/account/profile");
  await page.getByLabel("Name").fill("Rowan Rowe");
  await page.getByRole("button", { name: "Save profile" }).click();
  const answers = page.getByTestId("effort-question").getByRole("radio");
  await expect(answers).toHaveCount(7);
  // On a phone the row broke after 5, "6 7 Very easy" on a line of their own.
  const tops = await answers.evaluateAll((chips) => chips.map((chip) => Math.round(chip.getBoundingClientRect().top)));
  expect(new Set(tops).size).toBe(1);

  const unchosen = await answers.nth(5).evaluate((chip) => getComputedStyle(chip).backgroundColor);
  await answers.nth(5).click();
  await expect(answers.nth(5)).toHaveAttribute("aria-checked", "true");
  // It looked exactly as before the tap: nothing said which answer was taken.
  await expect(answers.nth(5)).not.toHaveCSS("background-color", unchosen);
  await expect(answers.nth(4)).toHaveCSS("background-color", unchosen);

  // One stop for the keyboard, on the answer chosen; the arrow keys move the choice.
  await expect(answers.nth(5)).toHaveAttribute("tabindex", "0");
  await expect(answers.nth(0)).toHaveAttribute("tabindex", "-1");
  await answers.nth(5).focus();
  await page.keyboard.press("ArrowLeft");
  await expect(answers.nth(4)).toHaveAttribute("aria-checked", "true");
  await expect(answers.nth(4)).toBeFocused();
  // Tab leaves the scale for what comes after it, not for the next answer.
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Anything that made it harder or easier? (optional)")).toBeFocused();
});
