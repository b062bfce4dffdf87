// Customers and orders of a test's own, written straight into the portal's database, so tests never
// consume the demo customers' orders and the projects can run side by side.
import crypto from "node:crypto";
import type { Page } from "@playwright/test";
import { BACKGROUND, DEMO, DEMO_PASSWORD, expect, signInDirectly, test } from "./fixtures";
import { query, withNewOrderNumber } from "./portal-db";

const DAY = 86_400_000;

export type FixtureLine = { name: string; category?: string; priceMinor: number; quantity?: number; variants?: [label: string, stock: number][]; finalSale?: boolean; hygiene?: boolean };
export type FixtureOrder = { lines: FixtureLine[]; deliveredDaysAgo?: number; status?: "DELIVERED" | "PROCESSING" };
export type Fixture = { email: string; userId: string; orders: { id: string; number: string; lineIds: string[]; variantIds: string[][] }[] };

/** A customer of their own (password DEMO_PASSWORD) with paid GBP orders, delivered to London by default. */
export async function customerWithOrders(orders: FixtureOrder[], options: { postalCode?: string } = {}): Promise<Fixture> {
  const suffix = crypto.randomUUID().slice(0, 8);
  const userId = `e2e_ret_${suffix}`;
  const email = `returns-${suffix}@example.com`;
  await query(
    `INSERT INTO "User" ("id", "email", "name", "passwordHash", "role", "analyticsId", "updatedAt")
     SELECT $1, $2, 'Rhea Returns', "passwordHash", 'CUSTOMER', $3::uuid, now() FROM "User" WHERE "email" = $4`,
    [userId, email, crypto.randomUUID(), DEMO.ada.email],
  );
  return { email, userId, orders: await giveOrders(userId, orders, options) };
}

/** Paid GBP orders for an existing customer (one signed up in the test, say), delivered to London by default. */
export async function giveOrders(userId: string, orders: FixtureOrder[], options: { postalCode?: string } = {}): Promise<Fixture["orders"]> {
  const suffix = crypto.randomUUID().slice(0, 8);
  const created: Fixture["orders"] = [];
  for (const [o, spec] of orders.entries()) {
    const delivered = (spec.status ?? "DELIVERED") === "DELIVERED";
    const deliveredAt = new Date(Date.now() - (spec.deliveredDaysAgo ?? 3) * DAY);
    const placedAt = new Date(deliveredAt.getTime() - 4 * DAY);
    // An order still on its way is promised for later: one promised in the past is late, and the
    // worker's late-order duty would tell its customer so whenever it happens to run in the test.
    const promisedAt = delivered ? deliveredAt : new Date(Date.now() + 3 * DAY);
    const priced = spec.lines.map((l) => ({ ...l, quantity: l.quantity ?? 1, taxMinor: Math.round(l.priceMinor * (l.quantity ?? 1) * 0.2) }));
    const subtotal = priced.reduce((s, l) => s + l.priceMinor * l.quantity, 0);
    const tax = priced.reduce((s, l) => s + l.taxMinor, 0);
    const orderId = `e2e_ord_${suffix}_${o}`;
    const address = { fullName: "Rhea Returns", line1: "12 Return Road", line2: null, city: "London", postalCode: options.postalCode ?? "N1 9GU", country: "GB" };
    const number = await withNewOrderNumber(async (orderNumber, run) => {
      await run(
        `INSERT INTO "Order" ("id", "number", "userId", "status", "paymentStatus", "currency", "subtotalMinor", "shippingMinor", "taxMinor", "totalMinor", "paidMinor",
                              "shippingAddress", "stripePaymentIntentId", "placedAt", "promisedDeliveryAt", "updatedAt")
         VALUES ($1, $2, $3, $4, 'PAID', 'GBP', $5, 0, $6, $7, $7, $8, $9, $10, $11, now())`,
        [orderId, orderNumber, userId, spec.status ?? "DELIVERED", subtotal, tax, subtotal + tax, JSON.stringify(address), `pi_seed_e2e_${suffix}_${o}`, placedAt, promisedAt],
      );
    });
    const lineIds: string[] = [];
    const variantIds: string[][] = [];
    for (const [i, line] of priced.entries()) {
      const productId = `e2e_prd_${suffix}_${o}_${i}`;
      await query(`INSERT INTO "Product" ("id", "name", "category", "finalSale", "hygiene") VALUES ($1, $2, $3, $4, $5)`, [productId, line.name, line.category ?? "apparel", line.finalSale ?? false, line.hygiene ?? false]);
      const variants = line.variants ?? [["M / Sand", 0]];
      const ids = variants.map((_, v) => `${productId}_v${v}`);
      for (const [v, [label, stock]] of variants.entries()) {
        await query(`INSERT INTO "Variant" ("id", "productId", "sku", "label", "priceMinor", "currency", "stock") VALUES ($1, $2, $3, $4, $5, 'GBP', $6)`, [ids[v], productId, `E2E-${suffix}-${o}-${i}-${v}`, label, line.priceMinor, stock]);
      }
      const lineId = `e2e_oln_${suffix}_${o}_${i}`;
      await query(
        `INSERT INTO "OrderLine" ("id", "orderId", "variantId", "productName", "sku", "category", "quantity", "unitPriceMinor", "taxMinor") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [lineId, orderId, ids[0], line.name, `E2E-${suffix}-${o}-${i}-0`, line.category ?? "apparel", line.quantity, line.priceMinor, line.taxMinor],
      );
      lineIds.push(lineId);
      variantIds.push(ids);
    }
    if (delivered) {
      await query(
        `INSERT INTO "Shipment" ("id", "orderId", "carrier", "trackingNumber", "status", "shippedAt", "expectedAt", "deliveredAt") VALUES ($1, $2, 'Parcelnet', $3, 'DELIVERED', $4, $5, $5)`,
        [`e2e_shp_${suffix}_${o}`, orderId, `PNE2E${suffix}${o}`, new Date(placedAt.getTime() + DAY), deliveredAt],
      );
    }
    created.push({ id: orderId, number, lineIds, variantIds });
  }
  return created;
}


/**
 * The sign-up form's view in the trail: sent with the tab's next batch, so when the submit's
 * completion is stored first, the journey rule records the view with it (SERVER) and the
 * browser's copy adds nothing. One view either way.
 */
export const DETAILS_VIEWED = expect.stringMatching(/^details:VIEWED:(BROWSER|SERVER)$/);
/** The link's page seen, by the browser or, when the confirmation is stored first, with its completion. */
export const EMAIL_VIEWED = expect.stringMatching(/^email:VIEWED:(BROWSER|SERVER)$/);
/** A sign-up's whole trail: each step seen once, then done on the server. */
export const SIGNED_UP = [DETAILS_VIEWED, "details:COMPLETED:SERVER", EMAIL_VIEWED, "email:COMPLETED:SERVER", "account:VIEWED:SERVER", "account:COMPLETED:SERVER"];

/** Sign-up's answer, whether or not the address has an account. */
export const SIGN_UP_SENT = "Check your email: we have sent you a link to finish signing up. It works for 24 hours.";

/**
 * The path of the link that finishes a sign-up, from the email the worker queued (what the dev
 * mailbox shows, read straight from its table: no page load per poll).
 */
export async function signUpLink(email: string): Promise<string> {
  let link: string | undefined;
  await expect
    .poll(async () => {
      const [sent] = await query<{ text: string }>(`SELECT "text" FROM "EmailMessage" WHERE "to" = $1 AND "subject" = 'Finish creating your Waymark account' ORDER BY "createdAt" DESC LIMIT 1`, [email]);
      link = sent && /\/signup\/confirm\/[A-Za-z0-9_-]+/.exec(sent.text)?.[0];
      return link;
    }, BACKGROUND)
    .toBeDefined();
  return link!;
}

export type SignedUp = { email: string; password: string; userId: string; analyticsId: string };

/**
 * A new customer of the test's own (password DEMO_PASSWORD, analytics on), written into the
 * database as a finished sign-up would leave them. Signing up itself (form, emailed link, its
 * trail) is walked by the tests about it, on every viewport; here it would only add four page
 * loads and a wait for the worker to each test.
 */
export async function newCustomer(name: string, prefix: string): Promise<SignedUp> {
  const email = `${prefix}-${test.info().project.name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
  const [user] = await query<{ id: string; analyticsId: string }>(
    `INSERT INTO "User" ("id", "email", "name", "passwordHash", "role", "analyticsId", "updatedAt")
     SELECT $1, $2, $3, "passwordHash", 'CUSTOMER', $4::uuid, now() FROM "User" WHERE "email" = $5
     RETURNING "id", "analyticsId"::text AS "analyticsId"`,
    [`e2e_usr_${crypto.randomUUID()}`, email, name, crypto.randomUUID(), DEMO.ada.email],
  );
  return { email, password: DEMO_PASSWORD, userId: user.id, analyticsId: user.analyticsId };
}

/** A new customer (newCustomer), signed in (signInDirectly: the page stays blank): for walks of what a customer does once they have an account. */
export async function signedInCustomer(page: Page, name: string, prefix: string): Promise<SignedUp> {
  const customer = await newCustomer(name, prefix);
  await signInDirectly(page, customer.email, customer.password);
  return customer;
}

/** Signs a new customer up through the form and the emailed link, as a visitor would, and lands on their overview. */
export async function signUp(page: Page, name: string, prefix: string, password = "a-long-enough-password"): Promise<SignedUp> {
  const email = `${prefix}-${test.info().project.name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
  await page.goto("/signup");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("form-message")).toHaveText(SIGN_UP_SENT);
  await page.goto(await signUpLink(email));
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create my account" }).click();
  await expect(page.getByRole("heading", { name: `Hello, ${name.split(" ")[0]}` })).toBeVisible();
  const [user] = await query<{ id: string; analyticsId: string }>(`SELECT "id", "analyticsId"::text AS "analyticsId" FROM "User" WHERE "email" = $1`, [email]);
  return { email, password, userId: user.id, analyticsId: user.analyticsId };
}

/** One failed password change on /account/password (a wrong current password), up to its message. */
export async function failPasswordChange(page: Page, attempt: number): Promise<void> {
  await page.getByLabel("Current password").fill(`not-my-password-${attempt}`);
  await page.getByLabel("New password", { exact: true }).fill("a-brand-new-password");
  await page.getByLabel("Repeat the new password").fill("a-brand-new-password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByTestId("form-message")).toBeVisible();
}

/** On a reset link's page: chooses `password`, typed twice, and waits for the portal to take it. */
export async function chooseNewPassword(page: Page, password: string) {
  await page.getByLabel("New password", { exact: true }).fill(password);
  await page.getByLabel("Repeat the new password").fill(password);
  await page.getByRole("button", { name: "Save new password" }).click();
  await expect(page.getByText("Your password has been changed. Sign in with the new one.")).toBeVisible();
}
