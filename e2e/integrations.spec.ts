// The back office, both ways, against the running portal: signed webhooks posted to the real route
// reach the customer's order page; business events leave the portal signed, for every endpoint; and
// staff see each integration's health and replay a dead letter, which the back office gets once.
import { randomUUID } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { webhookHeaders } from "../lib/integrations/backoffice-signature";
import { BACKOFFICE_STAND_IN_URL, E2E_BACKOFFICE_INBOUND_SECRET } from "./support/env";
import { BACKGROUND, DEMO, expect, SAME_ON_EVERY_VIEWPORT, signInDirectly, test } from "./support/fixtures";
import { signedInCustomer } from "./support/customers";
import { query, withNewOrderNumber } from "./support/portal-db";
import type { BackOfficeDelivery } from "./support/backoffice-stand-in";

const uniqueId = (prefix: string) => `${prefix}_${randomUUID().replaceAll("-", "")}`;

/** A signed (or deliberately mis-signed) POST to the portal's back-office webhook route. */
async function sendWebhook(request: APIRequestContext, body: unknown, options: { id?: string; secret?: string; signedAt?: Date; unsigned?: boolean } = {}) {
  const raw = JSON.stringify(body);
  const id = options.id ?? uniqueId("msg");
  const signature = options.unsigned ? {} : webhookHeaders(options.secret ?? E2E_BACKOFFICE_INBOUND_SECRET, id, raw, options.signedAt);
  const response = await request.post("/api/backoffice/webhook", { data: raw, headers: { "content-type": "application/json", ...signature } });
  return { status: response.status(), body: (await response.json()) as Record<string, unknown>, id };
}

/** An order of our own (no lines needed here), so no other test's demo order is touched; a customer only when the page is visited. */
async function orderOf(userId: string | null, status: "PROCESSING" | "SHIPPED") {
  return withNewOrderNumber(async (number, run) => {
    await run(
      `INSERT INTO "Order" ("id","number","userId","status","paymentStatus","currency","subtotalMinor","shippingMinor","taxMinor","totalMinor","paidMinor","shippingAddress","placedAt","promisedDeliveryAt","updatedAt")
       VALUES ($1, $2, $3, $4, 'PAID', 'EUR', 4000, 500, 760, 5260, 5260, '{"fullName":"Ivy Integrations","line1":"1 Hook Lane","city":"Leipzig","postalCode":"04109","country":"DE"}', now() - interval '2 days', now() + interval '3 days', now())`,
      [uniqueId("e2e_order"), number, userId, status],
    );
  });
}

const scan = (orderNumber: string, trackingNumber: string, status: string, description: string, at: Date) => ({
  type: "shipment.event",
  data: { orderNumber, carrier: "Parcelnet", trackingNumber, status, description, location: "Leipzig", at: at.toISOString() },
});
const statusChange = (orderNumber: string, status: string, at = new Date()) => ({ type: "order.status_changed", data: { orderNumber, status, at: at.toISOString() } });

async function deliveriesOf(request: APIRequestContext, webhookId: string): Promise<BackOfficeDelivery[]> {
  const response = await request.get(`${BACKOFFICE_STAND_IN_URL}/_deliveries`);
  expect(response.ok()).toBe(true);
  return ((await response.json()) as BackOfficeDelivery[]).filter((d) => d.webhookId === webhookId);
}

test("scans and status changes from the back office show on the customer's order, once each and never backwards", SAME_ON_EVERY_VIEWPORT, async ({ page, request }) => {
  const { userId } = await signedInCustomer(page, "Ivy Integrations", "integrations");
  const number = await orderOf(userId, "PROCESSING");
  const tracking = `PN${Date.now()}${Math.floor(Math.random() * 1000)}`;
  const labelAt = new Date(Date.now() - 5 * 3_600_000);
  const hubAt = new Date(Date.now() - 3_600_000);

  expect((await sendWebhook(request, scan(number, tracking, "LABEL_CREATED", "Label created by the warehouse", labelAt))).body).toEqual({ ok: true, outcome: "applied", statusChanged: true });
  const hub = await sendWebhook(request, scan(number, tracking, "IN_TRANSIT", "Arrived at the Leipzig hub", hubAt));
  expect(hub.status).toBe(200);
  expect((await sendWebhook(request, statusChange(number, "SHIPPED", labelAt))).body).toEqual({ ok: true, outcome: "applied", statusChanged: true });
  // The back office retries a delivery it did not see acknowledged: same id, signed anew.
  expect(await sendWebhook(request, scan(number, tracking, "IN_TRANSIT", "Arrived at the Leipzig hub", hubAt), { id: hub.id })).toEqual({ status: 200, body: { ok: true, outcome: "replayed" }, id: hub.id });

  await page.goto(`/orders/${number}`);
  await expect(page.getByText("On its way", { exact: true })).toBeVisible();
  await expect(page.getByText(`Parcelnet · tracking number ${tracking}`)).toBeVisible();
  const timeline = page.getByTestId("tracking-timeline").getByRole("listitem");
  await expect(timeline).toHaveCount(2);
  await expect(timeline.nth(0)).toContainText("Arrived at the Leipzig hub");
  await expect(timeline.nth(1)).toContainText("Label created by the warehouse");

  const deliveredAt = new Date(Date.now() - 10 * 60_000);
  expect((await sendWebhook(request, statusChange(number, "DELIVERED", deliveredAt))).body).toMatchObject({ outcome: "applied", statusChanged: true });
  // Sent before the delivery, arriving after it: ignored.
  expect((await sendWebhook(request, statusChange(number, "SHIPPED", hubAt))).body).toEqual({ ok: true, outcome: "applied", statusChanged: false });
  await page.reload();
  await expect(page.getByText("Delivered", { exact: true })).toBeVisible();
  await expect(page.getByText(/^Delivered on /)).toBeVisible();
  const history = await query<{ from: string; to: string; actor: string }>(`SELECT h."from", h."to", h."actor" FROM "OrderStatusChange" h JOIN "Order" o ON o."id" = h."orderId" WHERE o."number" = $1 ORDER BY h."at"`, [number]);
  expect(history).toEqual([
    { from: "PROCESSING", to: "SHIPPED", actor: "backoffice" },
    { from: "SHIPPED", to: "DELIVERED", actor: "backoffice" },
  ]);
});

test("a webhook that is unsigned, mis-signed, stale or malformed is refused and changes nothing", SAME_ON_EVERY_VIEWPORT, async ({ request }) => {
  const number = await orderOf(null, "PROCESSING");
  const shipped = statusChange(number, "SHIPPED");
  const refused = [
    await sendWebhook(request, shipped, { unsigned: true }),
    await sendWebhook(request, shipped, { secret: "whsec_bm90LXRoZS1iYWNrLW9mZmljZXMtc2VjcmV0" }),
    await sendWebhook(request, shipped, { signedAt: new Date(Date.now() - 6 * 60_000) }),
    await sendWebhook(request, { type: "order.status_changed", data: { orderNumber: number, status: "PROCESSING", at: new Date().toISOString() } }),
    await sendWebhook(request, { type: "order.refunded", data: { orderNumber: number } }),
  ];
  expect(refused.map((r) => [r.status, r.body.error])).toEqual([
    [400, "Signature not accepted (missing_headers)."],
    [400, "Signature not accepted (bad_signature)."],
    [400, "Signature not accepted (timestamp_out_of_tolerance)."],
    [400, expect.stringContaining("Invalid event: data.status")],
    [400, expect.stringContaining("Invalid event")],
  ]);
  expect(await sendWebhook(request, statusChange("WM-000000", "SHIPPED"))).toMatchObject({ status: 422, body: { error: "Unknown order number." } });

  const [order] = await query<{ status: string; changes: number }>(
    `SELECT o."status", (SELECT count(*)::int FROM "OrderStatusChange" h WHERE h."orderId" = o."id") AS changes FROM "Order" o WHERE o."number" = $1`,
    [number],
  );
  expect(order).toEqual({ status: "PROCESSING", changes: 0 });
  const remembered = await query(`SELECT 1 FROM "ProcessedWebhook" WHERE "id" = ANY($1)`, [refused.map((r) => `backoffice:${r.id}`)]);
  expect(remembered).toHaveLength(0);
});

test("a business event leaves the portal signed, once for every back-office endpoint", SAME_ON_EVERY_VIEWPORT, async ({ request }) => {
  const eventId = uniqueId("evt");
  // What emitBusinessEvent writes in the transaction of the change it describes.
  await query(`INSERT INTO "OutboxMessage" ("id","topic","dedupeKey","payload") VALUES ($1, 'backoffice.event', $2, $3)`, [
    uniqueId("e2e_outbox"),
    eventId,
    JSON.stringify({ id: eventId, type: "case.opened", occurredAt: new Date().toISOString(), data: { caseNumber: "C-E2E", channel: "PHONE" } }),
  ]);
  await expect.poll(async () => (await deliveriesOf(request, eventId)).map((d) => d.endpoint).sort(), BACKGROUND).toEqual(["crm", "erp"]);
  const deliveries = await deliveriesOf(request, eventId);
  expect(deliveries.every((d) => d.signature === "valid" && d.status === 200 && d.type === "case.opened")).toBe(true);
  expect(deliveries[0].body).toMatchObject({ id: eventId, type: "case.opened", data: { caseNumber: "C-E2E", channel: "PHONE" } });
});

test("staff see each integration's health and replay a dead letter, which the back office then receives once", SAME_ON_EVERY_VIEWPORT, async ({ page, request }) => {
  const eventId = uniqueId("evt");
  const messageId = uniqueId("e2e_outbox");
  // An ERP delivery that used up its retries during an outage.
  await query(
    `INSERT INTO "OutboxMessage" ("id","topic","dedupeKey","payload","status","attempts","lastError","createdAt") VALUES ($1, 'backoffice.delivery:erp', $2, $3, 'DEAD', 25, 'erp answered 503', now() - interval '2 days')`,
    [messageId, `${eventId}:erp`, JSON.stringify({ id: eventId, type: "refund.issued", occurredAt: new Date().toISOString(), data: { orderNumber: "WM-E2E", amountMinor: 1299 } })],
  );

  await signInDirectly(page, DEMO.agent.email, DEMO.agent.password);
  await page.goto("/agent");
  await page.getByRole("link", { name: "Integration health" }).click();
  await expect(page.getByRole("heading", { name: "Integration health" })).toBeVisible();
  const health = page.getByTestId("integration-health");
  for (const name of ["PostHog: trail events", "Stripe: refunds and releases", "Carrier: return labels and call-offs", "Back office: erp", "Back office: crm", "Email (SMTP)"]) {
    await expect(health.getByRole("rowheader", { name, exact: true })).toBeVisible();
  }
  const erp = health.locator('tr[data-integration="backoffice:erp"]');
  await expect(erp).toContainText("Degraded");
  await erp.getByRole("link").click();

  await expect(page).toHaveURL(/\/agent\/outbox\?topic=backoffice\.delivery%3Aerp/);
  const row = page.locator(`li[data-message-id="${messageId}"]`);
  await expect(row).toContainText("erp answered 503");
  await row.getByRole("button", { name: /^Replay the backoffice\.delivery:erp message/ }).click();
  await expect(page.getByTestId("form-message")).toContainText("queued again");
  await expect(row).toHaveCount(0);
  // Back to every topic: the filter is lifted, not turned into an empty topic.
  await page.getByLabel("Topic").selectOption("");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/\/agent\/outbox\?topic=$/);
  await expect(page.getByRole("heading", { name: "Undelivered messages" })).toBeVisible();
  await expect(page.getByText(/^Nothing stuck for/)).toHaveCount(0);

  await expect.poll(async () => (await deliveriesOf(request, eventId)).filter((d) => d.status === 200).length, BACKGROUND).toBe(1);
  const [delivery] = await deliveriesOf(request, eventId);
  expect(delivery).toMatchObject({ endpoint: "erp", signature: "valid", type: "refund.issued" });
  // The worker marks the row once the back office has answered, a moment after the stand-in recorded the delivery.
  await expect.poll(async () => (await query<{ status: string }>(`SELECT "status" FROM "OutboxMessage" WHERE "id" = $1`, [messageId]))[0].status, BACKGROUND).toBe("DELIVERED");
});

test("the staff health and replay pages do not exist for customers", SAME_ON_EVERY_VIEWPORT, async ({ page }) => {
  await signInDirectly(page, DEMO.grace.email, DEMO.grace.password);
  for (const path of ["/agent/health", "/agent/outbox"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
  }
});
