// The account tasks, walked by a fresh customer per test (the demo accounts' email and password
// never change): profile, sign-in email, password, addresses, communication preferences,
// signed-in devices, download my data and account deletion — each with its bad input and the
// trail it leaves. Grace and Ada are only used to check that one customer cannot reach another's.
import { readFile } from "node:fs/promises";
import { devices, type Browser, type BrowserContextOptions, type Page } from "@playwright/test";
import { describeUserAgent } from "../lib/http/device";
import { BACKGROUND, DEMO, expect, openHelp, SAME_ON_EVERY_VIEWPORT, signIn, signInDirectly, test } from "./support/fixtures";
import { newCustomer, signedInCustomer, signUp } from "./support/customers";
import { expectMessagedOnce } from "./support/messages";
import { query, trailOf, trailOfJourney, withNewOrderNumber } from "./support/portal-db";
import { completed, expectTrailAgreement, journeyIdInTab } from "./support/trail";
import { E2E_POSTHOG_PROJECT_ID, POSTHOG_STAND_IN_URL } from "./support/env";


/** A second browser signed in to the same account (another device; `device`: what kind, e.g. a phone's user agent). */
async function otherDevice(browser: Browser, customer: { email: string; password: string }, device: BrowserContextOptions = {}) {
  const context = await browser.newContext(device);
  const page = await context.newPage();
  await signIn(page, customer.email, customer.password);
  return { context, page };
}

/** Types past the field's maxlength, as a crafted request would: the server must refuse it too. */
async function fillBeyondLimit(page: Page, label: string, value: string) {
  const field = page.getByLabel(label, { exact: true });
  await field.evaluate((input) => input.removeAttribute("maxlength"));
  await field.fill(value);
}

async function isSignedIn(page: Page) {
  await page.goto("/account");
  return !/\/signin/.test(page.url());
}

/**
 * The trail of one task type, as `step:KIND[:error]`, polled until the browser's batches have
 * arrived. Only its start is compared: a page shown again after a redirect may add a last view.
 */
async function expectTrail(email: string, journeyType: string, expected: string[]) {
  await expect
    .poll(async () => (await trailOf(email, journeyType)).map((e) => `${e.step}:${e.kind}${e.errorCode ? `:${e.errorCode}` : ""}`).slice(0, expected.length), BACKGROUND)
    .toEqual(expected);
}

test("the account page links every account task, including payment methods", async ({ page }) => {
  await signedInCustomer(page, "Olga Overview", "overview");
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Hello, Olga" })).toBeVisible();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Account" }).click();
  await expect(page.getByRole("heading", { name: "Your account", level: 1 })).toBeVisible();
  const tasks = page.getByRole("list", { name: "Account tasks" });
  for (const [name, href] of [
    ["Profile", "/account/profile"],
    ["Sign-in email", "/account/email"],
    ["Password", "/account/password"],
    ["Addresses", "/account/addresses"],
    ["Communication preferences", "/account/preferences"],
    ["Payment methods", "/account/payment-methods"],
    ["Signed-in devices", "/account/sessions"],
    ["Privacy", "/account/privacy"],
  ]) {
    await expect(tasks.getByRole("link", { name, exact: true })).toHaveAttribute("href", href);
  }
  await expect(tasks).toContainText("No saved addresses yet.");

  // Every account page fits a 360 px screen: nothing overflows sideways.
  await page.setViewportSize({ width: 360, height: 740 });
  for (const path of ["/account", "/account/profile", "/account/email", "/account/password", "/account/addresses", "/account/addresses/new", "/account/preferences", "/account/sessions", "/account/privacy", "/account/privacy/delete"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(360);
  }
});

test("profile: bad input is explained and changes nothing; a good one is saved and shown", SAME_ON_EVERY_VIEWPORT, async ({ page }) => {
  const customer = await signedInCustomer(page, "Pia Profile", "profile");
  await page.goto("/account/profile");
  await fillBeyondLimit(page, "Name", "x".repeat(500));
  // A new account has no address and no order to tell the country of a number without its code.
  await page.getByLabel("Phone number (optional)").fill("07700 900321");
  await page.getByRole("button", { name: "Save profile" }).click();
  // Every field's problem at once: the number's own message (E.164, lib/accounts/phone.test.ts) beside the name's.
  await expect(page.getByText("Use at most 100 characters for your name.")).toBeVisible();
  await expect(page.getByText("We cannot tell which country this number is in. Include your country code, for example +44 20 7946 0000.")).toBeVisible();
  await expect(page.getByLabel("Phone number (optional)")).toHaveValue("07700 900321");
  expect((await query(`SELECT "name", "phone" FROM "User" WHERE "id" = $1`, [customer.userId]))[0]).toEqual({ name: "Pia Profile", phone: null });

  // Keyboard only: type, tab through, submit with Enter.
  await page.getByLabel("Name").fill("Pia P. Profile");
  await page.getByLabel("Phone number (optional)").fill("+447700900321");
  await page.getByLabel("Preferred language").selectOption("nl");
  await page.getByLabel("Phone number (optional)").press("Enter");
  await expect(page.getByTestId("form-message")).toHaveText("Your profile is saved.");
  await expect(page.getByTestId("signed-in-as")).toHaveText("Pia P. Profile");
  expect((await query(`SELECT "name", "phone", "locale" FROM "User" WHERE "id" = $1`, [customer.userId]))[0]).toEqual({ name: "Pia P. Profile", phone: "+447700900321", locale: "nl" });
  // Typed as one run of digits, shown in groups: in the form, on the page sent again and in the account's summary.
  await expect(page.getByLabel("Phone number (optional)")).toHaveValue("+44 7700 900321");

  await expectTrail(customer.email, "profile_update", ["form:VIEWED", "form:ERROR:validation_error", "saved:VIEWED", "saved:COMPLETED"]);
  await page.reload();
  await expect(page.getByLabel("Phone number (optional)")).toHaveValue("+44 7700 900321");
  await page.goto("/account");
  await expect(page.getByRole("listitem").filter({ has: page.getByRole("link", { name: "Profile", exact: true }) })).toContainText("Pia P. Profile · +44 7700 900321");
});

test("sign-in email: needs the password, changes only through the link sent to the new address, and tells the old one", SAME_ON_EVERY_VIEWPORT, async ({ page }) => {
  const customer = await signedInCustomer(page, "Ezra Email", "email");
  const newEmail = customer.email.replace("email-", "email-new-");
  await page.goto("/account/email");
  await expect(page.getByTestId("current-email")).toHaveText(customer.email);

  await page.getByLabel("New email address").fill("not-an-email");
  await page.getByLabel("Your current password").fill(customer.password);
  await page.getByRole("button", { name: "Send confirmation link" }).click();
  await expect(page.getByText("Enter an email address like name@example.com.")).toBeVisible();
  // Pasted whole, a long address is called too long, as on sign-up; the box cut it short and called the stub malformed.
  await page.getByLabel("New email address").fill(`${"a".repeat(250)}@example.com`);
  await page.getByRole("button", { name: "Send confirmation link" }).click();
  await expect(page.getByText("That email address is too long.")).toBeVisible();

  await page.getByLabel("New email address").fill(newEmail);
  await page.getByLabel("Your current password").fill("not-my-password");
  await page.getByRole("button", { name: "Send confirmation link" }).click();
  await expect(page.getByText("That is not your current password. Check it and try again.")).toBeVisible();
  expect(await query(`SELECT 1 FROM "EmailMessage" WHERE "to" = $1`, [newEmail])).toHaveLength(0);

  await page.getByLabel("Your current password").fill(customer.password);
  await page.getByRole("button", { name: "Send confirmation link" }).click();
  await expect(page.getByTestId("form-message")).toContainText(`We sent a confirmation link to ${newEmail}`);
  await page.reload();
  await expect(page.getByText(`Waiting for you to confirm ${newEmail}`)).toBeVisible();
  await expect(page.getByTestId("current-email")).toHaveText(customer.email);

  await page.goto(`/dev/mailbox?to=${encodeURIComponent(newEmail)}`);
  const link = page.getByTestId("email").filter({ hasText: "Confirm your new Waymark sign-in email" }).getByRole("link", { name: /account\/confirm-email/ });
  const href = (await link.getAttribute("href"))!;
  await link.click();
  await page.getByRole("button", { name: "Confirm new email" }).click();
  await expect(page.getByTestId("form-message")).toHaveText(`Done: you now sign in with ${newEmail}.`);
  // Let posthog-js deliver its batch before this tab loads another page.
  await expect.poll(async () => (await trailOf(newEmail, "email_change")).some((e) => e.step === "confirmed" && e.kind === "VIEWED"), BACKGROUND).toBe(true);

  // The old address is told; the link works once.
  // Rendered by the worker from the message queue, so it may take a moment.
  await expect(async () => {
    await page.goto(`/dev/mailbox?to=${encodeURIComponent(customer.email)}`);
    await expect(page.getByTestId("email").filter({ hasText: "Your Waymark sign-in email was changed" })).toBeVisible({ timeout: 1000 });
  }).toPass(BACKGROUND);
  // Once to each address (the new one signs in now, the old one may be the real owner's), and in the message centre.
  await expectMessagedOnce(page, { userId: customer.userId, email: newEmail }, { sign_in_email_changed: ["email"] }, { alsoEmail: [customer.email] });
  await page.goto(new URL(href).pathname + new URL(href).search);
  await expect(page.getByText("This confirmation link has expired or was already used.")).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByText("You are signed out.")).toBeVisible();
  await signIn(page, newEmail, customer.password);
  await expect(page.getByRole("heading", { name: "Hello, Ezra" })).toBeVisible();

  await expectTrail(newEmail, "email_change", [
    "form:VIEWED",
    // The refusals are recorded on the form the customer is on; the accepted one reaches the step.
    "form:ERROR:validation_error",
    "form:ERROR:validation_error",
    "form:ERROR:wrong_password",
    "requested:VIEWED",
    "requested:COMPLETED",
    "confirmed:VIEWED",
    "confirmed:COMPLETED",
    // The used link opened again: the task is done, so this is the next attempt, refused.
    "confirmed:ERROR:link_invalid",
  ]);
  await expectTrailAgreement(page, customer.userId, [completed("email_change"), { type: "email_change", outcome: "IN_PROGRESS", level: 0 }], { only: ["email_change"] });
});

test("sign-in email: the link opened in another browser names the masked address and finishes the attempt that asked; signed in to another account, it changes nothing", async ({ page, browser }) => {
  const customer = await signedInCustomer(page, "Lou Link", "email-link");
  const newEmail = customer.email.replace("email-link-", "email-link-new-");
  await page.goto("/account/email");
  await page.getByLabel("New email address").fill(newEmail);
  await page.getByLabel("Your current password").fill(customer.password);
  await page.getByRole("button", { name: "Send confirmation link" }).click();
  await expect(page.getByTestId("form-message")).toContainText(`We sent a confirmation link to ${newEmail}`);
  const [sent] = await query<{ text: string }>(`SELECT "text" FROM "EmailMessage" WHERE "to" = $1`, [newEmail]);
  const link = /\/account\/confirm-email\/[A-Za-z0-9_-]+/.exec(sent.text)![0];
  const masked = `e***@${newEmail.split("@")[1]}`;

  // A browser where someone else is signed in is told the link is not for them, and nothing changes.
  const someoneElse = await otherDevice(browser, await newCustomer("Otto Other", "email-other"));
  await someoneElse.page.goto(link);
  await expect(someoneElse.page.getByTestId("form-message")).toContainText("This link is for another Waymark account than the one signed in here");
  await expect(someoneElse.page.getByRole("button", { name: "Confirm new email" })).toHaveCount(0);
  await someoneElse.context.close();
  expect(await query(`SELECT 1 FROM "User" WHERE "id" = $1 AND "email" = $2`, [customer.userId, customer.email])).toHaveLength(1);

  // The mail app opens it in a browser signed in to nobody.
  const mailApp = await browser.newContext();
  const other = await mailApp.newPage();
  await other.goto(link);
  await expect(other.getByTestId("confirming")).toHaveText(`This makes ${masked} the sign-in email of the Waymark account that asked for it: from now on that account signs in with it, and its order emails go there.`);
  await other.getByRole("button", { name: "Confirm new email" }).click();
  await expect(other.getByTestId("form-message")).toHaveText("Done: sign in with your new email address from now on.");
  expect(await query(`SELECT 1 FROM "User" WHERE "id" = $1 AND "email" = $2`, [customer.userId, newEmail])).toHaveLength(1);

  // One attempt: the form and the request in the customer's browser, the confirmation in the other.
  await expectTrailAgreement(page, customer.userId, [completed("email_change")], { only: ["email_change"] });
  await mailApp.close();
});

test("password: the current one is required, and changing it signs out every other device but this one", SAME_ON_EVERY_VIEWPORT, async ({ page, browser }) => {
  const customer = await signedInCustomer(page, "Paul Password", "password");
  // A phone: a kind of device the account never used, so its sign-in is a security notice.
  const { userAgent } = devices["Pixel 7"];
  const phone = await otherDevice(browser, customer, { userAgent });

  await page.goto("/account/password");
  await page.getByLabel("Current password").fill(customer.password);
  await page.getByLabel("New password", { exact: true }).fill("a-new-long-password");
  await page.getByLabel("Repeat the new password").fill("a-different-password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("The two new passwords do not match.")).toBeVisible();

  await page.getByLabel("Current password").fill("wrong-password");
  await page.getByLabel("New password", { exact: true }).fill("a-new-long-password");
  await page.getByLabel("Repeat the new password").fill("a-new-long-password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("That is not your current password. Check it and try again.")).toBeVisible();
  expect(await isSignedIn(phone.page)).toBe(true);

  // A NUL byte pasted into a field: that field is marked, and the refusal is in the trail like the others.
  await page.getByLabel("Current password").fill("abc\u0000defghijkl");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("This holds a hidden character that cannot be used")).toBeVisible();
  await expect(page.getByLabel("Current password")).toHaveAttribute("aria-invalid", "true");

  await page.goto("/account/password");
  await page.getByLabel("Current password").fill(customer.password);
  await page.getByLabel("New password", { exact: true }).fill("a-new-long-password");
  await page.getByLabel("Repeat the new password").fill("a-new-long-password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByTestId("form-message")).toHaveText("Your password is changed. 1 other device was signed out. Use the new password next time you sign in.");

  expect(await isSignedIn(phone.page)).toBe(false);
  expect(await isSignedIn(page)).toBe(true);
  await phone.page.goto("/signin");
  await signIn(phone.page, customer.email, "a-new-long-password");
  await phone.context.close();
  // The password change is told once; the phone's first sign-in is a new-device notice, and signing in
  // again is a device already known: still one notice.
  await expectMessagedOnce(page, customer, { password_changed: ["email"], new_device_sign_in: ["email"] });

  await expectTrail(customer.email, "password_change", [
    "form:VIEWED",
    "form:ERROR:validation_error",
    "form:ERROR:wrong_password",
    "form:ERROR:validation_error",
    "saved:VIEWED",
    "saved:COMPLETED",
  ]);
  await expectTrailAgreement(page, customer.userId, [completed("password_change")], { only: ["password_change"] });
});

test("addresses: validated per country, one copy each, defaults, edit and delete; an open order keeps its address", async ({ page }) => {
  const customer = await signedInCustomer(page, "Alma Address", "address");
  await page.goto("/account/addresses");
  await expect(page.getByText("You have no saved addresses yet.")).toBeVisible();

  await page.getByRole("link", { name: "Add an address" }).click();
  await page.getByLabel("Country").selectOption("US");
  await expect(page.getByLabel("ZIP code")).toBeVisible();
  await fillBeyondLimit(page, "Address line 1", "x".repeat(1000));
  await page.getByLabel("Town or city").fill("Austin");
  await page.getByLabel("State").fill("Texas");
  await page.getByLabel("ZIP code").fill("SW1A 1AA");
  await page.getByRole("button", { name: "Add address" }).click();
  await expect(page.getByText("Use at most 100 characters for the first address line.")).toBeVisible();
  await expect(page.getByText("Enter the state as its two-letter code, like CA or NY.")).toBeVisible();
  await expect(page.getByText("This is not a US ZIP code. Use 5 digits, or ZIP+4 like 97201-1234.")).toBeVisible();
  expect(await query(`SELECT 1 FROM "Address" WHERE "userId" = $1`, [customer.userId])).toHaveLength(0);

  await page.getByLabel("Country").selectOption("GB");
  await page.getByLabel("Address line 1").fill("27 Marchmont Street");
  await page.getByLabel("Town or city").fill("London");
  await page.getByLabel("County (optional)").fill("");
  await page.getByLabel("Postcode").fill("wc1n1ap");
  await page.getByLabel("Phone for the courier (optional)").fill("07700900461");
  await page.getByRole("button", { name: "Add address" }).click();
  await expect(page.getByTestId("form-message")).toHaveText("The address is added to your address book.");
  const home = page.getByTestId("address").filter({ hasText: "27 Marchmont Street" });
  // A UK postcode comes after the town, on its own line.
  expect(await home.locator("address").innerText()).toContain("London\nWC1N 1AP");
  await expect(home).toContainText("+44 7700 900461");
  await expect(home.getByText("Default delivery", { exact: true })).toBeVisible();

  // The same address again (a replayed form) is refused.
  await page.goto("/account/addresses/new");
  await expect(page.getByRole("link", { name: "← Addresses" })).toHaveAttribute("href", "/account/addresses");
  await page.getByLabel("Address line 1").fill("27 marchmont street");
  await page.getByLabel("Town or city").fill("London");
  await page.getByLabel("Postcode").fill("WC1N 1AP");
  await page.getByRole("button", { name: "Add address" }).click();
  await expect(page.getByTestId("form-message")).toHaveText("This address is already in your address book, so nothing was added.");

  await page.getByLabel("Country").selectOption("NL");
  await page.getByLabel("Address line 1").fill("Prinsengracht 263");
  await page.getByLabel("Town or city").fill("Amsterdam");
  await page.getByLabel("Postcode").fill("1016gv");
  await page.getByRole("button", { name: "Add address" }).click();
  const amsterdam = page.getByTestId("address").filter({ hasText: "Prinsengracht 263" });
  await expect(amsterdam).toContainText("1016 GV Amsterdam");
  await amsterdam.getByRole("button", { name: "Make default delivery for Prinsengracht 263" }).click();
  await expect(page.getByTestId("form-message")).toHaveText("Deliveries now go to this address by default.");
  const defaultBadge = page.getByText("Default delivery", { exact: true });
  await expect(page.getByTestId("address").filter({ has: defaultBadge })).toHaveCount(1);
  await expect(page.getByTestId("address").filter({ has: defaultBadge })).toContainText("Prinsengracht 263");

  // An open order was placed with the London address: editing it says so and leaves the order alone.
  const snapshot = { fullName: "Alma Address", line1: "27 Marchmont Street", line2: null, city: "London", region: null, postalCode: "WC1N 1AP", country: "GB" };
  const orderNumber = await withNewOrderNumber(async (number, run) => {
    await run(
      `INSERT INTO "Order" ("id","number","userId","status","paymentStatus","currency","subtotalMinor","shippingMinor","taxMinor","totalMinor","paidMinor","shippingAddress","placedAt","promisedDeliveryAt","updatedAt")
       VALUES ($1, $2, $3, 'PROCESSING', 'PAID', 'GBP', 2000, 0, 0, 2000, 2000, $4, now(), now() + interval '3 days', now())`,
      [`e2e_${number}`, number, customer.userId, JSON.stringify(snapshot)],
    );
  });
  await page.getByRole("link", { name: "Edit address at 27 Marchmont Street" }).click();
  const before = page.getByTestId("kept-orders");
  await expect(before).toContainText("An open order is going to this address. Changing or deleting it here does not change that order");
  await expect(before.getByRole("link", { name: "change its delivery address on the order" })).toHaveAttribute("href", `/orders/${orderNumber}`);
  await page.getByLabel("Address line 1").fill("12 Gower Street");
  await page.getByLabel("Postcode").fill("WC1E 6BT");
  await page.getByRole("button", { name: "Save address" }).click();
  await expect(page.getByTestId("form-message")).toHaveText("The address is updated.");
  await expect(page.getByTestId("kept-orders")).toContainText(`Your open order keeps the old address.`);
  await expect(page.getByTestId("kept-orders")).toContainText(`Order ${orderNumber} (being prepared)`);
  const [order] = await query<{ shippingAddress: { line1: string } }>(`SELECT "shippingAddress" FROM "Order" WHERE "number" = $1`, [orderNumber]);
  expect(order.shippingAddress.line1).toBe("27 Marchmont Street");

  await page.getByRole("link", { name: "Edit address at Prinsengracht 263" }).click();
  await page.getByText("Delete this address").click();
  await page.getByRole("button", { name: "Delete address" }).click();
  // It was the default delivery address: the one left takes over, and the page says so.
  await expect(page.getByTestId("form-message")).toHaveText("The address is deleted from your address book. Deliveries now go to 12 Gower Street by default.");
  await expect(page.getByTestId("address")).toHaveCount(1);
  await expect(page.getByTestId("address")).toContainText("12 Gower Street");
  await expect(page.getByTestId("address").getByText("Default delivery", { exact: true })).toBeVisible();
  // Leaving for the help centre from the book that shows the deletion: the customer acting there
  // starts the next attempt, at the book, and it ends there.
  await openHelp(page);
  await page.locator('a[data-channel="HELP_CENTRE"]').first().click();
  await expect(page).toHaveURL(/\/help$/);

  const trail = (await trailOf(customer.email, "address_change")).map((e) => `${e.step}:${e.kind}${e.errorCode ? `:${e.errorCode}` : ""}`);
  expect(trail).toEqual(expect.arrayContaining(["list:VIEWED", "form:VIEWED", "form:ERROR:validation_error", "form:ERROR:address_duplicate"]));
  await expect.poll(async () => (await trailOf(customer.email, "address_change")).filter((e) => e.step === "saved" && e.kind === "COMPLETED").length).toBe(5);
  // Each change saved ends an attempt, and the book showing it starts none: the next attempt starts
  // when the customer acts there, with the book it was opened from. Five saves, five tasks done.
  await expectTrailAgreement(
    page,
    customer.userId,
    [
      completed("address_change"), // the book, the form, the first address
      completed("address_change"), // the form opened by address (after the book), refusals, the second address
      completed("address_change"), // "Make default delivery", the form in one tap on the book
      completed("address_change"), // an edit opened from the book
      completed("address_change"), // the other address's form, deleting it
      { type: "address_change", outcome: "EXITED", level: 1, exitChannel: "HELP_CENTRE" }, // the book after it, left for help
    ],
    { only: ["address_change"] },
  );
});

test("communication preferences: channels per purpose with their timestamps; analytics off stops forwarding", SAME_ON_EVERY_VIEWPORT, async ({ page }) => {
  const customer = await signedInCustomer(page, "Cora Consent", "consent");
  await page.goto("/account/preferences");
  const orderEmails = page.getByRole("group", { name: "Updates about my orders and returns" }).getByLabel("By email");
  await expect(orderEmails).toBeChecked();
  await expect(page.getByRole("group", { name: "Updates about my orders and returns" })).toContainText("On by default; you have not changed it.");

  // Text messages need a phone number first.
  await page.getByRole("group", { name: "Offers and news" }).getByLabel("By text message").check();
  await page.getByRole("button", { name: "Save preferences" }).click();
  await expect(page.getByTestId("form-message")).toContainText("Text messages and calls need a phone number.");
  expect(await query(`SELECT 1 FROM "ConsentRecord" WHERE "userId" = $1`, [customer.userId])).toHaveLength(0);

  await page.getByRole("group", { name: "Offers and news" }).getByLabel("By text message").uncheck();
  await page.getByRole("group", { name: "Offers and news" }).getByLabel("By email").check();
  await page.getByRole("group", { name: "Helping us improve the portal" }).getByRole("checkbox").uncheck();
  await page.getByRole("button", { name: "Save preferences" }).click();
  await expect(page.getByTestId("form-message")).toHaveText("Your preferences are saved.");
  await page.reload();
  await expect(page.getByRole("group", { name: "Offers and news" }).getByLabel("By email")).toBeChecked();
  await expect(page.getByRole("group", { name: "Offers and news" })).toContainText(/You agreed on \d{1,2} \w{3} \d{4}, \d{2}:\d{2} [A-Z]{3}[-+\d:]*\./);
  await expect(page.getByRole("group", { name: "Helping us improve the portal" })).toContainText("You said no on");

  const records = await query<{ purpose: string; channel: string; granted: boolean }>(`SELECT "purpose", "channel", "granted" FROM "ConsentRecord" WHERE "userId" = $1 ORDER BY "purpose"::text`, [customer.userId]);
  expect(records).toEqual([
    { purpose: "ANALYTICS", channel: "ANALYTICS", granted: false },
    { purpose: "MARKETING", channel: "EMAIL", granted: true },
  ]);
  expect((await query<{ analyticsConsent: boolean }>(`SELECT "analyticsConsent" FROM "User" WHERE "id" = $1`, [customer.userId]))[0].analyticsConsent).toBe(false);

  // From now on the customer's steps are kept here but nothing is queued for PostHog.
  await page.goto("/account/profile");
  await expect.poll(async () => (await trailOf(customer.email, "profile_update")).length, BACKGROUND).toBeGreaterThan(0);
  const after = await query<{ id: string }>(
    `SELECT e."id" FROM "TrailEvent" e JOIN "Journey" j ON j."id" = e."journeyId" WHERE j."userId" = $1 AND (e."journeyType" = 'profile_update' OR (e."journeyType" = 'communication_preferences' AND e."kind" = 'COMPLETED'))`,
    [customer.userId],
  );
  expect(after.length).toBeGreaterThan(1);
  // A PostHog outbox row is a batch: its events are looked through.
  const queued = `SELECT 1 FROM "OutboxMessage" o, jsonb_array_elements(o."payload"->'events') e WHERE o."topic" = 'posthog' AND e->>'uuid' = ANY($1)`;
  expect(await query(queued, [after.map((e) => e.id)])).toHaveLength(0);
  await expectTrail(customer.email, "communication_preferences", ["form:VIEWED", "form:ERROR:phone_needed", "saved:VIEWED", "saved:COMPLETED", "form:VIEWED"]);
});

test("signed-in devices: each with its device and last use, this one marked; signing out all others", async ({ page, browser }) => {
  const customer = await signedInCustomer(page, "Sami Sessions", "sessions");
  const laptop = await otherDevice(browser, customer);
  const grace = await otherDevice(browser, DEMO.grace);
  const [graceSession] = await query<{ id: string }>(
    `SELECT s."id" FROM "AuthSession" s JOIN "User" u ON u."id" = s."userId" WHERE u."email" = $1 AND s."revokedAt" IS NULL ORDER BY s."createdAt" DESC LIMIT 1`,
    [DEMO.grace.email],
  );

  // The laptop was last used three days ago; two more sessions ended long ago, one signed out and
  // one expired, each last seen moments before it ended (a customer walk read every session as
  // "active now"): the page lists the laptop with when it was last used, and never an ended one.
  await laptop.page.goto("about:blank"); // nothing more from the laptop until it is asked below
  await query(
    `INSERT INTO "AuthSession" ("id", "userId", "createdAt", "lastSeenAt", "expiresAt", "revokedAt", "userAgent", "deviceClass") VALUES
       ($2, $1, now() - interval '200 days', now() - interval '1 minute', now() + interval '1 day', now() - interval '1 minute', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Gecko/20100101 Firefox/130.0', 'DESKTOP'),
       ($3, $1, now() - interval '200 days', now() - interval '1 minute', now() - interval '1 minute', NULL, 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Gecko/20100101 Firefox/130.0', 'DESKTOP')`,
    [customer.userId, `e2e_ended_${customer.userId}`, `e2e_expired_${customer.userId}`],
  );
  const sessions = page.getByTestId("session");
  // A request the laptop's page still had on its way can land after the update and touch its
  // session again ("active now", seen once in a full run): the three days are set again until the
  // page shows them.
  await expect(async () => {
    await query(
      `UPDATE "AuthSession" SET "lastSeenAt" = now() - interval '3 days' WHERE "id" = (SELECT "id" FROM "AuthSession" WHERE "userId" = $1 ORDER BY "createdAt" DESC LIMIT 1)`,
      [customer.userId],
    );
    await page.goto("/account/sessions");
    await expect(sessions).toHaveCount(2);
    await expect(sessions.filter({ hasNotText: "This device" })).toContainText(/last seen \d{1,2} \w{3} \d{4}/, { timeout: 2000 });
  }).toPass();
  await expect(sessions.filter({ hasNotText: "This device" })).not.toContainText("active now");
  await expect(page.getByText("Firefox")).toHaveCount(0);
  const mobile = test.info().project.name.startsWith("mobile");
  const thisBrowser = describeUserAgent(await page.evaluate(() => navigator.userAgent));
  await expect(sessions.filter({ hasText: "This device" })).toContainText(`${thisBrowser} · ${mobile ? "Phone" : "Computer"}`);
  await expect(sessions.filter({ hasText: "This device" })).toContainText("active now");

  // Someone else's session id in the form signs nothing out.
  const other = sessions.filter({ hasNotText: "This device" });
  await other.locator('input[name="sessionId"]').evaluate((input, id) => ((input as HTMLInputElement).value = id), graceSession.id);
  await other.getByRole("button", { name: /^Sign out/ }).click();
  await expect(page.getByText("That device is not signed in to your account any more, so there was nothing to sign out.")).toBeVisible();
  expect(await isSignedIn(grace.page)).toBe(true);
  expect(await isSignedIn(laptop.page)).toBe(true);

  await page.goto("/account/sessions");
  await page.getByRole("button", { name: "Sign out of all other devices" }).click();
  await expect(page.getByTestId("form-message")).toHaveText("Signed out of 1 other device. You are still signed in here.");
  await expect(page.getByTestId("session")).toHaveCount(1);
  await expect(page.getByText("No other device is signed in.")).toBeVisible();
  expect(await isSignedIn(laptop.page)).toBe(false);
  expect(await isSignedIn(grace.page)).toBe(true);
  await laptop.context.close();
  await grace.context.close();

  await expectTrail(customer.email, "session_management", ["list:VIEWED", "list:ERROR:session_not_found", "signed_out:VIEWED", "signed_out:COMPLETED"]);
  await expectTrailAgreement(page, customer.userId, [completed("session_management")], { only: ["session_management"] });

  // The news is told once: a reload does not sign out of "1 other device" again.
  await expect(page).toHaveURL(/\/account\/sessions$/);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Signed-in devices" })).toBeVisible();
  await expect(page.getByTestId("form-message")).toHaveCount(0);
});

test("download my data: a JSON file of the customer's own data, and its trail", async ({ page }) => {
  const customer = await signUp(page, "Dana Download", "export");
  await page.goto("/account/privacy");
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download my data" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^waymark-my-data-\d{4}-\d{2}-\d{2}\.json$/);
  const data = JSON.parse(await readFile((await download.path())!, "utf8")) as { format: string; profile: { email: string; name: string }; trail: { type: string }[]; orders: unknown[] };
  expect(data.format).toBe("waymark-customer-data");
  expect(data.profile).toMatchObject({ email: customer.email, name: "Dana Download" });
  expect(data.trail.map((j) => j.type)).toContain("signup");
  expect(data.orders).toEqual([]);
  expect(JSON.stringify(data)).not.toContain(DEMO.ada.email);

  const href = await page.getByRole("link", { name: "download your data" }).getAttribute("href");
  const response = await page.request.get(href!);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("application/json; charset=utf-8");
  expect(response.headers()["content-disposition"]).toMatch(/^attachment; filename="waymark-my-data-/);

  // The second download (the fallback link, straight after the first) fetches the same file: one task, one attempt.
  await expectTrailAgreement(page, customer.userId, [completed("data_export")], { only: ["data_export"] });
  await expectTrail(customer.email, "data_export", ["privacy:VIEWED", "privacy:COMPLETED", "download:VIEWED", "download:COMPLETED"]);

  // Two hours later the link has expired: it leads back to the privacy page, on the address the
  // customer used (a relative location; not the address the server listens on).
  await query(`UPDATE "Journey" SET "startedAt" = "startedAt" - interval '2 hours' WHERE "id" = $1`, [href!.split("/").pop()]);
  const expired = await page.request.get(href!, { maxRedirects: 0 });
  expect(expired.status()).toBe(303);
  expect(expired.headers().location).toBe("/account/privacy?export=expired");
  await page.goto(href!);
  await expect(page.getByText("That download link has expired.")).toBeVisible();
});

test("another customer's address, export and forms answer 404 or change nothing", SAME_ON_EVERY_VIEWPORT, async ({ page, browser }) => {
  // Ada prepares an export in her own browser.
  const ada = await otherDevice(browser, DEMO.ada);
  await ada.page.goto("/account/privacy");
  const downloading = ada.page.waitForEvent("download");
  await ada.page.getByRole("button", { name: "Download my data" }).click();
  await downloading;
  const adasExport = (await ada.page.getByRole("link", { name: "download your data" }).getAttribute("href"))!;
  await ada.context.close();
  const [adasAddress] = await query<{ id: string; line1: string }>(`SELECT a."id", a."line1" FROM "Address" a JOIN "User" u ON u."id" = a."userId" WHERE u."email" = $1 AND a."deletedAt" IS NULL ORDER BY a."createdAt" LIMIT 1`, [DEMO.ada.email]);

  // Anonymous: the export is not found.
  expect((await page.request.get(adasExport)).status()).toBe(404);

  await signInDirectly(page, DEMO.grace.email, DEMO.grace.password);
  expect((await page.request.get(adasExport)).status()).toBe(404);
  expect((await page.goto(`/account/privacy/export/${crypto.randomUUID()}`))?.status()).toBe(404);
  const response = await page.goto(`/account/addresses/${adasAddress.id}`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.getByText(adasAddress.line1)).toHaveCount(0);
  expect((await page.goto(`/account/addresses/${"x".repeat(5000)}`))?.status()).toBe(404);

  // Grace's own delete form with Ada's address id in it: refused, and both addresses stay.
  const [gracesAddress] = await query<{ id: string }>(`SELECT a."id" FROM "Address" a JOIN "User" u ON u."id" = a."userId" WHERE u."email" = $1 AND a."deletedAt" IS NULL LIMIT 1`, [DEMO.grace.email]);
  await page.goto(`/account/addresses/${gracesAddress.id}`);
  await page.getByText("Delete this address").click();
  await page.locator('input[name="addressId"]').evaluate((input, id) => ((input as HTMLInputElement).value = id), adasAddress.id);
  await page.getByRole("button", { name: "Delete address" }).click();
  await expect(page.getByTestId("form-message")).toHaveText("We could not find that address in your account. It may have been deleted already; nothing was changed.");
  const stillThere = await query(`SELECT 1 FROM "Address" WHERE "id" = ANY($1) AND "deletedAt" IS NULL`, [[adasAddress.id, gracesAddress.id]]);
  expect(stillThere).toHaveLength(2);
});

test("deleting the account: re-enter the password; personal data goes, every session ends, PostHog is asked to forget", SAME_ON_EVERY_VIEWPORT, async ({ page, browser, request }) => {
  const customer = await signedInCustomer(page, "Dora Delete", "delete");
  const tablet = await otherDevice(browser, customer);

  await page.goto("/account/privacy");
  await page.getByRole("link", { name: "Delete my account…" }).click();
  await expect(page.getByText("This cannot be undone.")).toBeVisible();
  const journeyId = await journeyIdInTab(page, "account_deletion");

  await page.getByLabel("Your password").fill("not-my-password");
  await page.getByRole("button", { name: "Delete my account for good" }).click();
  await expect(page.getByText("That is not your current password. Check it and try again.")).toBeVisible();
  expect((await query<{ status: string }>(`SELECT "status" FROM "User" WHERE "id" = $1`, [customer.userId]))[0].status).toBe("ACTIVE");

  await page.getByLabel("Your password").fill(customer.password);
  await page.getByRole("button", { name: "Delete my account for good" }).click();
  await expect(page.getByRole("heading", { name: "Your account is deleted" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Sign in", exact: true }).first()).toBeVisible();

  const [user] = await query<{ email: string | null; name: string; passwordHash: string | null; status: string; deletedAt: Date | null }>(
    `SELECT "email", "name", "passwordHash", "status", "deletedAt" FROM "User" WHERE "id" = $1`,
    [customer.userId],
  );
  expect(user).toMatchObject({ email: null, name: "Deleted customer", passwordHash: null, status: "DELETED" });
  expect(user.deletedAt).not.toBeNull();
  expect(await query(`SELECT 1 FROM "AuthSession" WHERE "userId" = $1 AND "revokedAt" IS NULL`, [customer.userId])).toHaveLength(0);
  expect(await isSignedIn(tablet.page)).toBe(false);
  await tablet.context.close();
  await page.goto("/signin");
  await page.getByLabel("Email", { exact: true }).fill(customer.email);
  await page.getByLabel("Password", { exact: true }).fill(customer.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("form-message")).toContainText("do not match an account");

  const [queued] = await query<{ payload: { distinctId: string } }>(`SELECT "payload" FROM "OutboxMessage" WHERE "topic" = 'posthog.delete_person' AND "dedupeKey" = $1`, [`posthog.delete_person:${customer.analyticsId}`]);
  expect(queued.payload).toEqual({ distinctId: customer.analyticsId });
  // PostHog's REST API is configured for the test server (on the stand-in): the outbox delivers the request.
  await expect
    .poll(async () => {
      const calls = (await (await request.get(`${POSTHOG_STAND_IN_URL}/_api-calls`)).json()) as { path: string; body: { distinct_ids?: string[] } }[];
      return calls.some((c) => c.path === `/api/projects/${E2E_POSTHOG_PROJECT_ID}/persons/bulk_delete/` && c.body.distinct_ids?.includes(customer.analyticsId));
    }, BACKGROUND)
    .toBe(true);

  await expect
    .poll(async () => (await trailOfJourney(journeyId)).map((e) => `${e.step}:${e.kind}${e.errorCode ? `:${e.errorCode}` : ""}`), BACKGROUND)
    // It began on the delete page: the privacy page before it is no step of deleting.
    .toEqual(["reauthenticate:VIEWED", "reauthenticate:ERROR:wrong_password", "deleted:VIEWED", "deleted:COMPLETED"]);
  // The orders' owner is gone; nothing of the person is left to find by the old email.
  expect(await query(`SELECT 1 FROM "Journey" j JOIN "User" u ON u."id" = j."userId" WHERE u."email" = $1`, [customer.email])).toHaveLength(0);
});
