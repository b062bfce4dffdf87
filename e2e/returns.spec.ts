// Returns self-service in the browser: a refund, store credit and an exchange from start to
// finish, refused lines with their reasons, cancelling, the label, the status moved by signed
// warehouse webhooks (and Stripe's, through its stand-in) to "refunded", bad input, photos, a
// carrier outage, and the exact trail each leaves. Every test gets a customer and order of its own
// (written straight into the portal's database), so the projects can run side by side.
import crypto from "node:crypto";
import type { APIRequestContext, Browser, Page } from "@playwright/test";
import { formatDay } from "../lib/format/date";
import { SIGNATURE_HEADER, signCarrierPayload } from "../lib/returns/carrier-webhook";
import type { StandInBooking } from "./support/carrier-stand-in";
import { CARRIER_STAND_IN_URL, E2E_CARRIER_WEBHOOK_SECRET } from "./support/env";
import { agentOn, BACKGROUND, DEMO, DEMO_PASSWORD, expect, expectEffortQuestionAfter, openHelp, SAME_ON_EVERY_VIEWPORT, signInDirectly, talkToPerson, test } from "./support/fixtures";
import { customerWithOrders } from "./support/customers";
import { expectMessagedOnce, expectNotMessaged } from "./support/messages";
import { query, trailOfJourney } from "./support/portal-db";
import { journeyIdInTab } from "./support/trail";


const trail = async (journeyId: string) => (await trailOfJourney(journeyId)).map((e) => `${e.step}:${e.kind}:${e.source}${e.errorCode ? `:${e.errorCode}` : ""}${e.channel ? `:${e.channel}` : ""}`);

async function carrierEvent(request: APIRequestContext, reference: string, type: "return.in_transit" | "return.received" | "return.inspected", id = `evt_${crypto.randomUUID()}`) {
  const body = JSON.stringify({ id, type, occurredAt: new Date().toISOString(), data: { reference } });
  const response = await request.post("/api/carrier/webhook", { data: body, headers: { "content-type": "application/json", [SIGNATURE_HEADER]: signCarrierPayload(E2E_CARRIER_WEBHOOK_SECRET, body) } });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { outcome: string }).outcome;
}

/** From the Returns page to the first step of the return form for one order. */
async function startFromReturnsPage(page: Page, orderNumber: string) {
  await page.goto("/returns");
  await page.getByRole("link", { name: `Return items from order ${orderNumber}` }).click();
  await expect(page.getByRole("heading", { name: "Which items are you returning?" })).toBeVisible();
}

async function chooseItem(page: Page, productName: string, reason: string, quantity?: number) {
  const item = page.getByRole("group", { name: productName });
  const checkbox = item.getByRole("checkbox");
  if (!(await checkbox.isChecked())) await checkbox.check();
  if (quantity) await item.getByLabel("How many").selectOption(String(quantity));
  await item.getByLabel("Why are you returning it?").selectOption({ label: reason });
}

async function continueTo(page: Page, heading: string) {
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: heading })).toBeVisible();
}

async function submitReturn(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Submit return" }).click();
  await expect(page.getByText("Your return is submitted.")).toBeVisible();
  // Told once: the address forgets ?submitted=1 as soon as the confirmation is shown.
  await expect(page).toHaveURL(/\/returns\/RT-\d{6}$/);
  return new URL(page.url()).pathname.split("/").pop()!;
}

/** One item returned for a change of mind, refunded, with a printed label: from the Returns page to the return's number. */
async function returnForRefundByLabel(page: Page, orderNumber: string, productName: string): Promise<string> {
  await startFromReturnsPage(page, orderNumber);
  await chooseItem(page, productName, "I changed my mind");
  await continueTo(page, "How would you like it settled?");
  await page.getByLabel("Refund to your original payment method").check();
  await continueTo(page, "What you get back");
  await continueTo(page, "How will you send it back?");
  await page.getByLabel(/Print a label/).check();
  return submitReturn(page);
}

async function asGrace(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInDirectly(page, DEMO.grace.email, DEMO.grace.password);
  return { context, page };
}

test("a return held for review is accepted by an agent from its case, and its label follows", SAME_ON_EVERY_VIEWPORT, async ({ page, browser }) => {
  // Over the policy's review threshold (200.00): held for a person to check.
  const customer = await customerWithOrders([{ lines: [{ name: "Held Test Camera", priceMinor: 25_000 }] }]);
  const [order] = customer.orders;
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  const returnNumber = await returnForRefundByLabel(page, order.number, "Held Test Camera");
  await expect(page.getByTestId("return-status")).toHaveText("Being reviewed");
  await expect(page.getByText("Your return is submitted. One of our team checks it first")).toBeVisible();

  const [held] = await query<{ number: string }>(`SELECT c."number" FROM "Case" c JOIN "Return" r ON r."id" = c."returnId" WHERE r."number" = $1`, [returnNumber]);
  const agent = await agentOn(browser, `/agent/cases/${held.number}`);
  const review = agent.locator("form").filter({ has: agent.getByRole("heading", { name: `Check return ${returnNumber}` }) });
  await expect(review).toContainText("its value is over the review threshold");
  // A decline without a reason the customer can read is refused, and keeps the choice.
  await review.getByLabel("Decline it").check();
  await review.getByRole("button", { name: "Record the decision" }).click();
  await expect(review.getByText("Say why, in a sentence the customer will read.")).toBeVisible();
  await expect(review.getByLabel("Decline it")).toBeChecked();
  await review.getByLabel("Accept the return").check();
  await review.getByRole("button", { name: "Record the decision" }).click();
  // The decision resolves the case: its page says so where the keyboard is left, and the form has gone.
  await expect(agent.getByTestId("outcome-notice")).toHaveText(`Return ${returnNumber} accepted and the case resolved: the customer is sent their return label once the carrier has booked it.`);
  await expect(agent.getByTestId("outcome-notice")).toBeFocused();
  await expect(agent.getByText("Outcome: Return approved")).toBeVisible();
  await expect(agent.getByRole("heading", { name: `Check return ${returnNumber}` })).toHaveCount(0);
  await agent.context().close();

  // The label is booked with the carrier (the stand-in) once accepted, and reaches the customer.
  await expect
    .poll(async () => {
      await page.reload();
      return page.getByRole("link", { name: "Download your label (PDF)" }).count();
    }, BACKGROUND)
    .toBe(1);
  await expect(page.getByTestId("return-status")).toHaveText("Approved");
});

test("a full return with a refund: the outcome before submitting, the label, webhooks to refunded, and its exact trail", async ({ page, browser }) => {
  const customer = await customerWithOrders([{ lines: [{ name: "Linen Test Shirt", priceMinor: 2500, quantity: 2 }, { name: "Test Gift Card", category: "gift-cards", priceMinor: 5000, finalSale: true }] }]);
  const [order] = customer.orders;
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  await startFromReturnsPage(page, order.number);
  const journeyId = await journeyIdInTab(page, "return");

  await expect(page.getByTestId("refused-lines")).toContainText("Test Gift Card");
  await expect(page.getByTestId("refused-lines")).toContainText("This item was sold as final sale and cannot be returned.");
  await chooseItem(page, "Linen Test Shirt", "I changed my mind", 1);
  await continueTo(page, "How would you like it settled?");
  await page.getByLabel("Refund to your original payment method").check();
  await continueTo(page, "What you get back");
  // £25.00 + £5.00 tax; a printed label costs £2.95 when the customer changed their mind.
  const outcome = page.getByTestId("return-outcome");
  await expect(outcome.getByRole("row", { name: /Drop it off/ })).toContainText("£30.00");
  await expect(outcome.getByRole("row", { name: /Print a label/ })).toContainText("Return shipping label £2.95");
  await expect(outcome.getByRole("row", { name: /Print a label/ })).toContainText("£27.05");
  await expect(outcome).toContainText("as soon as your return reaches our warehouse");
  await continueTo(page, "How will you send it back?");
  await page.getByLabel(/Print a label/).check();
  await expect(page.getByTestId("refund-amount")).toHaveText("£27.05");
  const returnNumber = await submitReturn(page);

  await expect(page.getByTestId("return-status")).toHaveText("Approved");
  const label = page.getByRole("link", { name: "Download your label (PDF)" });
  await expect(label).toBeVisible();
  const pdf = await page.request.get(`/returns/${returnNumber}/label`);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
  // The overview asks for the parcel by the date the confirmation message gives (checked below).
  await page.goto("/");
  const sendBy = /Send the items by (.+)\.$/.exec((await page.getByRole("link", { name: `Return ${returnNumber}: your return label is ready.` }).textContent()) ?? "")?.[1];
  // Only the return's owner gets the label: another customer and a stranger get a 404.
  const grace = await asGrace(browser);
  expect((await grace.page.request.get(`/returns/${returnNumber}/label`)).status()).toBe(404);
  expect((await grace.page.goto(`/returns/${returnNumber}`))?.status()).toBe(404);
  await grace.context.close();

  await expect
    .poll(() => trail(journeyId), BACKGROUND)
    .toEqual(["order:VIEWED:BROWSER", "items:VIEWED:BROWSER", "resolution:VIEWED:BROWSER", "review:VIEWED:BROWSER", "method:VIEWED:BROWSER", "confirmation:VIEWED:SERVER", "confirmation:COMPLETED:SERVER"]);

  // The warehouse's signed webhooks move it on; a replay and a late event change nothing.
  expect(await carrierEvent(page.request, returnNumber, "return.in_transit", `evt_${returnNumber}_transit`)).toBe("applied");
  await page.goto(`/returns/${returnNumber}`);
  await expect(page.getByTestId("return-status")).toHaveText("On its way to us");
  expect(await carrierEvent(page.request, returnNumber, "return.in_transit", `evt_${returnNumber}_transit`)).toBe("duplicate");
  const forged = await page.request.post("/api/carrier/webhook", { data: JSON.stringify({ id: "evt_forged", type: "return.received", occurredAt: new Date().toISOString(), data: { reference: returnNumber } }), headers: { "content-type": "application/json", [SIGNATURE_HEADER]: `t=${Math.floor(Date.now() / 1000)},v1=${"0".repeat(64)}` } });
  expect(forged.status()).toBe(401);
  expect(await carrierEvent(page.request, returnNumber, "return.received")).toBe("applied");
  expect(await carrierEvent(page.request, returnNumber, "return.in_transit")).toBe("ignored");

  // Receipt queues the refund (key derived from the return); the Stripe stand-in refunds it and its signed webhook settles it.
  await expect.poll(async () => { await page.reload(); return page.getByTestId("return-status").textContent(); }, { ...BACKGROUND, intervals: [1000] }).toBe("Refunded");
  await expect(page.getByTestId("return-money")).toContainText("Refunded £27.05");
  await expect(page.getByTestId("return-timeline")).toContainText("Received");
  // The order's Returns box names its state as the return's page does (it wrote 'refunded').
  await page.goto(`/orders/${order.number}`);
  await expect(page.getByRole("region", { name: "Returns" }).getByRole("listitem")).toHaveText(`Return ${returnNumber}Refunded`);
  const refunds = await query<{ amountMinor: number; status: string; idempotencyKey: string }>(`SELECT f."amountMinor", f."status", f."idempotencyKey" FROM "Refund" f JOIN "Return" r ON r."id" = f."returnId" WHERE r."number" = $1`, [returnNumber]);
  expect(refunds).toEqual([{ amountMinor: 2705, status: "SUCCEEDED", idempotencyKey: expect.stringMatching(/^return:/) }]);

  // Each step the customer would otherwise ask about was told once, by email and in the message centre.
  const told = await expectMessagedOnce(page, customer, { return_submitted: ["email"], return_label_ready: ["email"], return_received: ["email"], refund_issued: ["email"] });
  expect(told.return_submitted.email?.text.replace(/\s+/g, " ")).toContain(`Please send the items by ${sendBy}.`);
  expect(told.refund_issued.subject).toBe("Your refund of £27.05 is on its way");
});

test("a return for store credit with a drop-off code, credited when the warehouse receives it", async ({ page }) => {
  const customer = await customerWithOrders([{ lines: [{ name: "Stoneware Test Mug", category: "home", priceMinor: 1800 }] }]);
  const [order] = customer.orders;
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  await startFromReturnsPage(page, order.number);
  const journeyId = await journeyIdInTab(page, "return");
  // A mug cannot 'not fit': that reason is offered only for what comes in sizes.
  await expect(page.getByRole("group", { name: "Stoneware Test Mug" }).getByLabel("Why are you returning it?").getByRole("option")).toHaveText([
    "Choose a reason",
    "It arrived damaged or faulty",
    "It is not as described",
    "I changed my mind",
    "I received the wrong item",
  ]);
  await chooseItem(page, "Stoneware Test Mug", "It arrived damaged or faulty");
  await continueTo(page, "How would you like it settled?");
  await page.getByLabel("Store credit").check();
  await continueTo(page, "What you get back");
  await continueTo(page, "How will you send it back?");
  await page.getByLabel(/Drop it off/).check();
  await expect(page.getByTestId("return-summary")).toContainText("You get £21.60 back as store credit");
  const returnNumber = await submitReturn(page);

  await expectEffortQuestionAfter(page, page.getByRole("status").filter({ hasText: "Your return is submitted." }));
  await expect(page.getByTestId("drop-off-code")).toHaveText(/^[0-9A-F]{8}$/);
  await expect(page.getByRole("img", { name: /QR code for drop-off code/ })).toBeVisible();
  await expect(page.getByRole("link", { name: "Download the drop-off slip (PDF)" })).toBeVisible();
  expect(await carrierEvent(page.request, returnNumber, "return.received")).toBe("applied");
  await page.goto(`/returns/${returnNumber}`);
  await expect(page.getByTestId("return-status")).toHaveText("Store credit added");
  await page.goto("/returns");
  await expect(page.getByTestId("credit-GBP")).toHaveText("£21.60");
  // The drop-off code is told once; the arrival is one message that also tells the credit and the
  // balance, with no separate "store credit added" for the same event.
  const told = await expectMessagedOnce(page, customer, { return_label_ready: ["email"], return_received: ["email"] });
  expect(told.return_received.email?.text.replace(/\s+/g, " ")).toContain("We have added £21.60 of store credit to your account; your balance is now £21.60.");
  await expectNotMessaged(customer, "store_credit_granted");
  await expect
    .poll(() => trail(journeyId), BACKGROUND)
    .toEqual(["order:VIEWED:BROWSER", "items:VIEWED:BROWSER", "resolution:VIEWED:BROWSER", "review:VIEWED:BROWSER", "method:VIEWED:BROWSER", "confirmation:VIEWED:SERVER", "confirmation:COMPLETED:SERVER"]);
});

test("an exchange for another size, reserved on submit and shipped when the return arrives", async ({ page }) => {
  const customer = await customerWithOrders([{ lines: [{ name: "Canvas Test Sneaker", category: "shoes", priceMinor: 6500, variants: [["EU 40", 0], ["EU 42", 3], ["EU 44", 0]] }] }]);
  const [order] = customer.orders;
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  await startFromReturnsPage(page, order.number);
  await chooseItem(page, "Canvas Test Sneaker", "It does not fit");
  await continueTo(page, "How would you like it settled?");
  await page.getByLabel("Exchange for another size or colour").check();
  const size = page.getByLabel("Instead of Canvas Test Sneaker (EU 40), send me");
  // Only sizes in stock are offered.
  await expect(size.getByRole("option")).toHaveText(["Choose a size or colour", "EU 42"]);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("Choose the size or colour you would like instead.")).toBeVisible();
  await expect(size).toHaveAccessibleDescription("Choose the size or colour you would like instead.");
  await size.selectOption({ label: "EU 42" });
  await continueTo(page, "What you get back");
  // What comes instead, and no price beside the item that could read as money back.
  await expect(page.getByTestId("return-outcome")).toContainText("No charge");
  await expect(page.getByTestId("exchange-for")).toHaveText("For EU 42");
  await expect(page.getByTestId("return-outcome")).not.toContainText(/[£€$]\s?\d/);
  await continueTo(page, "How will you send it back?");
  await page.getByLabel(/pick it up/).check();
  const returnNumber = await submitReturn(page);
  await expect(page.getByText("Exchange for: EU 42")).toBeVisible();
  const [reserved] = await query<{ stock: number; reserved: number }>(`SELECT "stock", "reserved" FROM "Variant" WHERE "id" = $1`, [order.variantIds[0][1]]);
  expect(reserved).toEqual({ stock: 3, reserved: 1 });
  expect(await carrierEvent(page.request, returnNumber, "return.received")).toBe("applied");
  await page.goto(`/returns/${returnNumber}`);
  await expect(page.getByTestId("return-status")).toHaveText("Exchanged");
  const [shipped] = await query<{ stock: number; reserved: number }>(`SELECT "stock", "reserved" FROM "Variant" WHERE "id" = $1`, [order.variantIds[0][1]]);
  expect(shipped).toEqual({ stock: 2, reserved: 0 });
  // The parcel's arrival and the replacement leaving are two pieces of news: one message each.
  await expectMessagedOnce(page, customer, { return_received: ["email"], exchange_shipped: ["email"] });
});

test("lines that cannot be returned say why, in plain words, and offer cancelling when that is possible", SAME_ON_EVERY_VIEWPORT, async ({ page }) => {
  const customer = await customerWithOrders([
    { lines: [{ name: "Wool Test Overcoat", priceMinor: 19_000 }], deliveredDaysAgo: 45 },
    { lines: [{ name: "Test Face Cream", category: "beauty", priceMinor: 2800, hygiene: true }, { name: "Test Scarf", category: "accessories", priceMinor: 4200, quantity: 2 }] },
    { lines: [{ name: "Test Desk Lamp", category: "electronics", priceMinor: 7700 }], status: "PROCESSING" },
  ]);
  const [expired, mixed, processing] = customer.orders;
  await signInDirectly(page, customer.email, DEMO_PASSWORD);

  await page.goto(`/orders/${expired.number}/return`);
  const journeyId = await journeyIdInTab(page, "return");
  await expect(page.getByText("Nothing from this order can be returned right now.")).toBeVisible();
  await expect(page.getByTestId("refused-lines")).toContainText(/The return window closed on \d{1,2} \w{3} \d{4}\./);
  await expect.poll(() => trail(journeyId), BACKGROUND).toEqual(["order:VIEWED:BROWSER", "items:VIEWED:BROWSER", "items:ERROR:BROWSER:window_closed"]);

  await page.goto(`/orders/${mixed.number}/return`);
  await expect(page.getByTestId("refused-lines")).toContainText("For hygiene reasons this item cannot be returned once delivered.");
  await expect(page.getByRole("group", { name: "Test Scarf" })).toBeVisible();

  await page.goto(`/orders/${processing.number}/return`);
  await expect(page.getByTestId("refused-lines")).toContainText("This item has not shipped yet, so it cannot be returned — you can cancel it instead.");
  await expect(page.getByRole("link", { name: "Cancel it instead" })).toHaveAttribute("href", `/orders/${processing.number}/cancel`);

  // The Returns page lists only the order with something returnable.
  await page.goto("/returns");
  await expect(page.getByTestId("returnable-orders").getByRole("listitem")).toHaveCount(1);
  await expect(page.getByTestId("returnable-orders")).toContainText(mixed.number);
  // Counted in items, the hygiene line left out: the scarf's two.
  await expect(page.getByTestId("returnable-orders")).toContainText("2 items to return");
});

test("a return can be cancelled until it ships, with its own trail, and its label is cancelled with the carrier", SAME_ON_EVERY_VIEWPORT, async ({ page, request }) => {
  const customer = await customerWithOrders([{ lines: [{ name: "Cancel Test Tote", category: "accessories", priceMinor: 2900 }] }]);
  const [order] = customer.orders;
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  // A printed label for a change of mind carries the return shipping fee, until the return is cancelled.
  const returnNumber = await returnForRefundByLabel(page, order.number, "Cancel Test Tote");
  await expect(page.getByTestId("return-money")).toContainText("return shipping fee");
  await expect(page.getByRole("link", { name: "Download your label (PDF)" })).toBeVisible(BACKGROUND);

  await page.getByRole("link", { name: "Changed your mind? Cancel this return" }).click();
  await expect(page.getByRole("heading", { name: `Cancel return ${returnNumber}?` })).toBeVisible();
  const journeyId = await journeyIdInTab(page, "return_cancellation");
  await page.getByRole("button", { name: "Cancel this return" }).click();
  await expect(page.getByText("Your return is cancelled.")).toBeVisible();
  await expect(page.getByTestId("return-status")).toHaveText("Cancelled");
  await expect(page.getByTestId("return-money")).toContainText("Nothing to pay back: this return was cancelled.");
  await expect(page.getByTestId("return-money")).not.toContainText("fee");
  await expect(page.getByRole("link", { name: /Cancel this return/ })).toHaveCount(0);
  // The carrier is asked to cancel the label; the page says so until it answers, then that it no longer works.
  await expect(page.getByTestId("carrier-call-off")).toHaveText("The carrier has cancelled the label: it no longer works.", BACKGROUND);
  // Told once: kept while the page waited for the carrier, but a reload does not repeat it.
  await expect(page.getByText("Your return is cancelled.")).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/returns/${returnNumber}$`));
  await page.reload();
  await expect(page.getByTestId("return-status")).toHaveText("Cancelled");
  await expect(page.getByText("Your return is cancelled.")).toHaveCount(0);
  const bookings = (await (await request.get(`${CARRIER_STAND_IN_URL}/_bookings`)).json()) as StandInBooking[];
  expect(bookings.find((b) => b.reference === returnNumber)).toMatchObject({ state: "cancelled", cancelRequests: 1 });
  await expect.poll(() => trail(journeyId), BACKGROUND).toEqual(["detail:VIEWED:BROWSER", "confirmation:VIEWED:SERVER", "confirmation:COMPLETED:SERVER"]);
  // Told once, as an order's cancellation is: by email and in the message centre.
  const told = await expectMessagedOnce(page, { userId: customer.userId, email: customer.email }, { return_cancelled: ["email"] });
  expect(told.return_cancelled.subject).toBe(`Return ${returnNumber} is cancelled`);
  // The item can be returned again.
  await page.goto("/returns");
  await expect(page.getByTestId("returnable-orders")).toContainText(order.number);

  // Sent all the same, the parcel reaches the warehouse: the return's page says so, and that our team
  // will be in touch (an agent has a case for it); the return stays cancelled.
  expect(await carrierEvent(request, returnNumber, "return.received")).toBe("after_cancellation");
  await page.goto(`/returns/${returnNumber}`);
  await expect(page.getByTestId("carrier-call-off")).toHaveText("Your parcel reached our warehouse after this return was cancelled. One of our team will contact you about sending it back to you.");
  await expect(page.getByTestId("return-timeline")).toContainText("Reached our warehouse after the cancellation");
  await expect(page.getByTestId("return-status")).toHaveText("Cancelled");
  // The tote is with us now: it is offered for return no more, and the order's return form says why.
  await page.goto("/returns");
  await expect(page.getByText("Nothing to return right now.")).toBeVisible();
  await page.goto(`/orders/${order.number}/return`);
  await expect(page.getByTestId("refused-lines")).toContainText(`This item is already with us: the parcel of return ${returnNumber} reached our warehouse after that return was cancelled. One of our team will contact you about it.`);
});

test("a customer who leaves the return at the resolution step for the phone is recorded there", async ({ page }) => {
  const customer = await customerWithOrders([{ lines: [{ name: "Phone Test Beanie", category: "accessories", priceMinor: 2900 }] }]);
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  await startFromReturnsPage(page, customer.orders[0].number);
  const journeyId = await journeyIdInTab(page, "return");
  await chooseItem(page, "Phone Test Beanie", "It is not as described");
  await continueTo(page, "How would you like it settled?");
  await openHelp(page);
  await page.getByRole("link", { name: "Call us" }).click();
  await expect
    .poll(() => trail(journeyId), BACKGROUND)
    .toEqual(["order:VIEWED:BROWSER", "items:VIEWED:BROWSER", "resolution:VIEWED:BROWSER", "resolution:EXITED:BROWSER:PHONE"]);
  const [journey] = await query<{ outcome: string; exitChannel: string; lastStep: string }>(`SELECT "outcome", "exitChannel", "lastStep" FROM "Journey" WHERE "id" = $1`, [journeyId]);
  expect(journey).toEqual({ outcome: "EXITED", exitChannel: "PHONE", lastStep: "resolution" });
});

test("bad input gets a clear message and changes nothing", SAME_ON_EVERY_VIEWPORT, async ({ page }) => {
  const customer = await customerWithOrders([{ lines: [{ name: "Forged Test Vase", category: "home", priceMinor: 3400, quantity: 2 }] }]);
  const [order] = customer.orders;
  const [graceLine] = await query<{ id: string }>(`SELECT l."id" FROM "OrderLine" l JOIN "Order" o ON o."id" = l."orderId" JOIN "User" u ON u."id" = o."userId" WHERE u."email" = $1 LIMIT 1`, [DEMO.grace.email]);
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  await startFromReturnsPage(page, order.number);
  const journeyId = await journeyIdInTab(page, "return");
  // The browser checks what it can before anything is sent.
  await page.getByRole("group", { name: "Forged Test Vase" }).getByRole("checkbox").check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("Choose why you are returning it.")).toBeVisible();
  await chooseItem(page, "Forged Test Vase", "I changed my mind");
  await continueTo(page, "How would you like it settled?");
  // The vase comes in one colour: no exchange is offered.
  await expect(page.getByLabel("Exchange for another size or colour")).toHaveCount(0);
  await page.getByLabel("Refund to your original payment method").check();
  await continueTo(page, "What you get back");
  await continueTo(page, "How will you send it back?");
  await page.getByLabel(/Drop it off/).check();

  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Submit return" }) });
  const setHidden = (name: string, value: string) => form.locator(`input[type=hidden][name=${name}]`).evaluate((input, v) => ((input as HTMLInputElement).value = v), value);
  const message = page.getByTestId("form-message");
  const line = (over: Record<string, unknown>) => JSON.stringify([{ lineId: order.lineIds[0], quantity: 1, reason: "changed_mind", photo: null, exchangeVariantId: null, ...over }]);

  await setHidden("resolution", "EXCHANGE");
  await page.getByRole("button", { name: "Submit return" }).click();
  await expect(message).toHaveText("That way of settling the return is not available for these items. Choose another one.");
  await setHidden("resolution", "REFUND");

  await setHidden("lines", line({ quantity: 5 }));
  await page.getByRole("button", { name: "Submit return" }).click();
  await expect(message).toHaveText("You chose more of an item than you can return. Reload the page to see how many are left.");

  await setHidden("lines", line({ lineId: graceLine.id }));
  await page.getByRole("button", { name: "Submit return" }).click();
  await expect(message).toHaveText("One of the items is not part of this order. Reload the page and choose again.");

  // The window closes while the customer is on the page: the server judges at submission time.
  await query(`UPDATE "Shipment" SET "deliveredAt" = now() - interval '40 days' WHERE "orderId" = $1`, [order.id]);
  await setHidden("lines", line({}));
  await page.getByRole("button", { name: "Submit return" }).click();
  await expect(message).toHaveText("One of the items can no longer be returned. Reload the page to see why.");

  expect(await query(`SELECT 1 FROM "Return" WHERE "userId" = $1`, [customer.userId])).toEqual([]);
  await expect
    .poll(async () => (await trail(journeyId)).filter((e) => e.includes(":ERROR:")), BACKGROUND)
    .toEqual(["items:ERROR:BROWSER:reason_missing", "resolution:ERROR:SERVER:resolution_not_allowed", "items:ERROR:SERVER:quantity_too_high", "items:ERROR:SERVER:unknown_line", "items:ERROR:SERVER:line_not_returnable"]);
});

test("photos: an oversized or wrong-type file is refused with a clear message; a real photo is kept for its owner only", async ({ page, browser }) => {
  const customer = await customerWithOrders([{ lines: [{ name: "Photo Test Speaker", category: "electronics", priceMinor: 7900 }] }]);
  const [order] = customer.orders;
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  await startFromReturnsPage(page, order.number);
  const journeyId = await journeyIdInTab(page, "return");
  await chooseItem(page, "Photo Test Speaker", "It arrived damaged or faulty");
  const photo = page.getByLabel("Add a photo (optional)");

  const jpegHeader = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
  await photo.setInputFiles({ name: "huge.jpg", mimeType: "image/jpeg", buffer: Buffer.concat([jpegHeader, Buffer.alloc(6 * 1024 * 1024)]) });
  await expect(page.getByText("That photo is larger than 5 MB.", { exact: false })).toBeVisible();
  await photo.setInputFiles({ name: "invoice.jpg", mimeType: "image/jpeg", buffer: Buffer.from("%PDF-1.7 this is not a photo") });
  await expect(page.getByText("That file is not a JPEG, PNG or WebP photo.", { exact: false })).toBeVisible();
  // The server has the final word on size too, whatever a browser lets through.
  const direct = await page.request.post(`/returns/photos?journeyId=${journeyId}`, { multipart: { photo: { name: "huge.jpg", mimeType: "image/jpeg", buffer: Buffer.concat([jpegHeader, Buffer.alloc(6 * 1024 * 1024)]) } } });
  expect(direct.status()).toBe(413);
  expect(((await direct.json()) as { message: string }).message).toMatch(/larger than 5 MB/);

  const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
  await photo.setInputFiles({ name: "dent.png", mimeType: "image/png", buffer: png });
  await expect(page.getByText("Photo added.")).toBeVisible();
  await continueTo(page, "How would you like it settled?");
  await page.getByLabel("Refund to your original payment method").check();
  await continueTo(page, "What you get back");
  await continueTo(page, "How will you send it back?");
  await page.getByLabel(/Print a label/).check();
  const returnNumber = await submitReturn(page);

  const link = page.getByRole("link", { name: "Your photo" });
  const href = (await link.getAttribute("href"))!;
  const mine = await page.request.get(href);
  expect(mine.status()).toBe(200);
  expect(mine.headers()["content-type"]).toBe("image/png");
  const grace = await asGrace(browser);
  expect((await grace.page.request.get(href)).status()).toBe(404);
  await grace.context.close();
  expect(returnNumber).toMatch(/^RT-/);
  await expect
    .poll(async () => (await trail(journeyId)).filter((e) => e.includes(":ERROR:")), BACKGROUND)
    .toEqual(["items:ERROR:BROWSER:photo_too_large", "items:ERROR:SERVER:photo_wrong_type", "items:ERROR:SERVER:photo_too_large"]);
});

test("when the carrier is down the return is still accepted, the pickup is booked when it is back and its page and the overview name the day the carrier collects", SAME_ON_EVERY_VIEWPORT, async ({ page, request }) => {
  const postalCode = `ZZ${crypto.randomInt(1, 9)} ${crypto.randomInt(1, 9)}ZZ`;
  const customer = await customerWithOrders([{ lines: [{ name: "Outage Test Throw", category: "home", priceMinor: 6900 }] }], { postalCode });
  let returnNumber = "";
  await request.post(`${CARRIER_STAND_IN_URL}/_control/down`, { data: { down: true, postalCode } });
  try {
    await signInDirectly(page, customer.email, DEMO_PASSWORD);
    await startFromReturnsPage(page, customer.orders[0].number);
    await chooseItem(page, "Outage Test Throw", "It is not as described");
    await continueTo(page, "How would you like it settled?");
    await page.getByLabel("Refund to your original payment method").check();
    await continueTo(page, "What you get back");
    await continueTo(page, "How will you send it back?");
    // A pickup: while it waits the page speaks of the pickup, not of a label in the post (found by a customer walk).
    await page.getByLabel(/pick it up/).check();
    returnNumber = await submitReturn(page);
    await expect(page.getByTestId("return-status")).toHaveText("Approved");
    await expect(page.getByTestId("send-back")).toContainText("We are booking the carrier to collect the parcel from your address.");
    await expect(page.getByTestId("send-back")).not.toContainText("on its way");
  } finally {
    await request.post(`${CARRIER_STAND_IN_URL}/_control/down`, { data: { down: false, postalCode } });
  }
  // The outbox books it after its backoff; the page refreshes itself while it waits.
  await expect(page.getByRole("link", { name: "Download your label (PDF)" })).toBeVisible(BACKGROUND);
  // The confirmation stays for the visit through those refreshes, and the address does not take
  // ?submitted=1 back with them: a reload no longer repeats it.
  await expect(page.getByText("Your return is submitted.")).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/returns/${returnNumber}$`));
  await page.reload();
  await expect(page.getByTestId("return-status")).toHaveText("Approved");
  await expect(page.getByText("Your return is submitted.")).toHaveCount(0);
  // The page names the day the carrier answered the booking with, written as every day is.
  const bookings = (await (await request.get(`${CARRIER_STAND_IN_URL}/_bookings`)).json()) as StandInBooking[];
  const { pickupDate } = bookings.find((b) => b.reference === returnNumber)!;
  const day = formatDay(new Date(pickupDate!));
  await expect(page.getByTestId("send-back")).toContainText(`The carrier collects the parcel from your address on ${day}.`);
  // The overview gives the same day: a pickup is collected, never sent back by a date.
  await page.goto("/");
  await expect(page.getByTestId("attention")).toContainText(`Return ${returnNumber}: your pickup booking is ready. The carrier collects the parcel from your address on ${day}.`);
  await expect(page.getByTestId("returns-in-progress")).toContainText(`Return ${returnNumber} for order ${customer.orders[0].number} · collected on ${day}`);
  await expect(page.getByTestId("returns-in-progress")).not.toContainText("send back by");
});

test("an agent's cancellation, rule set aside and return check each leave the keyboard on the words saying what was done, with its figures", async ({ page, browser }) => {
  const customer = await customerWithOrders([
    { lines: [{ name: "Held Test Lens", priceMinor: 25_000 }] },
    { lines: [{ name: "Cord Test Jacket", priceMinor: 6_000, quantity: 2 }], status: "PROCESSING" },
    { lines: [{ name: "Wool Test Scarf", priceMinor: 3_000 }], deliveredDaysAgo: 45 },
  ]);
  const [held, processing, late] = customer.orders;
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  const returnNumber = await returnForRefundByLabel(page, held.number, "Held Test Lens");
  const [review] = await query<{ number: string }>(`SELECT c."number" FROM "Case" c JOIN "Return" r ON r."id" = c."returnId" WHERE r."number" = $1`, [returnNumber]);
  const agent = await agentOn(browser, `/agent/cases/${review.number}`);
  const outcome = agent.getByTestId("outcome-notice");

  // Each said its outcome inside its own form, out of sight below the page's top, and the check's went with its form.
  await agent.locator("#cancel-order").selectOption(processing.number);
  await agent.getByRole("button", { name: "Cancel the whole order" }).click();
  await expect(outcome).toHaveText(`Order ${processing.number} cancelled: 2 items. £144.00 is being refunded to the customer's card. The customer has been told.`);
  await expect(outcome).toBeFocused();

  await agent.locator("#override-order").selectOption(late.number);
  await agent.getByLabel("Rule").selectOption({ label: "Return window extended" });
  await agent.getByLabel("Why", { exact: true }).fill("The scarf arrived while the customer was abroad.");
  await agent.getByRole("button", { name: "Set the rule aside" }).click();
  await expect(outcome).toHaveText(`Return window extended for the next return of ${late.number}: the customer can now return it in the portal. Your reason: “The scarf arrived while the customer was abroad.”`);
  await expect(outcome).toBeFocused();

  const check = agent.locator("form").filter({ has: agent.getByRole("heading", { name: `Check return ${returnNumber}` }) });
  await check.getByLabel("Decline it").check();
  await check.getByLabel("Note", { exact: true }).fill("The lens shows heavy use, so it cannot be resold.");
  await check.getByRole("button", { name: "Record the decision" }).click();
  await expect(outcome).toHaveText(`Return ${returnNumber} declined and the case resolved. The customer has been told why: “The lens shows heavy use, so it cannot be resold.”`);
  await expect(outcome).toBeFocused();
  await expect(check).toHaveCount(0);
  await agent.context().close();
});

test("an agent waives a return's fee from the case the customer opened on it, with a reason on record; the customer gets it back and is told", SAME_ON_EVERY_VIEWPORT, async ({ page, browser }) => {
  const customer = await customerWithOrders([{ lines: [{ name: "Waive Test Tote", category: "accessories", priceMinor: 2900 }] }]);
  const [order] = customer.orders;
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  const returnNumber = await returnForRefundByLabel(page, order.number, "Waive Test Tote");
  await expect(page.getByTestId("return-money")).toContainText("return shipping fee");
  const caseNumber = await talkToPerson(page);

  const agent = await agentOn(browser, `/agent/cases/${caseNumber}`);
  const waive = agent.locator("form").filter({ has: agent.getByRole("heading", { name: "Waive the return fee" }) });
  await expect(waive).toContainText(`Return ${returnNumber} carries a fee of £2.95.`);
  // Without a written reason nothing is waived.
  await waive.getByRole("button", { name: "Waive the return fee" }).click();
  await expect(waive.getByText("Explain in at least a sentence why the rule is set aside.")).toBeVisible();
  await waive.getByLabel("Why waive it").fill("Our courier lost the customer's first parcel, so the label is on us.");
  await waive.getByRole("button", { name: "Waive the return fee" }).click();
  const outcome = agent.getByTestId("outcome-notice");
  await expect(outcome).toHaveText(`Return fee waived on return ${returnNumber}: the customer now gets £34.80 back, and has been told. Your reason: “Our courier lost the customer's first parcel, so the label is on us.”`);
  await expect(outcome).toBeFocused();
  // Recorded as a rule set aside, with the return it is for and the agent's name; nothing is left to waive.
  const setAside = agent.getByRole("region", { name: "Rules set aside" });
  await expect(setAside).toContainText(`Fee waived for return ${returnNumber} of order ${order.number} — Our courier lost the customer's first parcel`);
  await expect(setAside).toContainText("Set aside by Alex Agent");
  await expect(waive).toHaveCount(0);
  await agent.context().close();

  const told = await expectMessagedOnce(page, { userId: customer.userId, email: customer.email }, { return_fee_waived: ["email"] });
  expect(told.return_fee_waived.subject).toBe(`We have waived the fee on return ${returnNumber}`);
  await page.goto(`/returns/${returnNumber}`);
  await expect(page.getByTestId("return-money")).not.toContainText("fee");
  await expect(page.getByTestId("return-money")).toContainText("£34.80");
});

test("a customer refused by the return window asks for a person; the agent sets the rule aside; the customer returns it in the portal", SAME_ON_EVERY_VIEWPORT, async ({ page, browser }) => {
  // A later order too: the agent's forms start on the latest order unless the case names another.
  const customer = await customerWithOrders([{ lines: [{ name: "Wool Test Overcoat", priceMinor: 19_000 }], deliveredDaysAgo: 45 }, { lines: [{ name: "Linen Test Shirt", priceMinor: 4_500 }], deliveredDaysAgo: 2 }]);
  const [order] = customer.orders;
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  await page.goto(`/orders/${order.number}/return`);
  const journeyId = await journeyIdInTab(page, "return");
  await expect(page.getByTestId("refused-lines")).toContainText(/The return window closed/);
  const caseNumber = await talkToPerson(page);

  const agent = await agentOn(browser, `/agent/cases/${caseNumber}`);
  await expect(agent.getByTestId("case-trail")).toContainText("window closed");
  await expect(agent.getByText("Asked for a person during “Start a return”")).toBeVisible();
  // The page's order came with the case: it named the task only, and the form started on the shirt's order.
  await expect(agent.getByTestId("case-subject")).toHaveText(`About order ${order.number}`);
  await expect(agent.locator("#override-order")).toHaveValue(order.number);
  await agent.getByLabel("Rule").selectOption({ label: "Return window extended" });
  await agent.getByLabel("Why", { exact: true }).fill("Customer was abroad for six weeks; the coat is unworn with its tags.");
  await agent.getByRole("button", { name: "Set the rule aside" }).click();
  await expect(agent.getByText(`Return window extended for the next return of ${order.number}`)).toBeVisible();
  // The case's trail reads the override in words, at the step it concerns (it read 'items override').
  await expect
    .poll(async () => {
      await agent.reload();
      return agent.getByTestId("case-trail").textContent();
    }, BACKGROUND)
    .toContain("Choosing the items: an agent set a rule aside");
  // And lists it, in words, with the order it is for, the agent's reason and name (it read 'window closed', and named neither order nor agent).
  const setAside = agent.getByRole("region", { name: "Rules set aside" });
  await expect(setAside).toContainText(`Return window extended for order ${order.number} — Customer was abroad for six weeks`);
  await expect(setAside).toContainText("Set aside by Alex Agent");
  await agent.context().close();

  // The same page now lets the customer return the coat.
  await page.goto(`/orders/${order.number}/return`);
  await expect(page.getByRole("group", { name: "Wool Test Overcoat" })).toBeVisible();
  await expect.poll(() => trail(journeyId), BACKGROUND).toContain("items:OVERRIDE:SERVER");

  const analystContext = await browser.newContext();
  const analyst = await analystContext.newPage();
  await signInDirectly(analyst, DEMO.analyst.email, DEMO.analyst.password);
  await analyst.goto("/insights/help");
  // In the case's words: it read 'window closed' (and a goodwill credit 'goodwill credit').
  await expect(analyst.getByTestId("overrides-table").getByRole("row").filter({ hasText: "Alex Agent" }).filter({ hasText: "Return window extended" })).toHaveCount(1);
  await expect(analyst.getByTestId("overrides-table")).not.toContainText("window closed");
  await analystContext.close();
});
