// Payments through the Stripe stand-in (e2e/support/stripe-stand-in.ts: our side of Stripe's
// contract, not Stripe's behaviour): saving, choosing and removing cards on Stripe's hosted page,
// paying a balance, the signed webhook route, and who may see what. Each test walks a fresh
// customer, so the three browser projects never consume each other's data or the demo accounts'.
import crypto from "node:crypto";
import type { APIRequestContext, Page } from "@playwright/test";
import Stripe from "stripe";
import { BASE_URL, E2E_STRIPE_WEBHOOK_SECRET, STRIPE_STAND_IN_URL } from "./support/env";
import { BACKGROUND, DEMO, expect, SAME_ON_EVERY_VIEWPORT, signInDirectly, test } from "./support/fixtures";
import { customerWithOrders, signedInCustomer } from "./support/customers";
import { expectMessagedOnce } from "./support/messages";
import { query, trailOf, withNewOrderNumber } from "./support/portal-db";
import { completed, expectTrailAgreement } from "./support/trail";

const signer = new Stripe("sk_test_e2e_signer");

/** A copy of Ada's order whose card was declined (the whole total still due), given to `userId`. */
async function balanceDueOrder(userId: string): Promise<{ id: string; number: string; totalMinor: number }> {
  const [template] = await query<{ id: string; totalMinor: number }>(
    `SELECT o."id", o."totalMinor" FROM "Order" o JOIN "User" u ON u."id" = o."userId" WHERE u."email" = $1 AND o."status" = 'PENDING_PAYMENT' AND o."balanceDueMinor" > 0 LIMIT 1`,
    [DEMO.ada.email],
  );
  const idOf = (number: string) => `e2e_pay_${number}`;
  const number = await withNewOrderNumber(async (orderNumber, run) => {
    const id = idOf(orderNumber);
    await run(
      `INSERT INTO "Order" ("id","number","userId","status","paymentStatus","currency","subtotalMinor","shippingMinor","taxMinor","totalMinor","paidMinor","refundedMinor","balanceDueMinor","shippingAddress","placedAt","promisedDeliveryAt","updatedAt")
       SELECT $1, $2, $3, 'PENDING_PAYMENT', 'FAILED', "currency", "subtotalMinor", "shippingMinor", "taxMinor", "totalMinor", 0, 0, "totalMinor", "shippingAddress", now(), now() + interval '5 days', now() FROM "Order" WHERE "id" = $4`,
      [id, orderNumber, userId, template.id],
    );
    await run(
      `INSERT INTO "OrderLine" ("id","orderId","variantId","productName","sku","category","quantity","unitPriceMinor","taxMinor")
       SELECT 'e2e_' || "id" || '_' || $1, $1, "variantId", "productName", "sku", "category", "quantity", "unitPriceMinor", "taxMinor" FROM "OrderLine" WHERE "orderId" = $2`,
      [id, template.id],
    );
    await run(`INSERT INTO "OrderStatusChange" ("id","orderId","from","to","at","actor") VALUES ('e2e_osc_' || $1, $1, NULL, 'PENDING_PAYMENT', now(), 'customer')`, [id]);
  });
  return { id: idOf(number), number, totalMinor: template.totalMinor };
}

/** Saves a card through the stand-in's hosted page, driven by keyboard, and waits for the webhook. */
async function addCard(page: Page, card: "Visa ending 4242" | "Mastercard ending 4444" | "Visa ending 0341 (saves, later charges declined)") {
  if (new URL(page.url()).pathname !== "/account/payment-methods") await page.goto("/account/payment-methods");
  await page.getByRole("button", { name: "Add a card" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Save a card" })).toBeVisible();
  await page.getByLabel(card).check();
  await page.getByRole("button", { name: "Save card" }).focus();
  await page.keyboard.press("Enter");
  // Stripe's session id was exchanged for a cookie on the way back: the page's own URL is clean.
  await expect(page).toHaveURL(/\/account\/payment-methods\/added$/);
  // Saved under its name, without the stand-in's note on how it behaves.
  await expect(page.getByTestId("form-message")).toContainText(`${card.replace(/ \(.*\)$/, "")} is saved`, BACKGROUND);
}

async function standInRequests(request: APIRequestContext) {
  const response = await request.get(`${STRIPE_STAND_IN_URL}/_requests`);
  expect(response.ok()).toBe(true);
  return (await response.json()) as { method: string; path: string; idempotencyKey: string | null; params: Record<string, unknown>; status: number; replayed: boolean }[];
}

const steps = (events: { step: string; kind: string; source: string; errorCode: string | null }[]) => events.map((e) => `${e.step}:${e.kind}:${e.source}${e.errorCode ? `:${e.errorCode}` : ""}`);
// A step's view that the browser reports races the server learning the step's outcome: the
// confirmation page against Stripe's webhook, and the hosted page (whose view the browser sends with
// its batch, after the click that left for Stripe's page) against the return from it. The view is the
// browser's, or the server's when the outcome was stored first (the journey rule records a completed
// step's view with it): either way once, so the source is left out.
const viewsSeen = (racing: string[]) => (list: string[]) => list.map((s) => (racing.some((step) => s.startsWith(`${step}:VIEWED:`)) ? s.split(":").slice(0, 2).join(":") : s));
const confirmationSeen = viewsSeen(["confirmation"]);

test.describe("saved cards", () => {
  test("a customer adds a card on Stripe's hosted page and sees it listed as the default; the trail holds the journey", async ({ page }) => {
    const customer = await signedInCustomer(page, "Carla Card", "card-add");
    await page.goto("/account/payment-methods");
    // The list is read in the main region: it streams in after its loading state, and once, on a
    // phone, a hidden copy of it stayed at the end of the document beside the one shown.
    const list = page.getByRole("main");
    await expect(list.getByText("You have no saved cards yet.")).toBeVisible();

    await addCard(page, "Mastercard ending 4444");
    await expect(page.getByTestId("form-message")).toHaveText("Mastercard ending 4444 is saved and is your default card.");
    await page.getByRole("link", { name: "Back to payment methods" }).click();
    const listed = list.getByTestId("saved-card");
    await expect(listed).toHaveCount(1);
    await expect(listed).toContainText("Mastercard ending 4444");
    await expect(listed).toContainText("Default");

    // Stripe's confirmation records the hosted page done and the card saved, in that order, whether
    // it comes before or after the customer is back; the list shown again starts the next attempt.
    await expect
      .poll(async () => steps(await trailOf(customer.email, "payment_method")), BACKGROUND)
      .toEqual(["list:VIEWED:BROWSER", "hosted_page:VIEWED:BROWSER", "hosted_page:COMPLETED:SERVER", "saved:VIEWED:SERVER", "saved:COMPLETED:SERVER", "list:VIEWED:BROWSER"]);
    await expectTrailAgreement(page, customer.userId, [completed("payment_method"), { type: "payment_method", outcome: "IN_PROGRESS", level: 1 }], { only: ["payment_method"] });
    // The card number never reached the portal: Stripe's hosted page took it, the portal holds brand and last four.
    const [mirrored] = await query<{ brand: string; last4: string; isDefault: boolean }>(`SELECT "brand", "last4", "isDefault" FROM "SavedPaymentMethod" WHERE "userId" = $1`, [customer.userId]);
    expect(mirrored).toEqual({ brand: "mastercard", last4: "4444", isDefault: true });
  });

  test("a customer makes another card the default, then removes a card, and Stripe forgets it too", SAME_ON_EVERY_VIEWPORT, async ({ page, request }) => {
    const customer = await signedInCustomer(page, "Reza Remove", "card-remove");
    await addCard(page, "Mastercard ending 4444");
    await addCard(page, "Visa ending 4242");
    await page.goto("/account/payment-methods");
    const list = page.getByRole("main");
    await page.getByRole("link", { name: "Manage Visa ending 4242" }).click();
    await expect(page.getByRole("heading", { name: "Visa ending 4242" })).toBeVisible();
    await page.getByRole("button", { name: "Make Visa ending 4242 my default card" }).click();
    await expect(list.getByTestId("form-message")).toContainText("Your default card is changed.");
    await expect(list.getByTestId("saved-card").first()).toContainText("Visa ending 4242");
    await expect(list.getByTestId("saved-card").first()).toContainText("Default");

    const [mastercard] = await query<{ stripePaymentMethodId: string }>(`SELECT "stripePaymentMethodId" FROM "SavedPaymentMethod" WHERE "userId" = $1 AND "last4" = '4444'`, [customer.userId]);
    await page.getByRole("link", { name: "Manage Mastercard ending 4444" }).click();
    await page.getByRole("button", { name: "Remove Mastercard ending 4444" }).click();
    await expect(list.getByTestId("form-message")).toHaveText("The card is removed. It can no longer be charged.");
    await expect(list.getByTestId("saved-card")).toHaveCount(1);
    await expect(list.getByTestId("saved-card")).not.toContainText("Mastercard");

    const detached = await (await request.get(`${STRIPE_STAND_IN_URL}/_objects/${mastercard.stripePaymentMethodId}`)).json();
    expect(detached.customer).toBeNull();
    await expect
      .poll(async () => steps(await trailOf(customer.email, "payment_method_change")), BACKGROUND)
      .toEqual(["detail:VIEWED:BROWSER", "changed:VIEWED:SERVER", "changed:COMPLETED:SERVER", "detail:VIEWED:BROWSER", "changed:VIEWED:SERVER", "changed:COMPLETED:SERVER"]);
    await expectTrailAgreement(page, customer.userId, [completed("payment_method_change"), completed("payment_method_change")], { only: ["payment_method_change"] });
  });

  test("another customer gets a 404 for someone's card and payment, and a made-up setup finds nothing", SAME_ON_EVERY_VIEWPORT, async ({ page, browser }) => {
    const owner = await signedInCustomer(page, "Olga Owner", "card-owner");
    const cardId = `e2e_card_${crypto.randomUUID()}`;
    await query(`INSERT INTO "SavedPaymentMethod" ("id","userId","stripePaymentMethodId","brand","last4","expMonth","expYear","isDefault") VALUES ($1, $2, $3, 'visa', '4242', 12, 2031, true)`, [cardId, owner.userId, `pm_e2e_${cardId}`]);
    const order = await balanceDueOrder(owner.userId);
    const paymentId = crypto.randomUUID();
    await query(`INSERT INTO "Payment" ("id","orderId","kind","amountMinor","currency","status","idempotencyKey","updatedAt") VALUES ($1, $2, 'BALANCE', $3, 'GBP', 'PENDING', $4, now())`, [paymentId, order.id, order.totalMinor, `balance:${order.id}:${paymentId}`]);
    expect((await page.goto(`/account/payment-methods/${cardId}`))?.status()).toBe(200);

    const other = await browser.newPage();
    await signInDirectly(other, DEMO.grace.email, DEMO.grace.password);
    for (const path of [`/account/payment-methods/${cardId}`, `/orders/${order.number}/pay`, `/orders/${order.number}/pay/${paymentId}`]) {
      expect((await other.goto(path))?.status(), path).toBe(404);
    }
    await other.goto("/account/payment-methods/added?session_id=cs_test_made_up");
    await expect(other.getByText("We could not find that card setup in your account.")).toBeVisible();
    await other.close();
  });
});

test.describe("paying a balance", () => {
  test("a customer pays the balance on the hosted page after a decline; the order is being prepared once Stripe's webhook confirms it", async ({ page }) => {
    const customer = await signedInCustomer(page, "Bea Balance", "balance-hosted");
    const order = await balanceDueOrder(customer.userId);
    await page.goto(`/orders/${order.number}/pay`);
    await expect(page.getByRole("heading", { name: `Pay the balance on order ${order.number}` })).toBeVisible();
    const amount = (await page.getByTestId("amount-due").textContent())!;
    await page.getByRole("button", { name: `Pay ${amount} on the secure payment page` }).click();

    await expect(page.getByRole("heading", { name: `Pay ${amount}` })).toBeVisible();
    await page.getByLabel("Visa ending 0002 (declined)").check();
    await page.getByRole("button", { name: `Pay ${amount}` }).click();
    await expect(page.getByRole("alert")).toHaveText("Your card was declined. Try another card.");
    await page.getByLabel("Visa ending 4242").check();
    await page.getByRole("button", { name: `Pay ${amount}` }).click();

    // The session id stays out of the address bar (and so out of analytics); the page knows the outcome at once.
    await expect(page).toHaveURL(new RegExp(`/orders/${order.number}/pay/[0-9a-f-]{36}\\?from=checkout$`));
    await expect(page.getByTestId("payment-status")).toHaveText(`Thank you: we received ${amount}. Your order is now Being prepared.`);
    await page.goto(`/orders/${order.number}`);
    await expect(page.getByText("Being prepared").first()).toBeVisible();

    const [paid] = await query<{ status: string; paymentStatus: string; balanceDueMinor: number; paidMinor: number }>(`SELECT "status", "paymentStatus", "balanceDueMinor", "paidMinor" FROM "Order" WHERE "id" = $1`, [order.id]);
    expect(paid).toEqual({ status: "PROCESSING", paymentStatus: "PAID", balanceDueMinor: 0, paidMinor: order.totalMinor });
    const history = await query<{ from: string | null; to: string; actor: string }>(`SELECT "from", "to", "actor" FROM "OrderStatusChange" WHERE "orderId" = $1 ORDER BY "at"`, [order.id]);
    expect(history.at(-1)).toEqual({ from: "PENDING_PAYMENT", to: "PROCESSING", actor: "stripe" });
    await expect
      .poll(async () => viewsSeen(["hosted_page", "confirmation"])(steps(await trailOf(customer.email, "balance_payment"))).sort(), BACKGROUND)
      .toEqual(
        [
          "detail:VIEWED:BROWSER",
          "hosted_page:VIEWED",
          "hosted_page:ERROR:SERVER:generic_decline",
          "hosted_page:COMPLETED:SERVER",
          "confirmation:VIEWED",
          "confirmation:COMPLETED:SERVER",
        ].sort(),
      );
    await expectTrailAgreement(page, customer.userId, [completed("balance_payment")], { only: ["balance_payment"] });
    // The payment is told once, though both the return from the hosted page and Stripe's webhook settle it;
    // the declined card on the hosted page was answered on that page, not by a message.
    const told = await expectMessagedOnce(page, customer, { payment_received: ["email"] });
    expect(told.payment_received.subject).toBe(`We have received your payment of ${amount}`);
  });

  test("a double click on 'pay with the saved card' charges once", SAME_ON_EVERY_VIEWPORT, async ({ page, request }) => {
    const customer = await signedInCustomer(page, "Dan Double", "balance-saved");
    await addCard(page, "Visa ending 4242");
    const order = await balanceDueOrder(customer.userId);
    await page.goto(`/orders/${order.number}/pay`);
    const amount = (await page.getByTestId("amount-due").textContent())!;
    await page.getByRole("button", { name: `Pay ${amount} with Visa ending 4242` }).dblclick();
    await expect(page.getByTestId("payment-status")).toContainText("Your order is now Being prepared.", BACKGROUND);

    const charges = (await standInRequests(request)).filter((r) => r.path === "/v1/payment_intents" && r.idempotencyKey?.startsWith(`balance:${order.id}:`));
    expect(charges.filter((r) => r.status === 200 && !r.replayed)).toHaveLength(1);
    const payments = await query<{ status: string }>(`SELECT "status" FROM "Payment" WHERE "orderId" = $1`, [order.id]);
    expect(payments).toEqual([{ status: "SUCCEEDED" }]);
    await expect
      .poll(async () => confirmationSeen(steps(await trailOf(customer.email, "balance_payment"))), BACKGROUND)
      .toEqual(expect.arrayContaining(["detail:VIEWED:BROWSER", "confirmation:VIEWED", "confirmation:COMPLETED:SERVER"]));
  });

  test("while Stripe is down the payment shows as pending, and goes through from the outbox when it is back", SAME_ON_EVERY_VIEWPORT, async ({ page, request }) => {
    const customer = await signedInCustomer(page, "Ola Outage", "balance-outage");
    await addCard(page, "Visa ending 4242");
    const order = await balanceDueOrder(customer.userId);
    await page.goto(`/orders/${order.number}/pay`);
    const amount = (await page.getByTestId("amount-due").textContent())!;
    // Kept short: other specs running at the same time share the stand-in (their calls retry too).
    await request.post(`${STRIPE_STAND_IN_URL}/_control/down`, { data: { down: true, how: "503" } });
    try {
      await page.getByRole("button", { name: `Pay ${amount} with Visa ending 4242` }).click();
      await expect(page.getByTestId("pending-notice")).toContainText(`Payment pending: ${amount}.`);
    } finally {
      await request.post(`${STRIPE_STAND_IN_URL}/_control/down`, { data: { down: false } });
    }
    await expect(page.getByTestId("payment-status")).toContainText("Your order is now Being prepared.", BACKGROUND);
    const charges = (await standInRequests(request)).filter((r) => r.path === "/v1/payment_intents" && r.idempotencyKey?.startsWith(`balance:${order.id}:`));
    expect(charges.filter((r) => r.status === 200)).toHaveLength(1);
    expect(new Set(charges.map((r) => r.idempotencyKey)).size).toBe(1);
  });

  test("a declined charge of the saved card is told once, by email and in the message centre, with the way to pay again", SAME_ON_EVERY_VIEWPORT, async ({ page }) => {
    const customer = await signedInCustomer(page, "Dee Declined", "balance-declined");
    await addCard(page, "Visa ending 0341 (saves, later charges declined)");
    const order = await balanceDueOrder(customer.userId);
    await page.goto(`/orders/${order.number}/pay`);
    const amount = (await page.getByTestId("amount-due").textContent())!;
    await page.getByRole("button", { name: `Pay ${amount} with Visa ending 0341` }).click();
    await expect(page.getByRole("heading", { name: "Payment not taken" })).toBeVisible(BACKGROUND);
    const { subject, email } = (await expectMessagedOnce(page, customer, { payment_failed: ["email"] })).payment_failed;
    expect(subject).toBe(`Your payment for order ${order.number} did not go through`);
    // Its button leads (through the click recorder) to paying again.
    const href = /href="([^"]*\/m\/[^"]+)"/.exec(email?.html ?? "")?.[1] ?? "";
    const followed = await page.request.get(href, { maxRedirects: 0 });
    expect(followed.headers().location).toBe(`/orders/${order.number}/pay`);
  });

  test("a tampered pay form gets a clear message and charges nothing", SAME_ON_EVERY_VIEWPORT, async ({ page }) => {
    const customer = await signedInCustomer(page, "Tia Tamper", "balance-tamper");
    const order = await balanceDueOrder(customer.userId);
    await page.goto(`/orders/${order.number}/pay`);
    // Sent by React's handler (live once the form's journey id is filled in), with the attempt id
    // changed as the form is sent, as a crafted request would: a value typed into the field before
    // then is put back by React whenever it renders the form again.
    await expect(page.locator('input[name="journeyId"]')).not.toHaveValue("");
    const hosted = page.locator("form").filter({ has: page.getByRole("button", { name: /on the secure payment page/ }) });
    await hosted.evaluate((form) => form.addEventListener("formdata", (event) => (event as FormDataEvent).formData.set("attemptId", "not-an-id")));
    await hosted.getByRole("button").click();
    await expect(page.getByTestId("form-message")).toHaveText("We could not tell how you want to pay. Nothing was charged; please choose again.");
    expect(await query(`SELECT 1 FROM "Payment" WHERE "orderId" = $1`, [order.id])).toHaveLength(0);
    await expect.poll(async () => steps(await trailOf(customer.email, "balance_payment")), BACKGROUND).toContain("detail:ERROR:SERVER:validation_error");
  });

  test("the payment pages fit a 360 px screen", async ({ page }) => {
    const customer = await signedInCustomer(page, "Nia Narrow", "narrow");
    const order = await balanceDueOrder(customer.userId);
    const cardId = `e2e_card_${crypto.randomUUID()}`;
    await query(`INSERT INTO "SavedPaymentMethod" ("id","userId","stripePaymentMethodId","brand","last4","expMonth","expYear","isDefault") VALUES ($1, $2, $3, 'mastercard', '4444', 12, 2031, true)`, [cardId, customer.userId, `pm_e2e_${cardId}`]);
    await page.setViewportSize({ width: 360, height: 740 });
    for (const path of ["/account/payment-methods", `/account/payment-methods/${cardId}`, `/orders/${order.number}/pay`]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${path} scrolls sideways at 360 px`).toBeLessThanOrEqual(0);
    }
  });
});

test.describe("the Stripe webhook route", () => {
  const WEBHOOK = `${BASE_URL}/api/stripe/webhook`;

  function event(type: string, object: Record<string, unknown>) {
    return { id: `evt_e2e_${crypto.randomUUID()}`, object: "event", api_version: Stripe.API_VERSION, created: Math.floor(Date.now() / 1000), type, data: { object } };
  }

  function post(request: APIRequestContext, body: unknown, options: { signature?: string | null; secret?: string; timestamp?: number; tamper?: boolean } = {}) {
    const payload = JSON.stringify(body);
    const signature = options.signature !== undefined ? options.signature : signer.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? E2E_STRIPE_WEBHOOK_SECRET, timestamp: options.timestamp });
    return request.post(WEBHOOK, { data: options.tamper ? payload.replace("succeeded", "failed") : payload, headers: { "content-type": "application/json", ...(signature ? { "stripe-signature": signature } : {}) } });
  }

  // The route is what is tested: its customer is written straight into the database, not signed up in a browser.
  async function pendingPayment() {
    const customer = await customerWithOrders([]);
    const order = await balanceDueOrder(customer.userId);
    const paymentId = crypto.randomUUID();
    await query(`INSERT INTO "Payment" ("id","orderId","kind","amountMinor","currency","status","idempotencyKey","updatedAt") VALUES ($1, $2, 'BALANCE', $3, 'GBP', 'PENDING', $4, now())`, [paymentId, order.id, order.totalMinor, `balance:${order.id}:${paymentId}`]);
    const intent = { id: `pi_e2e_${crypto.randomUUID().replaceAll("-", "")}`, object: "payment_intent", amount: order.totalMinor, amount_received: order.totalMinor, currency: "gbp", status: "succeeded", metadata: { waymark_purpose: "balance_payment", waymark_payment_id: paymentId, waymark_order_id: order.id } };
    const orderNow = async () => (await query<{ status: string; paidMinor: number; balanceDueMinor: number }>(`SELECT "status", "paidMinor", "balanceDueMinor" FROM "Order" WHERE "id" = $1`, [order.id]))[0];
    return { order, paymentId, intent, orderNow };
  }

  test("unsigned, tampered, wrongly signed and stale deliveries get 400 and change nothing", SAME_ON_EVERY_VIEWPORT, async ({ request }) => {
    const { intent, orderNow } = await pendingPayment();
    const succeeded = event("payment_intent.succeeded", intent);
    const attempts = [
      await post(request, succeeded, { signature: null }),
      await post(request, succeeded, { tamper: true }),
      await post(request, succeeded, { secret: "whsec_not_ours" }),
      await post(request, succeeded, { timestamp: Math.floor(Date.now() / 1000) - 3600 }),
    ];
    for (const answer of attempts) {
      expect(answer.status()).toBe(400);
      expect(await answer.json()).toMatchObject({ received: false });
    }
    expect(await query(`SELECT 1 FROM "ProcessedWebhook" WHERE "id" = $1`, [succeeded.id])).toHaveLength(0);
    expect(await orderNow()).toMatchObject({ status: "PENDING_PAYMENT", paidMinor: 0 });
  });

  test("a replayed event is a no-op, and a failure arriving after the success does not move the order back", SAME_ON_EVERY_VIEWPORT, async ({ request }) => {
    const { order, paymentId, intent, orderNow } = await pendingPayment();
    const succeeded = event("payment_intent.succeeded", intent);
    const first = await post(request, succeeded);
    expect(first.status()).toBe(200);
    expect(await first.json()).toEqual({ received: true });
    expect(await orderNow()).toEqual({ status: "PROCESSING", paidMinor: order.totalMinor, balanceDueMinor: 0 });

    const replay = await post(request, succeeded);
    expect(await replay.json()).toEqual({ received: true, duplicate: true });
    // The same news under another event id (Stripe's checkout.session.completed and payment_intent.succeeded) pays once too.
    expect((await post(request, event("payment_intent.succeeded", intent))).status()).toBe(200);
    expect(await orderNow()).toEqual({ status: "PROCESSING", paidMinor: order.totalMinor, balanceDueMinor: 0 });

    const lateFailure = event("payment_intent.payment_failed", { ...intent, status: "requires_payment_method", amount_received: 0, last_payment_error: { code: "card_declined", decline_code: "insufficient_funds" } });
    expect((await post(request, lateFailure)).status()).toBe(200);
    expect(await orderNow()).toEqual({ status: "PROCESSING", paidMinor: order.totalMinor, balanceDueMinor: 0 });
    const [payment] = await query<{ status: string; failureCode: string | null }>(`SELECT "status", "failureCode" FROM "Payment" WHERE "id" = $1`, [paymentId]);
    expect(payment).toEqual({ status: "SUCCEEDED", failureCode: null });
    const changes = await query(`SELECT 1 FROM "OrderStatusChange" WHERE "orderId" = $1 AND "to" = 'PROCESSING'`, [order.id]);
    expect(changes).toHaveLength(1);
  });
});
