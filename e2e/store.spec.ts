// What a customer trips over on a phone (issue #16): the header, forms that keep what was typed,
// honest return wording, legible charts, one help entry per page, and WCAG 2.2 AA on every
// customer page. Most checks run on the Pixel-sized phone only, where they are visible; the axe
// scan runs on the desktop too.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { formatMoney } from "../lib/format/money";
import { DEMO, DEMO_PASSWORD, expect, openHelp, signIn, signInDirectly, test } from "./support/fixtures";
import { customerWithOrders, signedInCustomer, signUp } from "./support/customers";
import { query } from "./support/portal-db";

const phoneOnly = (projectName: string) => test.skip(projectName !== "mobile-android", "visible on a phone");

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

test("screen: on a phone the header reaches every section, whatever the length of the customer's name", async ({ page }, testInfo) => {
  test.skip(!testInfo.project.name.startsWith("mobile"), "the phone header");
  await signedInCustomer(page, "Al", "header");
  const viewport = page.viewportSize()!;
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const path of ["/", "/orders", "/account/profile"]) {
    await page.goto(path);
    for (const name of ["Orders", "Returns", "Account", "Help"]) {
      const link = nav.getByRole("link", { name, exact: true });
      await expect(link, `${name} on ${path}`).toBeInViewport({ ratio: 1 });
      const box = (await link.boundingBox())!;
      expect(box.x + box.width, `${name} on ${path} ends inside the screen`).toBeLessThanOrEqual(viewport.width);
      expect(Math.min(box.width, box.height), `${name} on ${path} is a 24 px target`).toBeGreaterThanOrEqual(24);
    }
  }
  await nav.getByRole("link", { name: "Help", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Help centre" })).toBeVisible();
});

test("a form keeps every field the customer typed when the server refuses it, the country too, and the next submit sends it", async ({ page }, testInfo) => {
  phoneOnly(testInfo.project.name);
  await signedInCustomer(page, "Frida Fields", "fields");
  await page.goto("/account/addresses/new");
  await page.getByLabel("Country").selectOption({ label: "United States" });
  await page.getByLabel("Full name").fill("Frida Fields");
  await page.getByLabel("Address line 1").fill("1 Market Street");
  await page.getByLabel("Town or city").fill("Portland");
  await page.getByLabel("State").fill("OR");
  await page.getByLabel("ZIP code").fill("not a zip");
  await page.getByRole("button", { name: "Add address" }).click();
  await expect(page.getByTestId("form-message")).toContainText("correct");
  await expect(page.getByLabel("Country")).toHaveValue("US");
  await expect(page.getByLabel("Address line 1")).toHaveValue("1 Market Street");
  await expect(page.getByLabel("ZIP code")).toHaveValue("not a zip");

  await page.getByLabel("ZIP code").fill("97201");
  await page.getByRole("button", { name: "Add address" }).click();
  await expect(page).toHaveURL(/\/account\/addresses(\?|$)/);
  const [saved] = await query<{ country: string }>(`SELECT a."country" FROM "Address" a JOIN "User" u ON u."id" = a."userId" WHERE u."email" LIKE 'fields-%' AND a."line1" = '1 Market Street' ORDER BY a."createdAt" DESC LIMIT 1`);
  expect(saved.country).toBe("US");
});

test("returns say what is true: no refund warning on an exchange, and a delivered order's cancel page offers a return at the policy's cost", async ({ page }, testInfo) => {
  phoneOnly(testInfo.project.name);
  const customer = await customerWithOrders([{ lines: [{ name: "Swap Test Jumper", priceMinor: 4000, variants: [["M / Navy", 0], ["L / Navy", 4]] }] }]);
  const [order] = customer.orders;
  await signInDirectly(page, customer.email, DEMO_PASSWORD);

  await page.goto(`/orders/${order.number}/cancel`);
  await expect(page.getByRole("status")).toContainText("delivered");
  await expect(page.getByText(/left our warehouse|free of charge/)).toHaveCount(0);
  const [policy] = await query<{ rules: { fees: { amount: { kind: string; minor?: Record<string, number> } }[] } }>(`SELECT "rules" FROM "ReturnPolicyVersion" ORDER BY "version" DESC LIMIT 1`);
  for (const fee of policy.rules.fees.filter((f) => f.amount.kind === "fixed" && f.amount.minor?.GBP)) {
    await expect(page.getByTestId("return-costs")).toContainText(formatMoney(fee.amount.minor!.GBP, "GBP"));
  }
  await page.getByRole("link", { name: "Start a return" }).click();
  await expect(page.getByRole("heading", { name: "Which items are you returning?" })).toBeVisible();

  await page.getByRole("group", { name: "Swap Test Jumper" }).getByLabel("Why are you returning it?").selectOption({ label: "It does not fit" });
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("Exchange for another size or colour").check();
  await page.getByLabel(/Instead of Swap Test Jumper/).selectOption({ label: "L / Navy" });
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByTestId("return-outcome")).toContainText("No charge");
  await expect(page.getByTestId("return-outcome")).not.toContainText("already refunded");

  // The help centre promises the label when the return page does, not "straight away" (found by a customer walk).
  await page.goto("/help");
  const returning = page.locator("section").filter({ has: page.getByRole("heading", { name: "How do I return something?" }) });
  await expect(returning).toContainText("as soon as the carrier confirms it, usually within minutes");
  await expect(returning).not.toContainText("straight away");
  // Store credit comes when the parcel reaches the warehouse, as the return form says; it said "available immediately".
  const refunds = page.locator("section").filter({ has: page.getByRole("heading", { name: "When will I get my refund?" }) });
  await expect(refunds).toContainText("The store credit is added to your account as soon as your return reaches our warehouse, and you can spend it at once.");
  // It gives the support line and address the portal is configured with (NEXT_PUBLIC_SUPPORT_PHONE and _EMAIL; the demo's here).
  await expect(page.getByRole("link", { name: "Call +44 1234 567890" })).toHaveAttribute("href", "tel:+441234567890");
  await expect(page.getByRole("link", { name: "help@waymark.example" })).toHaveAttribute("href", "mailto:help@waymark.example");
});

test("the insights charts are legible on a phone: no label overlaps another, each fits the screen", async ({ page }, testInfo) => {
  phoneOnly(testInfo.project.name);
  await signIn(page, DEMO.analyst.email, DEMO.analyst.password);
  await page.goto("/insights/journeys/return");
  const charts = page.locator("figure.chart");
  await expect(charts.first().locator(".recharts-cartesian-axis-tick-value").first()).toBeVisible();
  const width = page.viewportSize()!.width;
  for (const chart of await charts.all()) {
    const labels = await chart.locator(".recharts-cartesian-axis-tick-value").evaluateAll((nodes) => nodes.map((n) => n.getBoundingClientRect().toJSON() as { x: number; y: number; width: number; height: number }));
    expect(labels.length).toBeGreaterThan(0);
    for (const [i, a] of labels.entries()) {
      expect(a.x, "a label starts inside the screen").toBeGreaterThanOrEqual(0);
      expect(a.x + a.width, "a label ends inside the screen").toBeLessThanOrEqual(width);
      for (const b of labels.slice(i + 1)) expect(overlaps(a, b), "two axis labels overlap").toBe(false);
    }
  }
  await expect(page.getByTestId("funnel-table")).toBeVisible();
});

test("an order names its country and currency, and each page has one help entry saying what a person can do at that step", async ({ page }, testInfo) => {
  phoneOnly(testInfo.project.name);
  const customer = await customerWithOrders([{ lines: [{ name: "Help Test Scarf", priceMinor: 1800 }] }]);
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  const seen = new Set<string>();
  await page.goto(`/orders/${customer.orders[0].number}`);
  // Money with its currency, countries by name (the fixture delivers to GB).
  await expect(page.getByText("United Kingdom")).toBeVisible();
  await expect(page.locator("main")).not.toContainText(/\bGB\b/);
  await expect(page.locator("main")).toContainText(formatMoney(1800, "GBP"));
  for (const path of [`/orders/${customer.orders[0].number}`, `/orders/${customer.orders[0].number}/return`, "/account/profile"]) {
    await page.goto(path);
    const entry = page.getByTestId("help-entry");
    await expect(entry).toHaveCount(1);
    // Closed, it is one line: no row of buttons beside the page's own task.
    await expect(page.getByRole("button", { name: "Talk to a person", exact: true })).toBeHidden();
    const offer = (await entry.locator("summary").innerText()).trim();
    expect(offer).toMatch(/^Need a hand\?\s+We can /);
    seen.add(offer);
    await openHelp(page);
    await expect(page.getByRole("button", { name: "Talk to a person", exact: true })).toBeVisible();
  }
  expect(seen.size, "each step says what it offers").toBe(3);

  // Social media names its network and links the account (SOCIAL_ACCOUNTS' default), opening as any link does.
  await page.getByRole("link", { name: "Message us on social" }).click();
  await expect(page.getByRole("heading", { name: "Message us on social media" })).toBeVisible();
  const account = page.getByTestId("social-accounts").getByRole("link");
  await expect(account).toHaveText(["@waymarkhelp on X"]);
  await expect(account).toHaveAttribute("href", "https://x.com/waymarkhelp");
  await expect(account).toHaveAttribute("rel", "noopener");
  await expect(account).not.toHaveAttribute("target", /./);
});

test("the help entry opened before the page's script has run offers the other channels at once, and a person as soon as the page is ready", async ({ page }, testInfo) => {
  phoneOnly(testInfo.project.name);
  const customer = await customerWithOrders([{ lines: [{ name: "Early Help Mug", priceMinor: 1200 }] }]);
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  // The page's scripts are held back, as on a slow phone line: the customer taps before they run.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/_next/static/chunks/**", async (route) => {
    await held;
    await route.continue();
  });
  await page.goto("/orders", { waitUntil: "domcontentloaded" });
  await page.getByTestId("help-entry").locator("summary").click();
  await expect(page.getByRole("link", { name: "Call us" })).toHaveAttribute("href", /^tel:/);
  await expect(page.getByRole("link", { name: "Help centre" })).toBeVisible();
  release();
  // Still open after hydration, now with the reasons and a person.
  await expect(page.getByRole("button", { name: "Talk to a person", exact: true })).toBeVisible();
  await expect(page.getByTestId("leave-reasons")).toBeVisible();
});

test("an order on its way never shows a date that has passed, the overview shows the store credit, and the tracking number opens the carrier's page", async ({ page }, testInfo) => {
  phoneOnly(testInfo.project.name);
  const customer = await customerWithOrders([{ lines: [{ name: "Late Test Boots", priceMinor: 8000 }], status: "PROCESSING" }]);
  const [order] = customer.orders;
  // Shipped, promised for the day after tomorrow, but the carrier's own estimate was yesterday.
  await query(`UPDATE "Order" SET "status" = 'SHIPPED', "promisedDeliveryAt" = now() + interval '2 days' WHERE "id" = $1`, [order.id]);
  await query(
    `INSERT INTO "Shipment" ("id", "orderId", "carrier", "trackingNumber", "status", "shippedAt", "expectedAt") VALUES ($1, $2, 'Parcelnet', $3, 'IN_TRANSIT', now() - interval '3 days', now() - interval '1 day')`,
    [`${order.id}_shp`, order.id, `PNLATE${order.number.slice(3)}`],
  );
  await query(`INSERT INTO "StoreCreditEntry" ("id", "userId", "amountMinor", "currency", "reason") VALUES ($1, $2, 1234, 'GBP', 'e2e goodwill')`, [`${order.id}_credit`, customer.userId]);
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  // The overview: the store credit to spend, and no past date for the order on its way.
  await page.goto("/");
  await expect(page.getByTestId("store-credit")).toContainText(formatMoney(1234, "GBP"));
  await expect(page.getByTestId("orders-in-progress")).toContainText("new date to follow");
  await page.goto(`/orders/${order.number}`);
  await expect(page.getByTestId("delivery-promise")).toContainText("not given a new delivery date");
  await expect(page.getByTestId("delivery-promise")).not.toContainText("Expected delivery");
  await expect(page.getByRole("link", { name: new RegExp(`PNLATE${order.number.slice(3)}`) })).toHaveAttribute("href", `https://track.parcelnet.example/parcel/PNLATE${order.number.slice(3)}`);
});

test("the overview puts what needs doing first, dates each open return, and offers to buy a delivered order again", async ({ page }, testInfo) => {
  phoneOnly(testInfo.project.name);
  const customer = await customerWithOrders([
    { lines: [{ name: "Again Test Teapot", priceMinor: 3000 }] },
    { lines: [{ name: "Owing Test Rug", priceMinor: 5000 }], status: "PROCESSING" },
    { lines: [{ name: "Late Test Clock", priceMinor: 2000 }], status: "PROCESSING" },
    { lines: [{ name: "Long Ago Test Vase", priceMinor: 2500 }], deliveredDaysAgo: 200 },
  ]);
  const [delivered, owing, lateOrder] = customer.orders;
  await query(`UPDATE "User" SET "timeZone" = 'Europe/London' WHERE "id" = $1`, [customer.userId]);
  // As a declined charge leaves an order: waiting for payment, its payment failed.
  await query(`UPDATE "Order" SET "status" = 'PENDING_PAYMENT', "paymentStatus" = 'FAILED', "paidMinor" = 0, "balanceDueMinor" = 1500 WHERE "id" = $1`, [owing.id]);
  await query(`UPDATE "Order" SET "status" = 'SHIPPED', "promisedDeliveryAt" = now() - interval '2 days' WHERE "id" = $1`, [lateOrder.id]);
  const submitted = new Date(Date.now() - 3 * 86_400_000);
  const returnNumber = `RT-E2E${delivered.number.slice(3)}`;
  await query(
    `INSERT INTO "Return" ("id", "number", "orderId", "userId", "status", "resolution", "method", "policyVersion", "refundMinor", "currency", "idempotencyKey", "carrierCode", "createdAt")
     SELECT $1, $2, $3, $4, 'APPROVED', 'REFUND', 'LABEL', max("version"), 3000, 'GBP', $1, 'PNRET1', $5 FROM "ReturnPolicyVersion"`,
    [`${delivered.id}_ret`, returnNumber, delivered.id, customer.userId, submitted],
  );
  const sendBy = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", day: "numeric", month: "short", year: "numeric" }).format(new Date(submitted.getTime() + 14 * 86_400_000));
  await signInDirectly(page, customer.email, DEMO_PASSWORD);

  await page.goto("/");
  const attention = page.getByTestId("attention").getByRole("listitem");
  await expect(attention).toHaveCount(3);
  await expect(attention.nth(0)).toContainText(`Order ${owing.number}: a payment is due`);
  await expect(attention.nth(0)).toContainText(formatMoney(1500, "GBP"));
  await expect(attention.nth(1)).toContainText(`Return ${returnNumber}: your return label is ready. Send the items by ${sendBy}`);
  await expect(attention.nth(2)).toContainText(`Order ${lateOrder.number} is late`);
  await expect(page.getByTestId("returns-in-progress")).toContainText(`send back by ${sendBy}`);
  // An unpaid order promises no delivery date, here or on its page, and its payment reads as its status does.
  const owingRow = page.getByTestId("orders-in-progress").getByRole("listitem").filter({ hasText: owing.number });
  await expect(owingRow).toContainText("Waiting for payment");
  await expect(owingRow).toContainText("delivery date once paid");
  await expect(owingRow).not.toContainText("expected");

  // Delivered recently means the last 30 days: not an order delivered months ago (found by a customer walk).
  await expect(page.getByTestId("recently-delivered").getByRole("listitem")).toHaveCount(1);
  await expect(page.getByTestId("recently-delivered")).not.toContainText("Long Ago Test Vase");
  await page.getByTestId("recently-delivered").getByRole("link", { name: `Buy again order ${delivered.number}` }).click();
  await expect(page.getByTestId("buy-again-items")).toContainText("Again Test Teapot");
  await expect(page.getByTestId("buy-again-items")).toContainText(formatMoney(3000, "GBP"));
  await page.getByRole("button", { name: "Ask us to order these again" }).click();
  await expect(page.getByTestId("form-message")).toContainText("nothing is charged until you agree");
  const cases = await query<{ number: string }>(`SELECT c."number" FROM "Case" c JOIN "Order" o ON o."id" = c."orderId" WHERE c."userId" = $1 AND c."reason" = 'buy_again' AND o."number" = $2`, [customer.userId, delivered.number]);
  expect(cases).toHaveLength(1);
  await expect(page.getByTestId("form-message")).toContainText(cases[0].number);

  await page.goto(`/orders/${owing.number}`);
  await expect(page.getByText("Waiting for payment", { exact: true })).toBeVisible();
  await expect(page.getByTestId("payment")).toHaveText(`PaymentWaiting for payment · ${formatMoney(1500, "GBP")} due`);
  await expect(page.getByTestId("delivery-promise")).toHaveText("We send this order once it is paid, and give you its delivery date then.");
  await expect(page.getByRole("link", { name: `Pay ${formatMoney(1500, "GBP")} now` })).toBeVisible();
});

type Drawing = { shape: string | undefined; tile: string; outline: string; clip: string };
/** What a thumbnail draws: its shape's name, the tile's colour, the outline's colour and its clip path (the outline itself). */
function drawing(thumbnail: HTMLElement): Drawing {
  const outline = getComputedStyle(thumbnail, "::after");
  return { shape: thumbnail.dataset.shape, tile: getComputedStyle(thumbnail).backgroundColor, outline: outline.backgroundColor, clip: outline.clipPath };
}

test("orders, their items, returns and the return form show each product's picture, at a fixed size that moves nothing", async ({ page }, testInfo) => {
  phoneOnly(testInfo.project.name);
  const customer = await customerWithOrders([{ lines: [{ name: "Picture Test Vase", category: "home", priceMinor: 4200 }, { name: "Picture Test Boots", category: "shoes", priceMinor: 9000 }] }]);
  const [order] = customer.orders;
  // A leading 0 keeps it below every real return number (they count up from RT-100001 by the highest).
  const returnNumber = `RT-0${order.number.slice(4)}`;
  await query(
    `INSERT INTO "Return" ("id", "number", "orderId", "userId", "status", "resolution", "method", "policyVersion", "refundMinor", "currency", "idempotencyKey", "createdAt")
     SELECT $1, $2, $3, $4, 'REQUESTED', 'REFUND', 'LABEL', max("version"), 4200, 'GBP', $1, now() FROM "ReturnPolicyVersion"`,
    [`${order.id}_pic`, returnNumber, order.id, customer.userId],
  );
  await query(`INSERT INTO "ReturnLine" ("id", "returnId", "orderLineId", "quantity", "reason") VALUES ($1, $2, $3, 1, 'changed_mind')`, [`${order.id}_picl`, `${order.id}_pic`, order.lineIds[0]]);
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  const pictures = new Map<string, Drawing>();
  for (const [path, where, expected] of [
    ["/orders", page.getByTestId("order-list").getByRole("listitem").filter({ hasText: order.number }), 1],
    [`/orders/${order.number}`, page.getByRole("region", { name: "Items" }), 2],
    [`/orders/${order.number}/return`, page.getByRole("group", { name: "Picture Test Boots" }), 1],
    ["/returns", page.getByTestId("returns-list").getByRole("listitem").filter({ hasText: returnNumber }), 1],
    [`/returns/${returnNumber}`, page.getByRole("region", { name: "Items" }), 1],
  ] as const) {
    await page.goto(path);
    const thumbnails = where.locator(".thumbnail");
    await expect(thumbnails, path).toHaveCount(expected);
    for (const thumbnail of await thumbnails.all()) {
      // Decorative beside the product's name, drawn at its final size before anything loads.
      await expect(thumbnail).toHaveAttribute("aria-hidden", "true");
      const box = (await thumbnail.boundingBox())!;
      expect([box.width, box.height], path).toEqual([48, 48]);
    }
    const picture = await thumbnails.first().evaluate(drawing);
    // Drawn: an outline from the stylesheet, in a colour of its own on the tile.
    expect(picture.clip, path).toMatch(/^path\(evenodd, "M/);
    expect(picture.outline, path).not.toBe(picture.tile);
    pictures.set(path, picture);
  }
  // The same product looks the same everywhere; another product looks different.
  expect(pictures.get("/orders")).toEqual(pictures.get(`/returns/${returnNumber}`));
  expect(pictures.get(`/orders/${order.number}/return`)).not.toEqual(pictures.get("/orders"));
});

test("a new customer meets empty pages that say what comes next, a missing page with a way back, and buttons that say they are working", async ({ page }, testInfo) => {
  phoneOnly(testInfo.project.name);
  const customer = await signUp(page, "Nell New", "empty");
  await page.goto("/orders");
  await expect(page.getByText("You have not placed any orders yet.")).toBeVisible();
  await expect(page.getByRole("main").getByRole("link", { name: "help centre" })).toBeVisible();
  await page.goto("/returns");
  await expect(page.getByText(/You have not returned anything yet\. When you do, you follow it here/)).toBeVisible();

  const missing = await page.goto("/orders/WM-000000");
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await page.getByRole("link", { name: "Go to your overview" }).click();
  await expect(page.getByRole("heading", { name: "Hello, Nell" })).toBeVisible();

  // The server answers only when the test lets it, so the button is seen while it waits.
  await query(`INSERT INTO "Notification" ("id", "userId", "type", "dedupeKey", "data") VALUES ($1, $2, 'password_changed', $1, '{}')`, [`e2e_note_${customer.userId}`, customer.userId]);
  await page.goto("/messages");
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/messages", async (route) => (route.request().method() === "POST" ? held.then(() => route.continue()) : route.continue()));
  await page.getByRole("button", { name: "Mark all as read" }).click();
  await expect(page.getByRole("button", { name: "Marking…" })).toBeDisabled();
  release();
  await expect(page.getByRole("button", { name: /Mark all as read|Marking…/ })).toHaveCount(0);
});

test.describe("a customer in New York", () => {
  test.use({ timezoneId: "America/New_York" });

  test("sees the times of their order in their own zone: the browser's, saved on their profile, which they can change", async ({ page }, testInfo) => {
    phoneOnly(testInfo.project.name);
    const customer = await customerWithOrders([{ lines: [{ name: "Zone Test Scarf", priceMinor: 2500 }] }]);
    const [order] = customer.orders;
    // A scan at 02:30 UTC two days ago: still the evening before in New York, already morning in Tokyo.
    const scannedAt = new Date(Date.now() - 2 * 86_400_000);
    scannedAt.setUTCHours(2, 30, 0, 0);
    await query(`INSERT INTO "ShipmentEvent" ("id", "shipmentId", "status", "description", "at") SELECT $1, s."id", 'IN_TRANSIT', 'Zone test scan', $2 FROM "Shipment" s WHERE s."orderId" = $3`, [`${order.id}_zone`, scannedAt, order.id]);
    // The day and the wall-clock time there, as anyone would write them: "1 Dec 2026, 21:30".
    const local = (timeZone: string) => [{ day: "numeric", month: "short", year: "numeric" } as const, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" } as const].map((f) => new Intl.DateTimeFormat("en-GB", { timeZone, ...f }).format(scannedAt)).join(", ");

    await signInDirectly(page, customer.email, DEMO_PASSWORD);
    // The first page the customer sees tells the portal the browser's zone.
    await page.goto("/");
    await expect.poll(async () => (await query<{ timeZone: string | null }>(`SELECT "timeZone" FROM "User" WHERE "id" = $1`, [customer.userId]))[0].timeZone, { timeout: 30_000 }).toBe("America/New_York");
    await page.goto(`/orders/${order.number}`);
    const scan = page.getByTestId("tracking-timeline").getByRole("listitem").filter({ hasText: "Zone test scan" });
    await expect(scan).toContainText(local("America/New_York"));
    await expect(scan).not.toContainText("UTC");

    await page.goto("/account/profile");
    await expect(page.getByLabel("Time zone")).toHaveValue("America/New_York");
    await page.getByLabel("Time zone").selectOption("Asia/Tokyo");
    await page.getByRole("button", { name: "Save profile" }).click();
    await expect(page.getByTestId("form-message")).toHaveText("Your profile is saved.");
    await page.goto(`/orders/${order.number}`);
    await expect(scan).toContainText(local("Asia/Tokyo"));
  });
});

// ------------------------------------------------------------------ WCAG 2.2 AA on every page, the staff's too

// Three parts, which the suite's two workers scan side by side (the describe block below runs its
// tests in parallel; the rest of the file keeps its order): thirty pages of axe in one test took
// minutes on a loaded machine, and the customer's two halves one after the other were the suite's last minute.
const ACCOUNT_AND_HELP_PAGES = [
  "/account",
  "/account/profile",
  "/account/password",
  "/account/email",
  "/account/addresses",
  "/account/addresses/new",
  "/account/preferences",
  "/account/sessions",
  "/account/privacy",
  "/account/privacy/delete",
  "/account/payment-methods",
  "/cases",
  "/help",
  "/help/chat",
  "/help/social",
];

async function orderPages(): Promise<{ email: string; paths: string[] }> {
  // Amounts as long as a real order's: the invoice's four amount columns must still fit a phone.
  const customer = await customerWithOrders([{ lines: [{ name: "Axe Test Dimmable Desk Lamp", priceMinor: 129_900, quantity: 2 }] }, { lines: [{ name: "Axe Test Lamp", priceMinor: 3200 }], status: "PROCESSING" }]);
  const [delivered, processing] = customer.orders;
  const paths = [
    "/",
    "/orders",
    `/orders/${delivered.number}`,
    `/orders/${delivered.number}/invoice`,
    `/orders/${delivered.number}/return`,
    `/orders/${delivered.number}/problem`,
    `/orders/${delivered.number}/cancel`,
    `/orders/${delivered.number}/buy-again`,
    `/orders/${processing.number}`,
    `/orders/${processing.number}/cancel`,
    `/orders/${processing.number}/delivery-address`,
    "/returns",
  ];
  return { email: customer.email, paths };
}

async function axeViolations(page: Page, paths: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) {
    await page.goto(path);
    await expect(page.locator("main h1").first()).toBeVisible();
    // Legacy mode runs axe in the page itself. The default finishes every scan in a new blank
    // page, which took 1.5 s of each page's 2-3 s here, for the same results (the portal has no
    // frames from other origins, the case it exists for).
    const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).setLegacyMode(true).analyze();
    found.push(...violations.map((v) => `${path}: ${v.id} (${v.nodes.length}) ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`));
    // Wider than the screen: a phone's browser zooms the page out to fit it, so the page's own
    // width, not window.innerWidth (which grows with the zoom), is held against the screen's.
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > page.viewportSize()!.width) found.push(`${path}: ${width} px wide on a ${page.viewportSize()!.width} px screen`);
  }
  return found;
}

test.describe("every page meets WCAG 2.2 AA (axe, with target size) and fits the screen (reflow) on this viewport", () => {
  test.describe.configure({ mode: "parallel" });
  test.beforeEach(({}, testInfo) => {
    test.skip(testInfo.project.name === "mobile-iphone", "one phone is enough");
    test.setTimeout(300_000);
  });

  test("signing in, the overview, orders and returns", async ({ page }) => {
    const found = await axeViolations(page, ["/signin", "/signup", "/forgot-password"]);
    const { email, paths } = await orderPages();
    await signInDirectly(page, email, DEMO_PASSWORD);
    found.push(...(await axeViolations(page, paths)));
    expect(found).toEqual([]);
  });

  test("the account, cases and help", async ({ page }) => {
    const customer = await customerWithOrders([{ lines: [{ name: "Axe Test Kettle", priceMinor: 2200 }] }]);
    await signInDirectly(page, customer.email, DEMO_PASSWORD);
    expect(await axeViolations(page, ACCOUNT_AND_HELP_PAGES)).toEqual([]);
  });

  test("the agent's and the analyst's pages", async ({ page }) => {
    // Any case and any attempt will do: the scan reads the pages, not what they say.
    const [{ number }] = await query<{ number: string }>(`SELECT "number" FROM "Case" ORDER BY "createdAt" LIMIT 1`);
    const [{ id: journeyId, type }] = await query<{ id: string; type: string }>(`SELECT "id", "type" FROM "Journey" ORDER BY "startedAt" LIMIT 1`);
    await signInDirectly(page, DEMO.agent.email, DEMO.agent.password);
    const found = await axeViolations(page, ["/agent", `/agent/cases/${number}`, `/agent/attempts/${journeyId}`, "/agent/contacts", "/agent/health", "/agent/outbox", "/frontline"]);
    // The analyst on the same phone or desktop: a context of one's own would not be this project's device.
    await page.context().clearCookies();
    await signInDirectly(page, DEMO.analyst.email, DEMO.analyst.password);
    found.push(...(await axeViolations(page, ["/insights", "/insights/trends", "/insights/follow-through", "/insights/triggers", "/insights/effort", "/insights/help", "/insights/definitions", `/insights/journeys/${type}`, "/insights/explorer", `/insights/explorer/${journeyId}`])));
    expect(found).toEqual([]);
  });
});

// ------------------------------------------------------------------ the agent console

test("talking to a person is its own channel, opens one case per exit, and the console counts in words", async ({ page }, testInfo) => {
  phoneOnly(testInfo.project.name);
  const customer = await customerWithOrders([{ lines: [{ name: "Agent Test Kettle", priceMinor: 2600 }] }]);
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  await page.goto(`/orders/${customer.orders[0].number}/problem`);
  await openHelp(page);
  await page.getByRole("button", { name: "Talk to a person", exact: true }).click();
  const opened = page.getByTestId("form-message").filter({ hasText: /case CS-/ });
  await expect(opened).toBeVisible();
  const first = (await opened.textContent())!.match(/CS-[0-9A-F]{8}/)![0];
  await page.reload();
  await openHelp(page);
  await page.getByRole("button", { name: "Talk to a person", exact: true }).click();
  await expect(opened).toBeVisible();
  expect((await opened.textContent())!.match(/CS-[0-9A-F]{8}/)![0], "the same exit answers with the same case").toBe(first);
  const cases = await query<{ number: string }>(`SELECT "number" FROM "Case" WHERE "userId" = $1`, [customer.userId]);
  expect(cases.map((c) => c.number)).toEqual([first]);
  const exits = await query<{ channel: string }>(`SELECT "channel" FROM "TrailEvent" e JOIN "Journey" j ON j."id" = e."journeyId" WHERE j."userId" = $1 AND e."kind" = 'EXITED'`, [customer.userId]);
  expect(exits.map((e) => e.channel)).toEqual(["PERSON"]);
});
