// Why customers leave: the reason a customer taps as they leave a step, and the code an agent
// gives the call that follows, both reach the analyst's top-triggers report.
import type { Browser, Page } from "@playwright/test";
import { customerWithOrders } from "./support/customers";
import { BACKGROUND, DEMO, DEMO_PASSWORD, expect, openHelp, postHogEvents, SAME_ON_EVERY_VIEWPORT, signInDirectly, test } from "./support/fixtures";
import { query } from "./support/portal-db";

const REPORT = "/insights/triggers?journey=order_cancellation&device=DESKTOP";

/**
 * Opens the report's row for a reason at Cancel an order › lines on a desktop, and returns what
 * makes it up for this test's own attempt (the report's counts are shared with every other test's
 * customers; the attempt is this test's alone).
 */
async function entriesOfAttempt(analyst: Page, reason: string, journeyId: string): Promise<string[]> {
  await analyst.goto(REPORT);
  const row = analyst.getByTestId("triggers-table").getByRole("row").filter({ hasText: reason }).filter({ hasText: "lines" });
  await row.getByRole("link", { name: reason }).click();
  const table = analyst.getByTestId("trigger-entries-table");
  await expect(table).toBeVisible();
  // Each row: when (the row's header), then what happened, …, and the link to the attempt's trail.
  const rows = table.getByRole("row").filter({ has: analyst.locator(`a[href="/insights/explorer/${journeyId}"]`) });
  return rows.evaluateAll((found) => found.map((row) => row.querySelector("td")?.textContent?.trim() ?? ""));
}

/** The attempt the customer left for another channel with this reason, once the exit is stored. */
async function exitedAttempt(userId: string, reason: string): Promise<string> {
  let journeyId = "";
  await expect
    .poll(async () => {
      const [exit] = await query<{ journeyId: string }>(
        `SELECT e."journeyId" FROM "TrailEvent" e JOIN "Journey" j ON j."id" = e."journeyId" WHERE j."userId" = $1 AND e."kind" = 'EXITED' AND e."properties"->>'exit_reason' = $2`,
        [userId, reason],
      );
      journeyId = exit?.journeyId ?? "";
      return journeyId;
    }, BACKGROUND)
    .not.toBe("");
  return journeyId;
}

/** An agent, signed in in a browser of their own, at the form that logs a contact from this customer. */
async function agentLoggingContactOf(browser: Browser, userId: string): Promise<Page> {
  const agent = await (await browser.newContext()).newPage();
  await signInDirectly(agent, DEMO.agent.email, DEMO.agent.password);
  await agent.goto(`/agent/contacts?customer=${userId}`);
  return agent;
}

test("an exit with a reason and an agent-coded contact both show in the top-triggers report", SAME_ON_EVERY_VIEWPORT, async ({ page, browser }) => {
  // The customer leaves the cancellation for the phone, saying why and in their own words.
  const customer = await customerWithOrders([{ lines: [{ name: "Trigger Test Lamp", category: "home", priceMinor: 4500 }], status: "PROCESSING" }]);
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  await page.goto(`/orders/${customer.orders[0].number}/cancel`);
  await openHelp(page);
  await page.getByRole("button", { name: "I'm worried about my money" }).click();
  const words = `Will I get my deposit back ${Date.now()}`;
  await page.getByLabel("In your own words (optional)").fill(words);
  await page.getByRole("link", { name: "Call us" }).click();
  const journeyId = await exitedAttempt(customer.userId, "money_worry");

  // The agent logs the call that follows and codes why the customer reached out.
  const agent = await agentLoggingContactOf(browser, customer.userId);
  await agent.getByLabel("Reason").selectOption({ label: "Cancel an order" });
  await agent.getByLabel("Did this contact resolve the customer’s need?").selectOption("yes");
  // Sent without saying what made them reach out: refused, and every choice made stays as it was.
  await agent.getByRole("button", { name: "Log contact" }).click();
  await expect(agent.getByLabel("What made them reach out?")).toHaveAttribute("aria-invalid", "true");
  await expect(agent.getByLabel("Reason")).toHaveValue("cancel_order");
  await expect(agent.getByLabel("Did this contact resolve the customer’s need?")).toHaveValue("yes");
  await agent.getByLabel("What made them reach out?").selectOption({ label: "I'd rather talk to a person" });
  await agent.getByRole("button", { name: "Log contact" }).click();
  await expect(agent.getByTestId("form-message")).toContainText("the customer left “Cancel an order” at step “Choosing what to cancel” to call us");
  expect(await query(`SELECT "channel"::text, "reason", "trigger", "resolvedNeed" FROM "Contact" WHERE "userId" = $1`, [customer.userId])).toEqual([
    { channel: "PHONE", reason: "cancel_order", trigger: "rather_person", resolvedNeed: true },
  ]);

  // The analyst sees the exit under the reason the customer tapped, the call under the agent's code.
  const analyst = await (await browser.newContext()).newPage();
  await signInDirectly(analyst, DEMO.analyst.email, DEMO.analyst.password);
  expect(await entriesOfAttempt(analyst, "worried about my money", journeyId)).toEqual(["Left for phone"]);
  expect(await entriesOfAttempt(analyst, "rather talk to a person", journeyId)).toEqual(["Phone contact, need resolved"]);
  await analyst.goto(REPORT);
  await expect(analyst.getByTestId("leave-comments-table")).toContainText(words);

  // PostHog got the reason with the exit, and never the customer's words.
  await expect
    .poll(async () => (await postHogEvents(page.request, { event: "order_cancellation_exited" })).filter((e) => e.properties.journey_id === journeyId).map((e) => e.properties.exit_reason), BACKGROUND)
    .toEqual(["money_worry"]);
  expect(JSON.stringify(await postHogEvents(page.request))).not.toContain(words);
});

test("an agent writes down what was said on a logged contact: kept when refused, shown on the case and on the attempt's trail", SAME_ON_EVERY_VIEWPORT, async ({ page, browser }) => {
  // The customer leaves the cancellation for the phone.
  const customer = await customerWithOrders([{ lines: [{ name: "Noted Test Lamp", category: "home", priceMinor: 3900 }], status: "PROCESSING" }]);
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  await page.goto(`/orders/${customer.orders[0].number}/cancel`);
  await openHelp(page);
  await page.getByRole("button", { name: "I'd rather talk to a person" }).click();
  await page.getByRole("link", { name: "Call us" }).click();
  const journeyId = await exitedAttempt(customer.userId, "rather_person");

  // The agent logs the call with what was said; sent without what made them reach out, the note stays.
  const agent = await agentLoggingContactOf(browser, customer.userId);
  const said = `Wants the lamp cancelled before it ships.\nAsked for a call back ${Date.now()}`;
  await agent.getByLabel("Reason").selectOption({ label: "Cancel an order" });
  await agent.getByLabel("What was said (optional)").fill(said);
  await agent.getByRole("button", { name: "Log contact" }).click();
  await expect(agent.getByLabel("What made them reach out?")).toHaveAttribute("aria-invalid", "true");
  await expect(agent.getByLabel("What was said (optional)")).toHaveValue(said);
  await agent.getByLabel("What made them reach out?").selectOption({ label: "I'd rather talk to a person" });
  await agent.getByRole("button", { name: "Log contact" }).click();
  const logged = agent.getByTestId("form-message").filter({ hasText: "is in the queue for follow-up" });
  await expect(logged).toBeVisible();
  // Where the customer went, as a sentence says it (it read '… for phone 0 minutes before').
  await expect(logged).toContainText(/^Contact logged and linked: the customer left “Cancel an order” at step “.+” to call us \d+ minutes? before this contact\./);
  // Logged: the form starts afresh, so the note is not logged twice.
  await expect(agent.getByLabel("What was said (optional)")).toHaveValue("");
  expect(await query(`SELECT "note" FROM "Contact" WHERE "userId" = $1`, [customer.userId])).toEqual([{ note: said }]);

  // The follow-up case shows it, its lines as written.
  const caseNumber = (await logged.textContent())!.match(/CS-[0-9A-F]{8}/)![0];
  await agent.goto(`/agent/cases/${caseNumber}`);
  await expect(agent.getByRole("region", { name: "Contacts" }).locator(".contact-note")).toHaveText(said);

  // And the analyst reads it on the attempt's trail, with the contact it belongs to.
  const analyst = await (await browser.newContext()).newPage();
  await signInDirectly(analyst, DEMO.analyst.email, DEMO.analyst.password);
  await analyst.goto(`/insights/explorer/${journeyId}`);
  await expect(analyst.getByTestId("attempt-contacts")).toContainText("Asked for a call back");
});
