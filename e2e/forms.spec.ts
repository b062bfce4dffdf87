// What every form owes the customer, walked on a desktop and a phone: a refused submit leaves the
// keyboard on the field to correct and its message is read out; passwords do not stay typed after
// they have done their work; a field holding a character that cannot be used is named and nothing
// typed is lost; "What went wrong?" goes once the task succeeds; the return form survives a reload.
import type { Locator, Page } from "@playwright/test";
import { DEMO_PASSWORD, expect, SAME_ON_EVERY_VIEWPORT, signInDirectly, test } from "./support/fixtures";
import { customerWithOrders, signedInCustomer } from "./support/customers";
import { query } from "./support/portal-db";
import { keptWizardKey } from "../app/orders/[number]/return/wizard-state";

const UNUSABLE = "This holds a hidden character that cannot be used, often brought in by pasting. Type it again and send it.";

/** Puts text with a NUL byte in a field, as pasting from some programs does (typing cannot). */
async function pasteWithNul(field: Locator, text: string) {
  await field.evaluate((element, value) => {
    const prototype = element instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(prototype, "value")!.set!.call(element, value);
    element.dispatchEvent(new Event("input", { bubbles: true }));
  }, text);
}

/** Holds the page's scripts back, so what it shows cannot yet be used; the page becomes interactive once they are released. */
async function holdScripts(page: Page): Promise<() => void> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/_next/static/chunks/**", async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

const form = (page: Page, button: string) => page.locator("form").filter({ has: page.getByRole("button", { name: button }) });

test("a refused password change leaves the keyboard on the field to correct and says why aloud; a changed one leaves no password typed", async ({ page }) => {
  const customer = await signedInCustomer(page, "Fern Focus", "focus");
  await page.goto("/account/password");
  const change = form(page, "Change password");
  // The region that says the outcome is there before it has anything to say, so it is read out.
  await expect(change.getByRole("status")).toHaveText("");

  await page.getByLabel("Current password").fill(customer.password);
  await page.getByLabel("New password", { exact: true }).fill("a-new-long-password");
  await page.getByLabel("Repeat the new password").fill("a-different-password");
  await page.getByLabel("Repeat the new password").press("Enter");
  await expect(change.getByRole("alert")).toBeVisible();
  await expect(page.getByLabel("Repeat the new password")).toBeFocused();
  await expect(page.getByLabel("Repeat the new password")).toHaveAccessibleDescription("The two new passwords do not match.");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Change password" })).toBeFocused();

  await page.getByLabel("Repeat the new password").fill("a-new-long-password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByTestId("form-message")).toContainText("Your password is changed.");
  for (const label of ["Current password", "New password", "Repeat the new password"]) await expect(page.getByLabel(label, { exact: true })).toHaveValue("");

  // A second tap sends nothing that could be taken for the old password.
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByLabel("Current password")).toBeFocused();
  await expect(page.getByText("That is not your current password", { exact: false })).toHaveCount(0);
});

test("'What went wrong?' is offered after a refused email change and goes once the change is sent; the password is not left typed", async ({ page }) => {
  const customer = await signedInCustomer(page, "Wes Wentwrong", "went-wrong");
  await page.goto("/account/email");
  await page.getByRole("button", { name: "Send confirmation link" }).click();
  await expect(page.getByTestId("went-wrong")).toBeVisible();
  await expect(page.getByLabel("New email address")).toBeFocused();

  await page.getByLabel("New email address").fill(`new-${customer.email}`);
  await page.getByLabel("Your current password").fill(customer.password);
  await page.getByRole("button", { name: "Send confirmation link" }).click();
  await expect(page.getByTestId("form-message")).toContainText("We sent a confirmation link to");
  await expect(page.getByTestId("went-wrong")).toHaveCount(0);
  await expect(page.getByLabel("Your current password")).toHaveValue("");
});

test("a new delivery address and a chat sent empty are answered in our words, on the field to correct, not with the browser's bubble", async ({ page }) => {
  const customer = await customerWithOrders([{ status: "PROCESSING", lines: [{ name: "Bubble Test Lamp", category: "home", priceMinor: 3000 }] }]);
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  await page.goto(`/orders/${customer.orders[0].number}/delivery-address`);
  await page.getByLabel("A new address").check();
  await page.getByRole("button", { name: "Deliver here" }).click();
  await expect(form(page, "Deliver here").getByRole("alert")).toHaveText("Please correct the highlighted fields.");
  await expect(page.getByLabel("Full name")).toBeFocused();
  await expect(page.getByLabel("Full name")).toHaveAccessibleDescription("Enter the full name.");

  await page.goto("/help/chat");
  await page.getByRole("button", { name: "Start a chat" }).click();
  await expect(page.getByLabel("What is your question about?")).toBeFocused();
  await expect(page.getByLabel("What is your question about?")).toHaveAccessibleDescription("Choose what your question is about.");
});

test("a refusal about the address chosen goes once another is chosen: it is not left beside a new address being typed", SAME_ON_EVERY_VIEWPORT, async ({ page }) => {
  const customer = await customerWithOrders([{ status: "PROCESSING", lines: [{ name: "Same Place Lamp", category: "home", priceMinor: 3000 }] }]);
  // A saved address that is where the order already goes.
  await query(`INSERT INTO "Address" ("id", "userId", "fullName", "line1", "city", "postalCode", "country") VALUES ($1, $2, 'Rhea Returns', '12 Return Road', 'London', 'N1 9GU', 'GB')`, [
    `e2e_adr_${customer.userId}`,
    customer.userId,
  ]);
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  await page.goto(`/orders/${customer.orders[0].number}/delivery-address`);
  // Where it goes now is said, and chosen at first: "Deliver here" unread changes nothing.
  await expect(page.getByTestId("delivery-address-now")).toContainText("12 Return Road");
  await expect(page.getByLabel(/12 Return Road.*\(where it goes now\)/)).toBeChecked();
  await page.getByRole("button", { name: "Deliver here" }).click();
  const refusal = page.getByText("That is already where this order goes.");
  await expect(refusal).toBeVisible();
  await page.getByLabel("A new address").check();
  await expect(page.getByLabel("Full name")).toBeVisible();
  await expect(refusal).toHaveCount(0);
});

test("a delivery-address form opened before the address changed cannot undo the change: it says so instead", SAME_ON_EVERY_VIEWPORT, async ({ page }) => {
  const customer = await customerWithOrders([{ status: "PROCESSING", lines: [{ name: "Two Tabs Lamp", category: "home", priceMinor: 3000 }] }]);
  await query(`INSERT INTO "Address" ("id", "userId", "fullName", "line1", "city", "postalCode", "country") VALUES ($1, $2, 'Tara Tabs', '5 Other Road', 'Leeds', 'LS3 3AA', 'GB')`, [
    `e2e_adr2_${customer.userId}`,
    customer.userId,
  ]);
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  const address = `/orders/${customer.orders[0].number}/delivery-address`;
  // The same form open in a second tab, before the change is made in the first.
  const other = await page.context().newPage();
  await other.goto(address);
  await page.goto(address);
  await page.getByLabel(/5 Other Road/).check();
  await page.getByRole("button", { name: "Deliver here" }).click();
  await expect(page.getByText("The new delivery address is saved.")).toBeVisible();

  await expect(other.getByTestId("delivery-address-now")).not.toContainText("5 Other Road");
  await other.getByLabel(/5 Other Road/).check();
  await other.getByRole("button", { name: "Deliver here" }).click();
  await expect(other.getByTestId("form-message")).toHaveText("Where this order goes has changed since this page was opened. Reload the page to see where it goes now, then choose again.");
  const [order] = await query<{ line1: string }>(`SELECT "shippingAddress"->>'line1' AS "line1" FROM "Order" WHERE "number" = $1`, [customer.orders[0].number]);
  expect(order.line1).toBe("5 Other Road");
  await other.close();
});

test("a second chat about the same thing joins the case the advisor already has, and says so", SAME_ON_EVERY_VIEWPORT, async ({ page }) => {
  await signedInCustomer(page, "Chad Chat", "chat-again");
  const startChat = async () => {
    await page.goto("/help/chat");
    await page.getByLabel("What is your question about?").selectOption({ label: "Account or password" });
    await page.getByRole("button", { name: "Start a chat" }).click();
    return page.getByTestId("form-message");
  };
  const first = await startChat();
  await expect(first).toContainText(/Your chat is case CS-[0-9A-F]{8}\./);
  const caseNumber = (await first.textContent())!.match(/CS-[0-9A-F]{8}/)![0];
  // The same number again, unexplained, read as a mistake.
  await expect(await startChat()).toContainText(`This chat is added to your open case ${caseNumber}`);
});

test("an address line holding a NUL byte is named, and everything typed stays for the next save", async ({ page }) => {
  const customer = await signedInCustomer(page, "Nora Nul", "nul-address");
  await page.goto("/account/addresses/new");
  await page.getByLabel("Address line 1").fill("27 Marchmont Street");
  await page.getByLabel("Town or city").fill("London");
  await page.getByLabel("Postcode").fill("WC1N 1AP");
  await page.getByRole("button", { name: "Add address" }).click();
  await expect(page.getByTestId("form-message")).toHaveText("The address is added to your address book.");

  await page.getByRole("link", { name: "Edit address at 27 Marchmont Street" }).click();
  const line1 = page.getByLabel("Address line 1");
  await pasteWithNul(line1, "12 Gower\u0000 Street");
  await page.getByLabel("Town or city").fill("Camden Town");
  await page.getByRole("button", { name: "Save address" }).click();
  await expect(line1).toHaveAccessibleDescription(`House number and street. ${UNUSABLE}`);
  await expect(line1).toBeFocused();
  await expect(line1).toHaveValue("12 Gower\u0000 Street");
  await expect(page.getByLabel("Town or city")).toHaveValue("Camden Town");

  await line1.fill("12 Gower Street");
  await page.getByRole("button", { name: "Save address" }).click();
  await expect(page.getByTestId("form-message")).toHaveText("The address is updated.");
  expect(await query(`SELECT "line1", "city" FROM "Address" WHERE "userId" = $1 AND "deletedAt" IS NULL`, [customer.userId])).toEqual([{ line1: "12 Gower Street", city: "Camden Town" }]);
});

test("the return form refuses a note holding a NUL byte where it is typed, comes back as it was after a reload, and starts afresh after it is sent", async ({ page }) => {
  const customer = await customerWithOrders([{ lines: [{ name: "Kept Test Lamp", category: "home", priceMinor: 4200, quantity: 2 }] }]);
  const [order] = customer.orders;
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  await page.goto(`/orders/${order.number}/return`);
  await expect(page.getByRole("heading", { name: "Which items are you returning?" })).toBeVisible();
  const lamp = page.getByRole("group", { name: "Kept Test Lamp" });
  await lamp.getByLabel("Why are you returning it?").selectOption({ label: "I changed my mind" });
  const note = lamp.getByLabel("Anything we should know? (optional)");
  await pasteWithNul(note, "Never\u0000 used");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(note).toHaveAccessibleDescription(UNUSABLE);
  await expect(note).toBeFocused();
  await expect(page.getByRole("heading", { name: "Which items are you returning?" })).toBeVisible();

  await note.fill("Never used");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("Refund to your original payment method").check();
  await page.reload();
  await expect(page.getByRole("heading", { name: "How would you like it settled?" })).toBeVisible();
  await expect(page.getByLabel("Refund to your original payment method")).toBeChecked();
  await page.getByRole("button", { name: "Back" }).click();
  await expect(lamp.getByLabel("Why are you returning it?")).toHaveValue("changed_mind");
  await expect(note).toHaveValue("Never used");

  for (const heading of ["How would you like it settled?", "What you get back", "How will you send it back?"]) {
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByRole("heading", { name: heading })).toBeVisible();
  }
  await page.getByLabel(/Drop it off/).check();
  await page.getByRole("button", { name: "Submit return" }).click();
  await expect(page).toHaveURL(/\/returns\/RT-\d{6}$/);

  // One lamp is left to return: its form starts afresh.
  await page.goto(`/orders/${order.number}/return`);
  await expect(page.getByRole("heading", { name: "Which items are you returning?" })).toBeVisible();
  await expect(lamp.getByLabel("Why are you returning it?")).toHaveValue("");
  await expect(lamp.getByLabel("Anything we should know? (optional)")).toHaveValue("");
});

test("a tap on the problem report's answer held while the page becomes interactive chooses what was tapped, and that is what the order gets", async ({ page }) => {
  const customer = await customerWithOrders([{ lines: [{ name: "Linen shirt", priceMinor: 3000 }] }]);
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  const [order] = customer.orders;
  await page.goto(`/orders/${order.number}/problem`);
  await page.getByLabel("Something arrived damaged").check();
  await page.getByRole("checkbox", { name: /Linen shirt/ }).check();
  // The answer's page loads with its script held back: the finger goes down on Refund before the
  // page is interactive and comes up after. Becoming interactive must not move the page beneath it.
  const release = await holdScripts(page);
  await page.getByRole("button", { name: "See what we can do" }).click();
  // The answer's page is all there and laid out, as a customer sees it before tapping (waiting on
  // the answer's own address: the page before it has long been loaded, and a wait on it raced the navigation).
  await page.waitForURL(/[?&]kind=/, { waitUntil: "domcontentloaded" });
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  const refund = page.getByRole("radio", { name: /Refund/ });
  await refund.scrollIntoViewIfNeeded();
  const box = (await refund.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  release();
  // Interactive: the answer's heading takes focus.
  await expect(page.getByRole("heading", { name: "What we can do" })).toBeFocused();
  await page.mouse.up();
  await expect(refund).toBeChecked();
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByText("Your refund is on its way to your card.")).toBeVisible();
  const recorded = await query<{ resolution: string }>(
    `SELECT e."properties"->>'resolution' AS "resolution" FROM "TrailEvent" e JOIN "Journey" j ON j."id" = e."journeyId"
     WHERE j."userId" = $1 AND e."journeyType" = 'problem_report' AND e."step" = 'resolution' AND e."kind" = 'COMPLETED'`,
    [customer.userId],
  );
  expect(recorded).toEqual([{ resolution: "REFUND" }]);
});

test("an item ticked on the return form before the page is interactive stays chosen, with its reason to choose, and Continue takes it", async ({ page }) => {
  const customer = await customerWithOrders([{ lines: [{ name: "Early Tick Lamp", category: "home", priceMinor: 3000 }, { name: "Early Tick Vase", category: "home", priceMinor: 2000 }] }]);
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  const release = await holdScripts(page);
  await page.goto(`/orders/${customer.orders[0].number}/return`, { waitUntil: "commit" });
  const vase = page.getByRole("group", { name: "Early Tick Vase" });
  await vase.getByRole("checkbox").check();
  release();
  await vase.getByLabel("Why are you returning it?").selectOption({ label: "I changed my mind" });
  await expect(vase.getByRole("checkbox")).toBeChecked();
  await expect(page.getByRole("group", { name: "Early Tick Lamp" }).getByRole("checkbox")).not.toBeChecked();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: "How would you like it settled?" })).toBeVisible();
});

test("a reason chosen on a one-item return before the page is interactive is the one kept", async ({ page }) => {
  const customer = await customerWithOrders([{ lines: [{ name: "Early Reason Lamp", category: "home", priceMinor: 3000 }] }]);
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  const release = await holdScripts(page);
  await page.goto(`/orders/${customer.orders[0].number}/return`, { waitUntil: "commit" });
  const reason = page.getByLabel("Why are you returning it?");
  await reason.selectOption({ label: "I changed my mind" });
  release();
  // Interactive once the form keeps itself for a reload.
  await page.waitForFunction((key) => sessionStorage.getItem(key) !== null, keptWizardKey(customer.orders[0].number));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: "How would you like it settled?" })).toBeVisible();
  await page.getByRole("button", { name: "Back" }).click();
  await expect(reason).toHaveValue("changed_mind");
});

test("a new delivery address chosen before the page is interactive stays chosen, with its fields to fill in", async ({ page }) => {
  const customer = await customerWithOrders([{ status: "PROCESSING", lines: [{ name: "Early Tap Lamp", category: "home", priceMinor: 3000 }] }]);
  await query(`INSERT INTO "Address" ("id", "userId", "fullName", "line1", "city", "postalCode", "country") VALUES ($1, $2, 'Rhea Returns', '12 Return Road', 'London', 'N1 9GU', 'GB')`, [
    `e2e_adr_${customer.userId}`,
    customer.userId,
  ]);
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  const release = await holdScripts(page);
  await page.goto(`/orders/${customer.orders[0].number}/delivery-address`, { waitUntil: "commit" });
  await page.getByLabel("A new address").check();
  // The customer has no time zone yet: the page stores the browser's and is refreshed with it.
  const refreshed = page.waitForResponse((response) => response.request().headers()["rsc"] === "1");
  release();
  await expect(page.getByLabel("Full name")).toBeVisible();
  await expect(page.getByLabel("A new address")).toBeChecked();
  await refreshed;
  await page.getByLabel("Full name").fill("Rhea Returns");
  await expect(page.getByLabel("A new address")).toBeChecked();
  await expect(page.getByLabel("Full name")).toHaveValue("Rhea Returns");
});
