// Fault tests: each outside service down in turn (PostHog, Stripe, the carrier, the back office).
// Customers' tasks still complete, what depends on the service that is down honestly waits
// (PENDING), everything else goes out, and once the service is back every queued side effect is
// delivered exactly once. Real PostgreSQL, real HTTP to each service's stand-in, the same delivery
// functions the background jobs run.
import crypto from "node:crypto";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverBusinessEvents, type BackOfficeConfig } from "@/lib/integrations/backoffice";
import { BUSINESS_EVENT_TOPIC } from "@/lib/integrations/business-events";
import { postHogDeliveryHandler, type QueuedPostHogBatch } from "@/lib/integrations/posthog";
import { cancelOrderLines } from "@/lib/orders/cancellation";
import { deliverDue } from "@/lib/outbox/outbox";
import { deliverStripeOutbox } from "@/lib/payments/outbox";
import { REFUND_TOPIC } from "@/lib/payments/refunds";
import { createStripeClient } from "@/lib/payments/stripe";
import { CARRIER_LABEL_TOPIC, labelHandler } from "@/lib/returns/labels";
import { submitReturn } from "@/lib/returns/returns";
import type { TrailActor } from "@/lib/trail/server";
import { startBackOfficeStandIn, type BackOfficeStandIn } from "../../e2e/support/backoffice-stand-in";
import { startCarrierStandIn, type CarrierStandIn } from "../../e2e/support/carrier-stand-in";
import { startPostHogStandIn, type PostHogStandIn } from "../../e2e/support/posthog-stand-in";
import { startStripeStandIn, type StripeStandIn } from "../../e2e/support/stripe-stand-in";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { createOrder } from "../support/orders";
import { createDeliveredOrder, createReturnCustomer } from "../support/returns-fixtures";

const BACKOFFICE_SECRET = `whsec_${crypto.randomBytes(32).toString("base64")}`;

let database: FreshDatabase;
let posthog: PostHogStandIn;
let stripeStandIn: StripeStandIn;
let carrier: CarrierStandIn;
let backOffice: BackOfficeStandIn;
let stripe: Stripe;
let backOfficeConfig: BackOfficeConfig;

beforeAll(async () => {
  [database, posthog, stripeStandIn, carrier, backOffice] = await Promise.all([
    freshDatabase(),
    startPostHogStandIn({ port: 0 }),
    // Test orders carry made-up PaymentIntents (pi_…): the stand-in takes them as paid.
    startStripeStandIn({ port: 0, adoptPaymentIntentPrefix: "pi_" }),
    startCarrierStandIn({ port: 0 }),
    startBackOfficeStandIn({ port: 0, secret: BACKOFFICE_SECRET }),
  ]);
  stripe = createStripeClient({ secretKey: "sk_test_faults", apiBase: new URL(stripeStandIn.url) });
  backOfficeConfig = { endpoints: [{ name: "erp", url: backOffice.endpointUrl("erp"), secret: BACKOFFICE_SECRET }] };
});
afterAll(async () => {
  await Promise.all([posthog.close(), stripeStandIn.close(), carrier.close(), backOffice.close()]);
  await database.drop();
});

const db = () => database.db;

/** One round of every delivery the background jobs run. */
async function deliverEverything() {
  await deliverDue(db(), "posthog", postHogDeliveryHandler(db(), { host: posthog.url, key: "phc_faults" }));
  await deliverStripeOutbox(db(), stripe);
  await deliverDue(db(), CARRIER_LABEL_TOPIC, labelHandler(db(), { baseUrl: carrier.url, apiKey: null }));
  await deliverBusinessEvents(db(), backOfficeConfig);
}

/** As if every backoff (and the label's grace period) had passed. */
const dueNow = () => db().outboxMessage.updateMany({ where: { status: "PENDING" }, data: { nextAttemptAt: new Date(Date.now() - 1000) } });

type Integration = "PostHog" | "Stripe" | "carrier" | "back office";

const OUTAGES: Record<Integration, { topics: (topic: string) => boolean; setDown: (down: boolean) => void }> = {
  PostHog: { topics: (t) => t === "posthog", setDown: (down) => posthog.setDown(down) },
  Stripe: { topics: (t) => t.startsWith("stripe."), setDown: (down) => stripeStandIn.setDown(down ? "503" : false) },
  carrier: { topics: (t) => t === CARRIER_LABEL_TOPIC, setDown: (down) => carrier.setDown(down) },
  "back office": { topics: (t) => t === BUSINESS_EVENT_TOPIC || t.startsWith("backoffice.delivery:"), setDown: (down) => backOffice.setDown(down) },
};

/** Two customer tasks that between them need every integration: cancelling a paid order, and returning an item with a printed label. */
async function customerTasks() {
  const customer = await createReturnCustomer(db(), "Fay Faults");
  const actor: TrailActor = customer.actor;
  const toCancel = await createOrder(db(), customer.user.id, { status: "PROCESSING" });
  const cancellationJourney = crypto.randomUUID();
  const cancelled = await cancelOrderLines(db(), {
    userId: customer.user.id,
    orderNumber: toCancel.number,
    request: { lines: toCancel.lines.map((l) => ({ lineId: l.id, quantity: l.quantity })) },
    journeyId: cancellationJourney,
    actor,
  });
  const { order: delivered, lines } = await createDeliveredOrder(db(), customer.user.id, { lines: [{ quantity: 1, unitPriceMinor: 3000, taxMinor: 0 }] });
  const returnJourney = crypto.randomUUID();
  const returned = await submitReturn(db(), {
    userId: customer.user.id,
    actor,
    journeyId: returnJourney,
    request: { orderNumber: delivered.number, idempotencyKey: crypto.randomUUID(), resolution: "REFUND", method: "LABEL", lines: [{ lineId: lines[0].id, quantity: 1, reason: "damaged", note: null, photo: null, exchangeVariantId: null }] },
  });
  return { cancelled, returned, cancelledOrder: toCancel, journeys: [cancellationJourney, returnJourney] };
}

/** Every outbox row the tasks queued, found by what they are about (rows are created by the fan-out too, so this is read after the fact). */
async function sideEffectsOf(tasks: Awaited<ReturnType<typeof customerTasks>>) {
  const returnId = tasks.returned.ok ? tasks.returned.returnId : "none";
  const refunds = await db().refund.findMany({ where: { OR: [{ orderId: tasks.cancelledOrder.id }, { returnId }] }, select: { id: true } });
  const trailIds = (await db().trailEvent.findMany({ where: { journeyId: { in: tasks.journeys } }, select: { id: true } })).map((e) => e.id);
  const rows = await db().outboxMessage.findMany();
  return rows.filter((row) => {
    const payload = row.payload as Record<string, unknown>;
    if (row.topic === "posthog") return (payload as QueuedPostHogBatch).events.some((e) => trailIds.includes(e.uuid));
    if (row.topic === REFUND_TOPIC) return refunds.some((r) => r.id === payload.refundId);
    if (row.topic === CARRIER_LABEL_TOPIC) return payload.returnId === returnId;
    if (row.topic === BUSINESS_EVENT_TOPIC || row.topic.startsWith("backoffice.delivery:")) {
      const data = payload.data as Record<string, unknown>;
      return data.orderNumber === tasks.cancelledOrder.number || (tasks.returned.ok && data.returnNumber === tasks.returned.returnNumber);
    }
    return false;
  });
}

describe.each(Object.keys(OUTAGES) as Integration[])("with %s down", (integration) => {
  it("customers still finish their tasks, what needs it waits honestly, and after recovery everything is delivered exactly once", async () => {
    const outage = OUTAGES[integration];
    outage.setDown(true);
    let tasks: Awaited<ReturnType<typeof customerTasks>>;
    try {
      tasks = await customerTasks();
      expect(tasks.cancelled).toMatchObject({ ok: true, fullyCancelled: true });
      expect(tasks.returned).toMatchObject({ ok: true, status: "APPROVED" });
      await dueNow();
      await deliverEverything();
      await dueNow();
      await deliverEverything();

      const duringOutage = await sideEffectsOf(tasks);
      // Every kind of side effect was queued: trail events, a refund, a label, business events (fanned out per endpoint).
      expect(new Set(duringOutage.map((r) => r.topic.split(":")[0]))).toEqual(new Set(["posthog", REFUND_TOPIC, CARRIER_LABEL_TOPIC, BUSINESS_EVENT_TOPIC, "backoffice.delivery"]));
      const waiting = (topic: string) => outage.topics(topic) && topic !== BUSINESS_EVENT_TOPIC;
      for (const row of duringOutage) expect([row.topic, row.status]).toEqual([row.topic, waiting(row.topic) ? "PENDING" : "DELIVERED"]);
      // Each destination that is down was tried and says why; a back-office endpoint stops at its
      // first failure, so the rows queued behind it wait untried (no error of their own yet).
      const tried = new Set(duringOutage.filter((row) => row.lastError).map((row) => row.topic));
      expect(tried).toEqual(new Set(duringOutage.filter((row) => waiting(row.topic)).map((row) => row.topic)));
      // What the customer is shown stays true: the refund is pending, the label is on its way.
      const refund = await db().refund.findFirstOrThrow({ where: { orderId: tasks.cancelledOrder.id } });
      expect(refund.status).toBe(integration === "Stripe" ? "PENDING" : "SUCCEEDED");
      const label = await db().return.findUniqueOrThrow({ where: { id: tasks.returned.ok ? tasks.returned.returnId : "" } });
      expect(label.carrierCode === null).toBe(integration === "carrier");
    } finally {
      outage.setDown(false);
    }

    await dueNow();
    await deliverEverything();
    const afterRecovery = await sideEffectsOf(tasks);
    expect(afterRecovery.filter((row) => row.status !== "DELIVERED").map((row) => [row.topic, row.status, row.lastError])).toEqual([]);

    // Exactly once, counted where it arrived.
    const trailUuids = afterRecovery.filter((r) => r.topic === "posthog").flatMap((r) => (r.payload as QueuedPostHogBatch).events.map((e) => e.uuid));
    expect(trailUuids.length).toBeGreaterThan(0);
    for (const uuid of trailUuids) expect(posthog.events().filter((e) => e.uuid === uuid)).toHaveLength(1);

    const refunds = afterRecovery.filter((r) => r.topic === REFUND_TOPIC).map((r) => (r.payload as { idempotencyKey: string }).idempotencyKey);
    for (const key of refunds) expect(stripeStandIn.requests().filter((r) => r.path === "/v1/refunds" && r.idempotencyKey === key && r.status === 200 && !r.replayed)).toHaveLength(1);
    expect((await db().order.findUniqueOrThrow({ where: { id: tasks.cancelledOrder.id } })).refundedMinor).toBe(tasks.cancelledOrder.totalMinor);

    const returnNumber = tasks.returned.ok ? tasks.returned.returnNumber : "";
    expect(carrier.bookings().filter((b) => b.reference === returnNumber)).toHaveLength(1);

    const eventIds = afterRecovery.filter((r) => r.topic === BUSINESS_EVENT_TOPIC).map((r) => r.dedupeKey);
    expect(eventIds).toHaveLength(2);
    const accepted = backOffice.acceptedCounts("erp");
    for (const id of eventIds) expect(accepted.get(id)).toBe(1);
  });
});
