import type { Page } from "@playwright/test";
import { formatMoney } from "../lib/format/money";
import { agentOn, BACKGROUND, chooseEverythingToCancel, DEMO, DEMO_PASSWORD, expect, SAME_ON_EVERY_VIEWPORT, signInDirectly, talkToPerson, test } from "./support/fixtures";
import { customerWithOrders, signedInCustomer } from "./support/customers";
import { orderNumbersOf, query, trailOf, withNewOrderNumber } from "./support/portal-db";
import { expectMessagedOnce } from "./support/messages";
import { completed, expectTrailAgreement } from "./support/trail";

/** A fresh customer with one order in the given state, so tests never consume the demo customers' orders. */
async function customerWithOrder(page: Page, status: "PROCESSING" | "SHIPPED" | "DELIVERED") {
  const { email, userId } = await signedInCustomer(page, "Olive Orders", `orders-${status.toLowerCase()}`);
  // A copy of one of Ada's seeded orders in that state (the cheapest, so the problem policy resolves
  // it on the spot), with a new number, given to the new customer.
  const [template] = await query<{ id: string }>(`SELECT o."id" FROM "Order" o JOIN "User" u ON u."id" = o."userId" WHERE u."email" = $1 AND o."status" = $2 ORDER BY o."totalMinor" LIMIT 1`, [DEMO.ada.email, status]);
  const number = await withNewOrderNumber(async (orderNumber, run) => {
    await run(
      `INSERT INTO "Order" ("id","number","userId","status","paymentStatus","currency","subtotalMinor","shippingMinor","taxMinor","totalMinor","paidMinor","refundedMinor","balanceDueMinor","shippingAddress","stripePaymentIntentId","placedAt","promisedDeliveryAt","updatedAt")
       SELECT $1, $2, $3, "status", 'PAID', "currency", "subtotalMinor", "shippingMinor", "taxMinor", "totalMinor", "totalMinor", 0, 0, "shippingAddress", 'pi_seed_e2e_' || $2, "placedAt", "promisedDeliveryAt", now() FROM "Order" WHERE "id" = $4`,
      [`e2e_${orderNumber}`, orderNumber, userId, template.id],
    );
    await run(
      `INSERT INTO "OrderLine" ("id","orderId","variantId","productName","sku","category","quantity","unitPriceMinor","taxMinor")
       SELECT 'e2e_' || "id" || '_' || $1, $1, "variantId", "productName", "sku", "category", "quantity", "unitPriceMinor", "taxMinor" FROM "OrderLine" WHERE "orderId" = $2`,
      [`e2e_${orderNumber}`, template.id],
    );
    await run(
      `INSERT INTO "Shipment" ("id","orderId","carrier","trackingNumber","status","shippedAt","expectedAt","deliveredAt")
       SELECT 'e2e_s_' || $1, $1, "carrier", 'E2E' || $2, "status", "shippedAt", "expectedAt", "deliveredAt" FROM "Shipment" WHERE "orderId" = $3`,
      [`e2e_${orderNumber}`, orderNumber, template.id],
    );
  });
  return { email, userId, number };
}

test("order history filters by status and finds an order by product name", async ({ page }, testInfo) => {
  await signInDirectly(page, DEMO.ada.email, DEMO.ada.password);
  await page.goto("/orders");
  await expect(page.getByTestId("order-list").getByRole("listitem").first()).toBeVisible();
  if (testInfo.project.name !== "desktop") {
    // On a phone the filters fold into one control, so the orders, not the form, fill the first screen.
    await expect(page.getByLabel("Status")).toBeHidden();
    await expect(page.getByTestId("order-list").getByRole("listitem").first()).toBeInViewport();
    await page.getByRole("button", { name: "Find or filter orders" }).click();
  }
  // The search box's label on one line and its example shown whole, at every width.
  const search = page.getByLabel("Order number or product");
  const fit = await search.evaluate((input: HTMLInputElement) => {
    const style = getComputedStyle(input);
    const context = document.createElement("canvas").getContext("2d")!;
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const label = input.labels![0].getBoundingClientRect().height;
    return { example: context.measureText(input.placeholder).width, room: input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight), labelLines: label / parseFloat(getComputedStyle(input.labels![0]).lineHeight) };
  });
  expect(fit.example).toBeLessThanOrEqual(fit.room);
  expect(fit.labelLines).toBeLessThan(1.5);
  await page.getByLabel("Status").selectOption("CANCELLED");
  await page.getByRole("button", { name: "Show orders" }).click();
  await expect(page).toHaveURL(/status=CANCELLED/);
  const cancelled = page.getByTestId("order-list").getByRole("listitem");
  await expect(cancelled.first()).toContainText("Cancelled");
  expect(await cancelled.filter({ hasNotText: "Cancelled" }).count()).toBe(0);

  const [{ productName }] = await query<{ productName: string }>(
    `SELECT l."productName" FROM "OrderLine" l JOIN "Order" o ON o."id" = l."orderId" JOIN "User" u ON u."id" = o."userId" WHERE u."email" = $1 LIMIT 1`,
    [DEMO.ada.email],
  );
  await page.goto(`/orders?q=${encodeURIComponent(productName.split(" ")[0])}`);
  await expect(page.getByTestId("order-list")).toContainText(productName.split(" ")[0]);
  // An order number typed without its prefix, or in groups, finds the order (found by a customer walk).
  const [number] = await orderNumbersOf(DEMO.ada.email);
  for (const typed of [number.replace(/^WM-/, ""), number.replace(/^WM-(\d{3})/, "$1 ")]) {
    await page.goto(`/orders?q=${encodeURIComponent(typed)}`);
    await expect(page.getByTestId("order-list")).toContainText(number);
  }
  // A page past the last: the customer still has orders, and is led back to them (found by a customer walk).
  await page.goto("/orders?page=999");
  await expect(page.getByText("There is no page 999")).toBeVisible();
  await expect(page.getByText("You have not placed any orders yet.")).toBeHidden();
  await page.getByRole("link", { name: /Go to the (last|first) page/ }).click();
  await expect(page.getByTestId("order-list").getByRole("listitem").first()).toBeVisible();
  await page.goto("/orders?q=nothing-like-this-exists");
  await expect(page.getByText("No orders match these filters.")).toBeVisible();
  // Dates typed the wrong way round: read the right way round, and said so.
  await page.goto("/orders?from=2099-12-31&to=2020-01-01");
  await expect(page.getByRole("status")).toContainText("The dates were the wrong way round, so these are orders placed from 1 Jan 2020 until 31 Dec 2099.");
  await expect(page.getByTestId("order-list").getByRole("listitem").first()).toBeVisible();
});

test("a late order says so plainly and shows its tracking timeline", async ({ page }) => {
  await signInDirectly(page, DEMO.ada.email, DEMO.ada.password);
  const [late] = await query<{ number: string }>(
    `SELECT o."number" FROM "Order" o JOIN "User" u ON u."id" = o."userId" WHERE u."email" = $1 AND o."status" = 'SHIPPED' AND o."promisedDeliveryAt" < now() LIMIT 1`,
    [DEMO.ada.email],
  );
  await page.goto(`/orders/${late.number}`);
  await expect(page.getByTestId("delivery-promise")).toContainText("This order is late");
  await expect(page.getByTestId("tracking-timeline").getByRole("listitem").first()).toBeVisible();
  await expect(page.getByRole("link", { name: "Report a problem" })).toBeVisible();
});

test("a late order's help in place comes with the page, not after it", SAME_ON_EVERY_VIEWPORT, async ({ page }) => {
  const { email, number } = await customerWithOrder(page, "SHIPPED");
  await query(`UPDATE "Order" SET "promisedDeliveryAt" = now() - interval '2 days' WHERE "number" = $1`, [number]);
  // In the first HTML: it paints with the page instead of arriving a moment later above it (where
  // it pushed the order down and became the page's largest paint).
  const html = await (await page.request.get(`/orders/${number}`)).text();
  expect(html).toMatch(/data-testid="assist"><p>This order is late\./);
  await page.goto(`/orders/${number}`);
  const help = page.getByTestId("assist");
  await expect(help).toContainText("This order is late.");
  // Answered once the page runs: its ask names the attempt the page's own view completed.
  await expect(help.locator('input[name="journeyId"]')).not.toHaveValue("");
  await help.getByRole("button", { name: "No thanks" }).click();
  await expect(help).toBeHidden();
  // Shown, then dismissed: notes on that completed attempt, not a new one.
  await expect
    .poll(async () => (await trailOf(email, "order_tracking")).map((e) => `${e.step}:${e.kind}`), BACKGROUND)
    .toEqual(["detail:VIEWED", "detail:COMPLETED", "detail:INTERVENTION", "detail:INTERVENTION"]);
  expect(new Set((await trailOf(email, "order_tracking")).map((e) => e.journeyId)).size).toBe(1);
});

test("an order's heading and status come before its help in place, on a phone as on a desktop", async ({ page }) => {
  const { number } = await customerWithOrder(page, "SHIPPED");
  await query(`UPDATE "Order" SET "promisedDeliveryAt" = now() - interval '2 days' WHERE "number" = $1`, [number]);
  await page.goto(`/orders/${number}`);
  const heading = page.getByRole("heading", { level: 1, name: `Order ${number}` });
  const status = page.getByText("On its way", { exact: true });
  const help = page.getByTestId("assist");
  await expect(help).toContainText("This order is late.");
  // What the page is about first, then the offer of help: on the screen, and in the order a screen reader reads it.
  const top = async (of: typeof help) => (await of.boundingBox())!.y;
  expect(await top(heading)).toBeLessThan(await top(status));
  expect(await top(status)).toBeLessThan(await top(help));
  await expect(heading).toBeInViewport();
  const readingOrder = await page.evaluate(() => [...document.querySelectorAll("h1, [data-testid=assist]")].map((element) => element.tagName.toLowerCase()));
  expect(readingOrder).toEqual(["h1", "aside"]);
});

test("a customer cancels an order before it ships; the refund lands and the trail records the task", SAME_ON_EVERY_VIEWPORT, async ({ page }) => {
  const { email, number } = await customerWithOrder(page, "PROCESSING");
  await page.goto(`/orders/${number}`);
  await page.getByRole("link", { name: "Cancel items" }).click();
  await expect(page.getByRole("heading", { name: `Cancel items from order ${number}` })).toBeVisible();
  // Nothing is chosen for the customer: the red button alone cancels nothing, and the way back is beside it.
  await expect(page.getByRole("link", { name: "Keep my order" })).toHaveAttribute("href", `/orders/${number}`);
  await page.getByRole("button", { name: "Cancel these items" }).click();
  await expect(page.getByText("Choose at least one item to cancel.").first()).toBeVisible();
  await chooseEverythingToCancel(page);
  await page.getByRole("button", { name: "Cancel these items" }).click();
  await expect(page.getByText("Your order is cancelled.")).toBeVisible();
  await expect(page.getByText("Cancelled", { exact: true }).first()).toBeVisible();
  // Nothing was sent and everything goes back: there is nothing to invoice.
  await expect(page.getByRole("link", { name: "Invoice" })).toHaveCount(0);
  // What comes back is on the order at once, on its way or already back (Stripe's stand-in confirms it within moments).
  const [back] = await query<{ amountMinor: number; currency: string }>(
    `SELECT SUM(r."amountMinor")::int AS "amountMinor", MIN(o."currency") AS "currency" FROM "Refund" r JOIN "Order" o ON o."id" = r."orderId" WHERE o."number" = $1`,
    [number],
  );
  expect(back.amountMinor).toBeGreaterThan(0);
  await expect(page.getByText(new RegExp(`${formatMoney(back.amountMinor, back.currency).replace(/[.$]/g, "\\$&")} (being )?refunded`))).toBeVisible();

  // The refund goes to Stripe (the stand-in) from the outbox and lands once its webhook confirms it.
  const refunds = () => query<{ status: string }>(`SELECT r."status" FROM "Refund" r JOIN "Order" o ON o."id" = r."orderId" WHERE o."number" = $1`, [number]);
  await expect.poll(async () => (await refunds()).map((r) => r.status), BACKGROUND).toEqual(["SUCCEEDED"]);
  // The first submit, with nothing chosen, is the items step refused.
  await expect
    .poll(async () => (await trailOf(email, "order_cancellation")).map((e) => `${e.step}:${e.kind}:${e.source}`), BACKGROUND)
    .toEqual(["detail:VIEWED:BROWSER", "lines:VIEWED:BROWSER", "lines:ERROR:SERVER", "confirmation:VIEWED:SERVER", "confirmation:COMPLETED:SERVER"]);
});

test("after cancelling one item the invoice and the order bill the rest: the item credited, the totals net of it", async ({ page }) => {
  const { number } = await customerWithOrder(page, "PROCESSING");
  // A second line of two mugs at 10.00 with 4.00 tax, one of which is cancelled.
  await query(
    `INSERT INTO "OrderLine" ("id","orderId","variantId","productName","sku","category","quantity","unitPriceMinor","taxMinor")
     SELECT 'e2e_mug_' || $1, "orderId", "variantId", 'E2E Mug', 'E2E-MUG', "category", 2, 1000, 400 FROM "OrderLine" WHERE "orderId" = $1 LIMIT 1`,
    [`e2e_${number}`],
  );
  const [order] = await query<{ totalMinor: number; currency: string }>(
    `UPDATE "Order" SET "subtotalMinor" = "subtotalMinor" + 2000, "taxMinor" = "taxMinor" + 400, "totalMinor" = "totalMinor" + 2400, "paidMinor" = "paidMinor" + 2400 WHERE "number" = $1 RETURNING "totalMinor", "currency"`,
    [number],
  );
  const money = (minor: number) => formatMoney(minor, order.currency);
  await page.goto(`/orders/${number}/cancel`);
  await page.getByLabel(/E2E Mug/).selectOption("1");
  await page.getByRole("button", { name: "Cancel these items" }).click();
  await expect(page.getByText("That item is cancelled.")).toBeVisible();
  // The news is told once: the address forgets ?cancelled=, so a reload (or coming back) does not repeat it.
  await expect(page).toHaveURL(new RegExp(`/orders/${number}$`));
  await page.reload();
  await expect(page.getByRole("heading", { name: `Order ${number}` })).toBeVisible();
  await expect(page.getByText("That item is cancelled.")).toHaveCount(0);
  const billed = order.totalMinor - 1200;
  await expect(page.getByRole("row", { name: /Total/ })).toContainText(money(billed));
  await expect(page.getByText(`1 cancelled (${money(1200)} off the total)`)).toBeVisible();

  await page.getByRole("link", { name: "Invoice" }).click();
  await expect(page.getByRole("heading", { name: /^Invoice INV-/ })).toBeVisible();
  const mug = page.getByRole("row", { name: /E2E Mug/ });
  await expect(mug).toContainText(`1 cancelled, not billed (${money(1200)} off the total)`);
  await expect(mug.getByRole("cell").nth(1)).toHaveText("1");
  await expect(mug.getByRole("cell").last()).toHaveText(money(1200));
  await expect(page.getByRole("row", { name: /^Total/ })).toContainText(money(billed));
  // Under the total, in the order a customer adds them up: what they paid, then what went back to
  // their card once Stripe has sent it; paid less refunded is the total. No "Refunded" row under a
  // total already net of the mug, as if money came back on top of it.
  const rowsUnderTotal = () => page.locator("tfoot tr").evaluateAll((rows) => rows.map((row) => (row as HTMLElement).innerText.replace(/\s+/g, " ").trim()));
  await expect
    .poll(async () => {
      await page.reload();
      return rowsUnderTotal();
    }, BACKGROUND)
    .toEqual([
      expect.stringMatching(/^Subtotal /),
      expect.stringMatching(/^Shipping /),
      expect.stringMatching(/^Tax /),
      `Total ${money(billed)}`,
      `Paid ${money(order.totalMinor)}`,
      `Refunded to your card −${money(1200)}`,
    ]);
});

// The page renders the refusal into the form's state; with the action bound in the client form, that
// render waited for ever (lib/http/form-state.ts, BoundFormAction).
test("a refused cancellation sent without JavaScript is answered with the page and its message, nothing cancelled", SAME_ON_EVERY_VIEWPORT, async ({ page, browser }) => {
  const { number } = await customerWithOrder(page, "PROCESSING");
  const noScript = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  try {
    const plain = await noScript.newPage();
    await plain.goto(`/orders/${number}/cancel`);
    // The select offers only what is left to cancel; a hand-made post asks for more.
    await plain.route(`**/orders/${number}/cancel`, (route) =>
      route.request().method() === "POST" ? route.continue({ postData: route.request().postData()!.replace(/(name="quantity"\r\n\r\n)\d+/g, "$1999") }) : route.continue(),
    );
    await plain.getByRole("button", { name: "Cancel these items" }).click();
    await expect(plain.getByText("You chose more of an item than is left to cancel.")).toBeVisible();
    const [order] = await query<{ status: string; cancelled: number }>(`SELECT o."status", SUM(l."cancelledQuantity")::int AS "cancelled" FROM "Order" o JOIN "OrderLine" l ON l."orderId" = o."id" WHERE o."number" = $1 GROUP BY o."status"`, [number]);
    expect(order).toEqual({ status: "PROCESSING", cancelled: 0 });
  } finally {
    await noScript.close();
  }
});

test("the order page confirming a cancellation offers no help, even to a customer whose refund is overdue", async ({ page }) => {
  const customer = await customerWithOrders([{ lines: [{ name: "Overdue Test Kettle", priceMinor: 4000 }] }, { lines: [{ name: "Calm Test Mug", priceMinor: 1500 }], status: "PROCESSING" }]);
  const [returned, open] = customer.orders;
  // A refund of 12 days ago still on its way: help about the customer, offered on every order page.
  await query(
    `INSERT INTO "Refund" ("id", "orderId", "amountMinor", "currency", "status", "reason", "idempotencyKey", "createdAt")
     SELECT $1, o."id", 4000, o."currency", 'PENDING', 'return', $1, now() - interval '12 days' FROM "Order" o WHERE o."number" = $2`,
    [`e2e_overdue_${returned.number}`, returned.number],
  );
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  await page.goto(`/orders/${open.number}`);
  await expect(page.getByTestId("assist")).toContainText("Your refund is taking longer than it should.");
  await page.getByRole("link", { name: "Cancel items" }).click();
  await chooseEverythingToCancel(page);
  await page.getByRole("button", { name: "Cancel these items" }).click();
  await expect(page.getByText("Your order is cancelled.")).toBeVisible();
  await expect(page.getByTestId("assist")).toHaveCount(0);
});

test("a shipped order cannot be cancelled: the portal explains why and offers the return path", SAME_ON_EVERY_VIEWPORT, async ({ page }) => {
  const { email, number } = await customerWithOrder(page, "SHIPPED");
  await page.goto(`/orders/${number}/cancel`);
  await expect(page.getByText("This order has already left our warehouse")).toBeVisible();
  // Opened at its address, the cancellation has its order chosen: it enters the funnel, refused at its second step.
  await expect
    .poll(async () => (await trailOf(email, "order_cancellation")).map((e) => `${e.step}:${e.kind}:${e.errorCode ?? "-"}`), BACKGROUND)
    .toEqual(["detail:VIEWED:-", "lines:ERROR:order_already_shipped"]);
});

test("a customer who wants order news by text, not email, sends an order that has not shipped to a new address, and is told by text", async ({ page }) => {
  const { email, userId, number } = await customerWithOrder(page, "PROCESSING");
  // Their phone number first (texts need one), then order updates by text message only.
  const phone = "+447700900461";
  await page.goto("/account/profile");
  await page.getByLabel("Phone number (optional)").fill(phone);
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByTestId("form-message")).toHaveText("Your profile is saved.");
  await page.goto("/account/preferences");
  const orderUpdates = page.getByRole("group", { name: "Updates about my orders and returns" });
  await orderUpdates.getByLabel("By text message").check();
  await orderUpdates.getByLabel("By email").uncheck();
  await page.getByRole("button", { name: "Save preferences" }).click();
  await expect(page.getByTestId("form-message")).toHaveText("Your preferences are saved.");

  await page.goto(`/orders/${number}`);
  await page.getByRole("link", { name: "Change delivery address" }).click();
  await page.getByLabel("A new address").check();
  await page.getByLabel("Country").selectOption("GB");
  await page.getByLabel("Full name").fill("Olive Orders");
  await page.getByLabel("Address line 1").fill("12 Harbour Street");
  await page.getByLabel("Town or city").fill("Bristol");
  await page.getByLabel(/Postcode/).fill("not a postcode");
  await page.getByRole("button", { name: "Deliver here" }).click();
  await expect(page.getByText(/This is not a .* postcode/)).toBeVisible();
  await page.getByLabel(/Postcode/).fill("bs1 4xx");
  await page.getByRole("button", { name: "Deliver here" }).click();
  await expect(page.getByText("The new delivery address is saved.")).toBeVisible();
  await expect(page.getByText("12 Harbour Street")).toBeVisible();
  // A UK postcode comes after the town, on its own line.
  await expect(page.getByRole("region", { name: "Delivery address" }).locator("address")).toContainText("BristolBS1 4XX");
  // The first submit, with a postcode that is not one, is the address step refused.
  await expect
    .poll(async () => (await trailOf(email, "delivery_address_change")).map((e) => `${e.step}:${e.kind}`), BACKGROUND)
    .toEqual(["detail:VIEWED", "address:VIEWED", "address:ERROR", "confirmation:VIEWED", "confirmation:COMPLETED"]);
  await expectTrailAgreement(page, userId, [completed("delivery_address_change")], { only: ["delivery_address_change"] });
  // Told once, as they chose: a text and the message centre, no email.
  const told = await expectMessagedOnce(page, { userId, email, phone }, { delivery_address_changed: ["sms"] });
  expect(told.delivery_address_changed.text?.body).toContain(`Order ${number} will now be delivered to 12 Harbour Street, Bristol, BS1 4XX.`);
});

test("a damaged item is refunded on the spot through the problem report", async ({ page }) => {
  const { email, userId, number } = await customerWithOrder(page, "DELIVERED");
  await page.goto(`/orders/${number}`);
  await page.getByRole("link", { name: "Report a problem" }).click();
  await page.getByLabel("Something arrived damaged").check();
  await page.getByRole("checkbox").first().check();
  await page.getByRole("button", { name: "See what we can do" }).click();
  // The answer comes back below the form: the view and the keyboard start at it (on a phone the
  // page came back at its top, the answer out of view, and the tap seemed to do nothing).
  const answer = page.getByRole("heading", { name: "What we can do" });
  await expect(answer).toBeFocused();
  await expect(answer).toBeInViewport();
  await page.getByRole("radio", { name: /Refund/ }).check();
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByText("Your refund is on its way to your card.")).toBeVisible();
  await expect
    .poll(async () => (await trailOf(email, "problem_report")).map((e) => `${e.step}:${e.kind}`), BACKGROUND)
    // The problem step is shown again with the options, so it appears twice, as it happened.
    .toEqual(["detail:VIEWED", "problem:VIEWED", "resolution:VIEWED", "resolution:COMPLETED"]);
  await expectTrailAgreement(page, userId, [completed("problem_report")], { only: ["problem_report"] });
  // Told once that it is put right, and once more when Stripe has sent the refund.
  await expectMessagedOnce(page, { userId, email }, { problem_resolved: ["email"], refund_issued: ["email"] });
});

test("an order and its invoice write a US address as it is written there, state and ZIP code after the town", SAME_ON_EVERY_VIEWPORT, async ({ page }) => {
  const customer = await customerWithOrders([{ lines: [{ name: "Atlas Test Mug", category: "home", priceMinor: 1800 }] }]);
  const [order] = customer.orders;
  const austin = { fullName: "Sam Tate", line1: "1993 Cedar Lane", line2: null, city: "Austin", region: "TX", postalCode: "78701", country: "US" };
  await query(`UPDATE "Order" SET "shippingAddress" = $1 WHERE "id" = $2`, [JSON.stringify(austin), order.id]);
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  await page.goto(`/orders/${order.number}`);
  // It read "78701 Austin, TX"; the invoice left the state out ("78701 Austin, United States").
  await expect(page.getByRole("region", { name: "Delivery address" }).locator("address")).toHaveText(["Sam Tate", "1993 Cedar Lane", "Austin, TX 78701", "United States"].join(""));
  await page.goto(`/orders/${order.number}/invoice`);
  await expect(page.getByText("Austin, TX 78701")).toBeVisible();
});

test("the invoice is a print-ready page of the customer's own order only", async ({ page }) => {
  const [adasOrder] = await orderNumbersOf(DEMO.ada.email);
  const gracesOrders = await orderNumbersOf(DEMO.grace.email);
  await signInDirectly(page, DEMO.grace.email, DEMO.grace.password);
  const own = gracesOrders.find(Boolean)!;
  await page.goto(`/orders/${own}/invoice`);
  await expect(page.getByRole("heading", { name: /^Invoice INV-/ })).toBeVisible();
  await expect(page.getByRole("button", { name: "Print or save as PDF" })).toBeVisible();
  for (const path of [`/orders/${adasOrder}/invoice`, `/orders/${adasOrder}/cancel`, `/orders/${adasOrder}/problem`]) {
    expect((await page.goto(path))?.status(), path).toBe(404);
  }
});


test("a customer asks for a person; the agent sees the trail, grants goodwill, resolves; the customer sees the outcome", SAME_ON_EVERY_VIEWPORT, async ({ page, browser }) => {
  const { email, userId, number } = await customerWithOrder(page, "DELIVERED");
  await page.goto(`/orders/${number}/problem`);
  const caseNumber = await talkToPerson(page);

  const agent = await agentOn(browser, "/agent");
  await expect(agent.getByTestId("case-queue").getByRole("link", { name: caseNumber })).toBeVisible();
  await agent.getByRole("link", { name: caseNumber }).click();
  // The risk score is the sum of the parts listed under it (with the learned model, an average customer's chance first).
  const score = Number((await agent.getByRole("heading", { name: /^Experience risk: \d+$/ }).textContent())!.replace("Experience risk: ", ""));
  const parts = await agent.getByTestId("risk-parts").getByRole("listitem").allTextContents();
  expect(parts.reduce((sum, part) => sum + Number(part.replace(/^.* ([+−])(\d+)$/, "$1$2").replace("−", "-")), 0), parts.join("; ")).toBe(score);
  if (score > 0) await expect(agent.getByText(`Together: ${score}.`)).toBeVisible();
  // The trail reads in words: the task, its steps, what happened and how it ended, no codes.
  await expect(agent.getByText("Report a problem — last step “Saying what went wrong”, exited to talk to a person on")).toBeVisible();
  await expect(agent.getByTestId("case-trail")).toContainText("Saying what went wrong: left for another channel → talk to a person");
  await expect(agent.getByTestId("case-trail")).not.toContainText(/\b(problem|detail) (viewed|exited)\b|_/);
  await agent.getByRole("button", { name: "Take this case" }).click();
  await agent.getByLabel("As", { exact: true }).selectOption("STORE_CREDIT");
  // More credit than the order's total is a manager's decision: refused, with what the agent wrote kept.
  const [{ totalMinor }] = await query<{ totalMinor: number }>(`SELECT "totalMinor" FROM "Order" WHERE "number" = $1`, [number]);
  const justification = "Customer waited long for a reply; goodwill for the trouble.";
  await agent.getByLabel("Amount").fill(((totalMinor + 1) / 100).toFixed(2));
  await agent.getByLabel("Justification").fill(justification);
  await agent.getByRole("button", { name: "Grant" }).click();
  await expect(agent.getByText(/Goodwill for this order can be at most .*More needs a manager/)).toBeVisible();
  await expect(agent.getByLabel("Justification")).toHaveValue(justification);
  await agent.getByLabel("Amount").fill("7.50");
  await agent.getByRole("button", { name: "Grant" }).click();
  await expect(agent.getByTestId("outcome-notice")).toHaveText(new RegExp(`^Store credit of .* granted against order ${number} and recorded as an override\\.`));
  // Granted: the form starts afresh, so the same grant is not one tap away.
  await expect(agent.getByLabel("Amount")).toHaveValue("");
  await agent.getByLabel("What was done for the customer").fill("We added store credit for the trouble and checked your parcel.");
  await agent.getByRole("button", { name: "Resolve and tell the customer" }).click();
  await expect(agent.getByText("Outcome: We added store credit for the trouble and checked your parcel.")).toBeVisible();
  await agent.context().close();

  await page.goto("/cases");
  await expect(page.getByTestId("cases")).toContainText(caseNumber);
  // What it was about, in words (the case's reason is a code).
  await expect(page.getByTestId("cases")).toContainText("Asked for a person during “Report a problem”");
  await expect(page.getByTestId("cases")).toContainText("We added store credit for the trouble");
  const [override] = await query<{ rule: string }>(`SELECT "rule" FROM "PolicyOverride" p JOIN "Order" o ON o."id" = p."orderId" WHERE o."number" = $1`, [number]);
  expect(override.rule).toBe("goodwill_credit");
  // The goodwill credit and the resolution are two things the agent did: one message each.
  const told = await expectMessagedOnce(page, { userId, email }, { store_credit_granted: ["email"], case_resolved: ["email"] });
  expect(told.case_resolved.subject).toBe(`Your case ${caseNumber} is resolved`);
  expect((await trailOf(email, "problem_report")).map((e) => `${e.step}:${e.kind}:${e.channel ?? "-"}`)).toContain("problem:EXITED:PERSON");
});

test("a case about an order names it, and the agent's forms start on it, also an order older than the ten the case lists", SAME_ON_EVERY_VIEWPORT, async ({ page, browser }) => {
  // The oldest of eleven delivered orders: the case lists the customer's ten latest.
  const customer = await customerWithOrders(Array.from({ length: 11 }, (_, i) => ({ lines: [{ name: `Again Test Jug ${i}`, priceMinor: 2000 + i }], deliveredDaysAgo: 60 - i })));
  const oldest = customer.orders[0].number;
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  await page.goto(`/orders/${oldest}/buy-again`);
  await page.getByRole("button", { name: "Ask us to order these again" }).click();
  const caseNumber = (await page.getByTestId("form-message").textContent())!.match(/CS-[0-9A-F]{8}/)![0];

  const agent = await agentOn(browser, `/agent/cases/${caseNumber}`);
  // It said only 'Order the same items again', and each form started on the customer's latest order.
  await expect(agent.getByTestId("case-subject")).toHaveText(`About order ${oldest}`);
  await expect(agent.locator("#goodwill-order")).toHaveValue(oldest);
  await expect(agent.locator("#override-order")).toHaveValue(oldest);
  // Asked for on the order's page, outside any task: it said the case did not start in the portal.
  await expect(agent.getByText("This case was opened in the portal, not during a task, so there are no steps to show.")).toBeVisible();
  await agent.context().close();
});

test("a tab left open on a case another agent resolved does nothing, and says so", SAME_ON_EVERY_VIEWPORT, async ({ page, browser }) => {
  const { email, number } = await customerWithOrder(page, "DELIVERED");
  await page.goto(`/orders/${number}/problem`);
  const caseNumber = await talkToPerson(page);

  const stale = await agentOn(browser, `/agent/cases/${caseNumber}`);
  const other = await stale.context().newPage();
  await other.goto(`/agent/cases/${caseNumber}`);
  await other.getByLabel("What was done for the customer").fill("Checked the parcel with the carrier; it is on its way.");
  await other.getByRole("button", { name: "Resolve and tell the customer" }).click();
  await expect(other.getByText("Outcome: Checked the parcel with the carrier")).toBeVisible();

  // The credit was granted after the case was resolved, and the page reloaded resolved without a word.
  await stale.getByLabel("Amount").fill("5.00");
  await stale.getByLabel("Justification").fill("Goodwill for the wait, sent from a tab left open.");
  await stale.getByRole("button", { name: "Grant" }).click();
  await expect(stale.getByTestId("form-message")).toHaveText("This case was closed before you acted, so nothing was done. To do more for the customer, log their contact to open a new case.");
  expect(await query(`SELECT 1 FROM "StoreCreditEntry" e JOIN "User" u ON u."id" = e."userId" WHERE u."email" = $1`, [email])).toHaveLength(0);
  await stale.context().close();
});

test("an order cancelled in full takes no goodwill, and the agent is told there is nothing to grant against", SAME_ON_EVERY_VIEWPORT, async ({ page, browser }) => {
  const { email, number } = await customerWithOrder(page, "PROCESSING");
  await page.goto(`/orders/${number}/cancel`);
  const caseNumber = await talkToPerson(page);
  const agent = await agentOn(browser, `/agent/cases/${caseNumber}`);
  await agent.getByRole("button", { name: "Cancel the whole order" }).click();
  // Nothing is left to cancel: the form goes.
  await expect(agent.getByRole("button", { name: "Cancel the whole order" })).toHaveCount(0);

  // Store credit up to the order's total as placed was granted against an order that bills nothing.
  await expect(agent.locator("#goodwill-order")).toHaveValue(number);
  await agent.getByLabel("Amount").fill("5.00");
  await agent.getByLabel("Justification").fill("Goodwill for the wait before the order was cancelled.");
  await agent.getByRole("button", { name: "Grant" }).click();
  await expect(agent.getByTestId("form-message")).toHaveText(`Order ${number} was cancelled in full, so there is nothing to grant against it. Nothing was granted.`);
  expect(await query(`SELECT 1 FROM "StoreCreditEntry" e JOIN "User" u ON u."id" = e."userId" WHERE u."email" = $1`, [email])).toHaveLength(0);
  await agent.context().close();
});

test("an order the customer cancelled while the agent read the case is not cancelled twice, and the agent reads why in words", async ({ page, browser }) => {
  const { number } = await customerWithOrder(page, "PROCESSING");
  await page.goto(`/orders/${number}/cancel`);
  const caseNumber = await talkToPerson(page);
  const agent = await agentOn(browser, `/agent/cases/${caseNumber}`);
  await expect(agent.getByRole("button", { name: "Cancel the whole order" })).toBeVisible();

  // Meanwhile the customer cancels it themselves.
  await page.goto(`/orders/${number}/cancel`);
  await chooseEverythingToCancel(page);
  await page.getByRole("button", { name: "Cancel these items" }).click();
  await expect(page.getByText("Your order is cancelled.")).toBeVisible();

  await agent.getByRole("button", { name: "Cancel the whole order" }).click();
  // It read 'The order could not be cancelled (order already cancelled).': the code, its underscores replaced.
  await expect(agent.getByTestId("form-message")).toHaveText("This order is already cancelled (the customer or another agent got there first), so nothing more was cancelled. Reload the case to see what was refunded.");
  await agent.context().close();
});

test("a case says which agent has it: a take that lost to another agent's shows theirs, not a page that seems to ignore the tap", SAME_ON_EVERY_VIEWPORT, async ({ page, browser }) => {
  const { number } = await customerWithOrder(page, "DELIVERED");
  await page.goto(`/orders/${number}/problem`);
  const caseNumber = await talkToPerson(page);
  const agent = await agentOn(browser, `/agent/cases/${caseNumber}`);
  // Another agent takes it while this one reads it.
  const [other] = await query<{ id: string }>(
    `INSERT INTO "User" ("id", "email", "name", "role", "analyticsId", "updatedAt") VALUES ($1::text, $1::text || '@waymark.test', 'Bea Backup', 'AGENT', gen_random_uuid(), now()) RETURNING "id"`,
    [`e2e_agent_${caseNumber}`],
  );
  await query(`UPDATE "Case" SET "status" = 'IN_PROGRESS', "assignedToId" = $1 WHERE "number" = $2`, [other.id, caseNumber]);
  await agent.getByRole("button", { name: "Take this case" }).click();
  // It read 'In progress', whoever had it.
  await expect(agent.getByTestId("case-agent")).toHaveText("with Bea Backup");
  await expect(agent.getByRole("button", { name: "Take this case" })).toHaveCount(0);

  await page.goto(`/orders/${number}`);

  const own = await talkToPerson(page);
  await agent.goto(`/agent/cases/${own}`);
  await agent.getByRole("button", { name: "Take this case" }).click();
  await expect(agent.getByTestId("case-agent")).toHaveText("with you");
  await agent.context().close();
});

test("an agent's take, goodwill grant and resolution, done with the keyboard, each leave it on the words saying what happened", SAME_ON_EVERY_VIEWPORT, async ({ page, browser }) => {
  const { number } = await customerWithOrder(page, "DELIVERED");
  await page.goto(`/orders/${number}/problem`);
  const caseNumber = await talkToPerson(page);
  const agent = await agentOn(browser, `/agent/cases/${caseNumber}`);
  // Focus fell to the page after each: the next Tab started at the top, and nothing was read out.
  await agent.getByRole("button", { name: "Take this case" }).focus();
  await agent.keyboard.press("Enter");
  await expect(agent.getByTestId("outcome-notice")).toHaveText("You have taken this case.");
  await expect(agent.getByTestId("outcome-notice")).toBeFocused();
  // Said once, beside its status (the notice said 'it is with you now' too); the channel as the agent's forms name it ('via portal').
  await expect(agent.getByText(/\bwith you\b/)).toHaveCount(1);
  await expect(agent.getByTestId("case-agent")).toHaveText("with you");
  await expect(agent.getByText(/^Portal · opened /)).toBeVisible();

  await agent.getByLabel("Amount").focus();
  await agent.keyboard.type("4.00");
  await agent.keyboard.press("Tab");
  await agent.keyboard.type("Goodwill for the wait, granted with the keyboard.");
  await agent.keyboard.press("Enter");
  // Said inside its form, where cancelling, setting a rule aside and waiving a fee say it at the top, with its figure.
  const [{ currency }] = await query<{ currency: string }>(`SELECT "currency" FROM "Order" WHERE "number" = $1`, [number]);
  await expect(agent.getByTestId("outcome-notice")).toHaveText(`Store credit of ${formatMoney(400, currency)} granted against order ${number} and recorded as an override. The customer has been told.`);
  await expect(agent.getByTestId("outcome-notice")).toBeFocused();

  await agent.getByLabel("What was done for the customer").focus();
  await agent.keyboard.type("We added store credit for the wait.");
  await agent.keyboard.press("Enter");
  // The form goes as the case is resolved: its confirmation was never shown.
  await expect(agent.getByTestId("outcome-notice")).toHaveText("Case resolved. The customer has been told by their preferred channel.");
  await expect(agent.getByTestId("outcome-notice")).toBeFocused();
  await expect(agent.getByTestId("case-outcome")).toHaveText("Outcome: We added store credit for the wait.");
  await agent.context().close();
});

test("an agent finds a case by the number the customer reads out, also one resolved and gone from the queue", SAME_ON_EVERY_VIEWPORT, async ({ page, browser }) => {
  const { number } = await customerWithOrder(page, "DELIVERED");
  await page.goto(`/orders/${number}/problem`);
  const caseNumber = await talkToPerson(page);
  await query(`UPDATE "Case" SET "status" = 'RESOLVED', "outcome" = 'Told the customer where the parcel is.', "closedAt" = now() WHERE "number" = $1`, [caseNumber]);
  const agent = await agentOn(browser, "/agent");
  // The queue lists open cases only; there was no other way to a closed one but typing its address.
  await agent.getByLabel("Find a case").fill(`cs ${caseNumber.slice(3).toLowerCase()}`);
  await agent.getByRole("button", { name: "Open the case" }).click();
  await expect(agent.getByRole("heading", { level: 1 })).toHaveText(`Case ${caseNumber}`);
  await expect(agent.getByText("Outcome: Told the customer where the parcel is.")).toBeVisible();

  await agent.goto("/agent");
  await agent.getByLabel("Find a case").fill("CS-00000000");
  await agent.getByRole("button", { name: "Open the case" }).click();
  await expect(agent.getByRole("status").filter({ hasText: "No case has the number" })).toHaveText("No case has the number “CS-00000000”.");
  await expect(agent.getByLabel("Find a case")).toHaveValue("CS-00000000");
  await agent.context().close();
});

test("'Call me back' with no number on file asks for one with the keyboard on it; once booked, the task's help says what was promised instead of offering it again", async ({ page }) => {
  const { email, number } = await customerWithOrder(page, "DELIVERED");
  /** The task's help in a tab, once the same refusal twice has brought it (its answer names the tab's attempt). */
  const helpIn = async (tab: Page, refusals: number) => {
    await tab.goto(`/orders/${number}/cancel`);
    await expect.poll(async () => (await trailOf(email, "order_cancellation")).filter((e) => e.kind === "ERROR").length, BACKGROUND).toBe(refusals);
    await tab.reload();
    const help = tab.getByTestId("assist");
    await expect(help.locator('input[name="journeyId"]')).not.toHaveValue("");
    await expect(help.getByRole("button", { name: "Call me back" })).toBeVisible();
    return help;
  };
  const help = await helpIn(page, 1);
  // A second tab on the same task, opened before the call is booked: another attempt, the same offer.
  const otherTab = await page.context().newPage();
  const otherHelp = await helpIn(otherTab, 3);
  await help.getByRole("button", { name: "Call me back" }).click();
  // Keyboard and screen-reader users land on the question's field, and hear the question with it.
  const phone = help.getByLabel("Phone number to call");
  await expect(phone).toBeFocused();
  await expect(phone).toHaveAccessibleDescription("What number should we call you on? Enter it and press Call me back.");
  // Typed as the customer says it at home: with no saved address, the country is the one their order went to.
  await page.keyboard.type("07700 900123");
  await help.getByRole("button", { name: "Call me back" }).click();
  const promise = /We will call you on \+44 7700 900123 within the hour \(case CS-[0-9A-F]{8}\)\./;
  await expect(help.getByRole("status")).toHaveText(promise);

  // Back on the task: the promise, and nothing that would book a second call.
  const asked = page.waitForResponse((response) => response.url().includes("/api/assist"));
  await page.reload();
  await expect(help).toContainText(promise);
  await asked;
  await expect(help).toContainText(promise);
  await expect(help.getByRole("button", { name: "Call me back" })).toHaveCount(0);
  // The other tab still shows the offer; taking it is told the call already booked, not a second one.
  const booked = (await help.getByText(promise).textContent())!.match(/CS-[0-9A-F]{8}/)![0];
  await otherHelp.getByRole("button", { name: "Call me back" }).click();
  await expect(otherHelp.getByRole("status")).toHaveText(`We will call you on +44 7700 900123 within the hour (case ${booked}).`);
  expect(await query(`SELECT 1 FROM "Case" c JOIN "User" u ON u."id" = c."userId" WHERE u."email" = $1`, [email])).toHaveLength(1);
});

test("help that came with the page can be answered before the page asks again", SAME_ON_EVERY_VIEWPORT, async ({ page }) => {
  const { email, number } = await customerWithOrder(page, "SHIPPED");
  await query(`UPDATE "Order" SET "promisedDeliveryAt" = now() - interval '2 days' WHERE "number" = $1`, [number]);
  // The page's own ask comes a second and a half after it loads: here its clock stands still until
  // the customer has answered, as a quick tap does (it was refused for want of an attempt).
  await page.clock.install();
  await page.goto(`/orders/${number}`);
  await page.clock.runFor(200);
  const help = page.getByTestId("assist");
  await help.getByRole("button", { name: "No thanks" }).click();
  await expect(help).toBeHidden();
  await page.clock.runFor(5_000);
  await expect
    .poll(async () => (await query<{ outcome: string }>(`SELECT t."properties"->>'outcome' AS "outcome" FROM "TrailEvent" t JOIN "Journey" j ON j."id" = t."journeyId" JOIN "User" u ON u."id" = j."userId" WHERE u."email" = $1 AND t."kind" = 'INTERVENTION'`, [email])).map((e) => e.outcome), BACKGROUND)
    .toContain("dismissed");
});

test("help in place that cannot take an answer says so, with the keyboard on what to do instead", async ({ page }) => {
  const { email, number } = await customerWithOrder(page, "DELIVERED");
  await page.goto(`/orders/${number}/cancel`);
  await expect.poll(async () => (await trailOf(email, "order_cancellation")).map((e) => e.kind), BACKGROUND).toEqual(["VIEWED", "ERROR"]);
  await page.reload();
  const help = page.getByTestId("assist");
  await expect(help.locator('input[name="journeyId"]')).not.toHaveValue("");
  // An answer the server cannot read (here, its attempt garbled on the way).
  await page.route(`**/orders/${number}/cancel`, (route) =>
    route.request().method() === "POST" ? route.continue({ postData: route.request().postData()!.replace(/(name="(?:_\d+_)?journeyId"\r\n\r\n)[^\r]+/, "$1garbled") }) : route.continue(),
  );
  await help.getByRole("button", { name: "Chat with a person" }).click();
  // It said nothing: the buttons came back as if the tap had not happened.
  await expect(help.getByRole("alert")).toHaveText("That did not work; open “Need a hand?” below to reach a person.");
  await expect(help.getByRole("alert")).toBeFocused();
});

test("a customer refused twice is offered help in place that gets the task done in the portal", async ({ page }) => {
  const { email, number } = await customerWithOrder(page, "DELIVERED");
  // Trying to cancel a delivered order is refused; the second refusal brings help.
  await page.goto(`/orders/${number}/cancel`);
  await expect(page.getByText("This order has been delivered, so it can no longer be cancelled.")).toBeVisible();
  // The refusal is recorded once the page is hydrated; reloading sooner would make it one refusal.
  await expect.poll(async () => (await trailOf(email, "order_cancellation")).map((e) => e.kind), BACKGROUND).toEqual(["VIEWED", "ERROR"]);
  await page.reload();
  const help = page.getByTestId("assist");
  // Help in place says what the cancel page says: the order was delivered.
  await expect(help).toContainText("This order has been delivered, so it can no longer be cancelled.");
  await expect(help).not.toContainText("left our warehouse");
  await help.getByRole("link", { name: "Report a problem with it instead" }).click();
  await page.getByLabel("Something arrived damaged").check();
  await page.getByRole("checkbox").first().check();
  await page.getByRole("button", { name: "See what we can do" }).click();
  await page.getByRole("radio", { name: /Refund/ }).check();
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByText("Your refund is on its way to your card.")).toBeVisible();

  const cancellation = await trailOf(email, "order_cancellation");
  expect(cancellation.map((e) => `${e.kind}:${e.errorCode ?? "-"}`)).toEqual(["VIEWED:-", "ERROR:order_already_shipped", "ERROR:order_already_shipped", "INTERVENTION:-"]);
  const [shown] = await query<{ properties: { intervention: string; outcome: string } }>(`SELECT "properties" FROM "TrailEvent" WHERE "id" = $1`, [cancellation[3].id]);
  expect(shown.properties).toMatchObject({ intervention: "same_error_twice", outcome: "shown" });
  expect((await trailOf(email, "problem_report")).at(-1)).toMatchObject({ step: "resolution", kind: "COMPLETED" });
});

test("a cancellation and a problem put right each leave the keyboard on what was done, read out, not at the top of the page", async ({ page }) => {
  const customer = await customerWithOrders([
    { status: "PROCESSING", lines: [{ name: "Focus Cancel Lamp", category: "home", priceMinor: 3000 }] },
    { lines: [{ name: "Focus Problem Shirt", priceMinor: 3000 }] },
  ]);
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  const [open, delivered] = customer.orders;

  await page.goto(`/orders/${open.number}/cancel`);
  await chooseEverythingToCancel(page);
  await page.getByRole("button", { name: "Cancel these items" }).click();
  await expect(page.getByTestId("outcome-notice")).toHaveText(/^Your order is cancelled\./);
  await expect(page.getByTestId("outcome-notice")).toBeFocused();

  await page.goto(`/orders/${delivered.number}/problem`);
  await page.getByLabel("Something arrived damaged").check();
  await page.getByRole("checkbox", { name: /Focus Problem Shirt/ }).check();
  await page.getByRole("button", { name: "See what we can do" }).click();
  await expect(page.getByRole("heading", { name: "What we can do" })).toBeFocused();
  await page.getByRole("radio", { name: /Refund/ }).check();
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByTestId("outcome-notice")).toHaveText(/^Your refund is on its way to your card\./);
  await expect(page.getByTestId("outcome-notice")).toBeFocused();
});

test("a replacement sent for a problem is named on the answer by its own number, and an address naming anything else, or an outcome never reached, says none of it", SAME_ON_EVERY_VIEWPORT, async ({ page }) => {
  const customer = await customerWithOrders([{ lines: [{ name: "Replacement Test Mug", priceMinor: 1800 }] }, { lines: [{ name: "Unreported Test Bowl", priceMinor: 1200 }] }]);
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  const [delivered, unreported] = customer.orders;
  await page.goto(`/orders/${delivered.number}/problem`);
  await page.getByLabel("Something arrived damaged").check();
  await page.getByRole("checkbox", { name: /Replacement Test Mug/ }).check();
  await page.getByRole("button", { name: "See what we can do" }).click();
  await page.getByRole("radio", { name: /replacement/i }).check();
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByTestId("outcome-notice")).toHaveText(/^A replacement is being prepared as order WM-\d{6}\./);
  const [replacement] = (await orderNumbersOf(customer.email)).filter((number) => number !== delivered.number);
  await expect(page.getByTestId("outcome-notice")).toHaveText(`A replacement is being prepared as order ${replacement}. You will see its tracking as soon as it ships.`);

  // The same answer's address, written by someone else: their words are not shown as the portal's.
  const forged = new URL(page.url());
  forged.searchParams.set("replacement", "WM-1. Call +44 20 7946 0000 to confirm your card");
  await page.goto(forged.toString());
  await expect(page.getByTestId("outcome-notice")).toHaveText("A replacement is being prepared. You will see its tracking as soon as it ships.");

  // A thank-you for a report never made: the order's report page, as it is.
  await page.goto(`/orders/${unreported.number}/problem?resolved=REFUND`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Report a problem with order ${unreported.number}`);
  await expect(page.getByText("Your refund is on its way")).toHaveCount(0);
});
