// A return after submission, against a real PostgreSQL and the carrier stand-in over real HTTP:
// labels booked once, warehouse events moving it forward only, the money moving exactly once when
// the parcel arrives, cancelling, and the store-credit ledger.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBackOfficeStandIn } from "../../e2e/support/backoffice-stand-in";
import { startCarrierStandIn, type CarrierStandIn } from "../../e2e/support/carrier-stand-in";
import { addCredit, creditBalance, InsufficientCreditError, spendCredit } from "@/lib/credit/ledger";
import { deliverBusinessEvents } from "@/lib/integrations/backoffice";
import { BUSINESS_EVENT_TOPIC } from "@/lib/integrations/business-events";
import { customerMessages } from "@/lib/notify/message-centre";
import { deliverDue } from "@/lib/outbox/outbox";
import { outboxQueueStats } from "@/lib/integrations/health";
import { CARRIER_CANCEL_TOPIC, CARRIER_LABEL_TOPIC, bookLabel, callOffHandler, labelHandler } from "@/lib/returns/labels";
import { applyCarrierEvent, settleRefundedReturns } from "@/lib/returns/lifecycle";
import { waiveReturnFee } from "@/lib/returns/overrides";
import { cancelReturn, customerReturn, submitReturn, type ReturnSubmission } from "@/lib/returns/returns";
import { cancelledParcel, cancelledParcelNotice, historyLabel } from "@/lib/returns/status";
import { caseEventsOf } from "../support/business-events";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { createDeliveredOrder, createReturnCustomer } from "../support/returns-fixtures";

let database: FreshDatabase;
let carrier: CarrierStandIn;
let agentId: string;
const BACK_OFFICE_SECRET = `whsec_${crypto.randomBytes(32).toString("base64")}`;

beforeAll(async () => {
  [database, carrier] = await Promise.all([freshDatabase(), startCarrierStandIn({ port: 0 })]);
  agentId = (await database.db.user.create({ data: { name: "Alex Agent", email: `agent-${crypto.randomUUID()}@waymark.test`, role: "AGENT" } })).id;
});
afterAll(async () => {
  await Promise.all([database.drop(), carrier.close()]);
});

async function submitted(options: { resolution?: ReturnSubmission["resolution"]; method?: ReturnSubmission["method"]; reason?: ReturnSubmission["lines"][number]["reason"]; unitPriceMinor?: number } = {}) {
  const customer = await createReturnCustomer(database.db);
  const { order, lines, products } = await createDeliveredOrder(database.db, customer.user.id, { lines: [{ quantity: 2, unitPriceMinor: options.unitPriceMinor ?? 3000, taxMinor: 0 }] });
  const resolution = options.resolution ?? "REFUND";
  const outcome = await submitReturn(database.db, {
    userId: customer.user.id,
    actor: customer.actor,
    journeyId: crypto.randomUUID(),
    request: {
      orderNumber: order.number,
      idempotencyKey: crypto.randomUUID(),
      resolution,
      method: options.method ?? "DROP_OFF",
      lines: [{ lineId: lines[0].id, quantity: 1, reason: options.reason ?? "damaged", note: null, photo: null, exchangeVariantId: resolution === "EXCHANGE" ? products[0].variants[1].id : null }],
    },
  });
  if (!outcome.ok) throw new Error(`return refused: ${outcome.code}`);
  return { customer, order, line: lines[0], exchangeVariant: products[0].variants[1], returnId: outcome.returnId, number: outcome.returnNumber };
}

let eventSerial = 0;
function event(reference: string, type: "return.in_transit" | "return.received" | "return.inspected", id = `evt_${++eventSerial}_${crypto.randomUUID().slice(0, 6)}`) {
  return { id, type, occurredAt: new Date().toISOString(), data: { reference } };
}

const statusOf = async (returnId: string) => (await database.db.return.findUniqueOrThrow({ where: { id: returnId } })).status;
const historyOf = async (returnId: string) => (await database.db.returnStatusChange.findMany({ where: { returnId }, orderBy: [{ at: "asc" }, { id: "asc" }] })).map((h) => h.to);

describe("the label", () => {
  // Generous: on a loaded machine a booking that timed out would be retried, which is not what these tests are about.
  const config = () => ({ baseUrl: carrier.url, apiKey: null, timeoutMs: 120_000 });

  it("is booked once with the carrier, however often it is asked for", async () => {
    const { returnId, number } = await submitted({ method: "LABEL" });
    await Promise.all([bookLabel(database.db, config(), returnId), bookLabel(database.db, config(), returnId)]);
    await bookLabel(database.db, config(), returnId);
    const bookings = carrier.bookings().filter((b) => b.reference === number);
    expect(bookings).toHaveLength(1);
    expect(bookings[0].method).toBe("LABEL");
    const ret = await database.db.return.findUniqueOrThrow({ where: { id: returnId } });
    expect(ret.carrierCode).toBe(bookings[0].trackingNumber);
    // The customer hears of the submission, then of the label, once each however often it was booked.
    const messages = await database.db.notification.findMany({ where: { userId: ret.userId! }, orderBy: { createdAt: "asc" } });
    expect(messages.map((m) => [m.type, (m.data as { returnNumber: string }).returnNumber])).toEqual([["return_submitted", number], ["return_label_ready", number]]);
    expect(messages[1].data).toMatchObject({ method: "LABEL", code: bookings[0].trackingNumber });
  });

  it("uses the drop-off code for a drop-off", async () => {
    const { returnId, number } = await submitted({ method: "DROP_OFF" });
    await bookLabel(database.db, config(), returnId);
    const booking = carrier.bookings().find((b) => b.reference === number)!;
    expect(await database.db.return.findUniqueOrThrow({ where: { id: returnId } })).toMatchObject({ carrierCode: booking.dropOffCode, pickupDate: null });
  });

  it("keeps the day the carrier collects a pickup, and tells it to the customer that day wherever they are", async () => {
    const { returnId, number, customer } = await submitted({ method: "PICKUP" });
    await bookLabel(database.db, config(), returnId);
    const booking = carrier.bookings().find((b) => b.reference === number)!;
    expect(booking.pickupDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await database.db.return.findUniqueOrThrow({ where: { id: returnId } })).pickupDate?.toISOString()).toBe(`${booking.pickupDate}T00:00:00.000Z`);
    const day = new Date(`${booking.pickupDate}T12:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
    // West of London the carrier's day must not become the evening before.
    const [told] = await customerMessages(database.db, customer.user.id, { timeZone: "America/Los_Angeles" });
    expect(told.subject).toBe(`Your pickup booking for return ${number} is ready`);
    expect(told.paragraphs[0]).toBe(`The carrier collects the parcel from your address on ${day}.`);
  });

  it("waits in the outbox while the carrier is down, and arrives once it is back", async () => {
    const { returnId } = await submitted({ method: "LABEL" });
    await database.db.outboxMessage.updateMany({ where: { dedupeKey: `carrier-label:${returnId}` }, data: { nextAttemptAt: new Date(0) } });
    carrier.setDown(true);
    try {
      expect(await deliverDue(database.db, CARRIER_LABEL_TOPIC, labelHandler(database.db, config()))).toMatchObject({ delivered: 0, failed: expect.any(Number) });
      expect((await database.db.return.findUniqueOrThrow({ where: { id: returnId } })).carrierCode).toBeNull();
    } finally {
      carrier.setDown(false);
    }
    await database.db.outboxMessage.updateMany({ where: { topic: CARRIER_LABEL_TOPIC, status: "PENDING" }, data: { nextAttemptAt: new Date(0) } });
    await deliverDue(database.db, CARRIER_LABEL_TOPIC, labelHandler(database.db, config()));
    expect((await database.db.return.findUniqueOrThrow({ where: { id: returnId } })).carrierCode).toMatch(/^PR\d+$/);
  });
});

describe("warehouse and carrier events", () => {
  it("move a refund return forward, queue one refund on receipt, and settle when Stripe does", async () => {
    const { returnId, number, order, line } = await submitted();
    expect(await applyCarrierEvent(database.db, event(number, "return.in_transit"))).toBe("applied");
    const received = event(number, "return.received");
    expect(await applyCarrierEvent(database.db, received)).toBe("applied");
    // A replay of the same event, and a late "in transit", change nothing.
    expect(await applyCarrierEvent(database.db, received)).toBe("duplicate");
    expect(await applyCarrierEvent(database.db, { ...received, id: `${received.id}-again` })).toBe("ignored");
    expect(await applyCarrierEvent(database.db, event(number, "return.in_transit"))).toBe("ignored");
    expect(await statusOf(returnId)).toBe("RECEIVED");

    const refunds = await database.db.refund.findMany({ where: { orderId: order.id } });
    expect(refunds).toEqual([expect.objectContaining({ returnId, amountMinor: 3000, status: "PENDING", idempotencyKey: `return:${returnId}` })]);
    expect(await database.db.outboxMessage.count({ where: { topic: "stripe.refund", dedupeKey: `refund:${refunds[0].id}` } })).toBe(1);

    // Nothing to settle until Stripe says so.
    expect(await settleRefundedReturns(database.db)).toBe(0);
    await database.db.refund.update({ where: { id: refunds[0].id }, data: { status: "SUCCEEDED", settledAt: new Date() } });
    expect(await settleRefundedReturns(database.db)).toBe(1);
    expect(await settleRefundedReturns(database.db)).toBe(0);
    expect(await historyOf(returnId)).toEqual(["REQUESTED", "APPROVED", "IN_TRANSIT", "RECEIVED", "REFUNDED"]);
    expect(await database.db.orderLine.findUniqueOrThrow({ where: { id: line.id } })).toMatchObject({ returnedQuantity: 1 });
    // Inspection reported after the refund settled is too late to change anything.
    expect(await applyCarrierEvent(database.db, event(number, "return.inspected"))).toBe("ignored");
  });

  it("walk through a step whose event was lost", async () => {
    const { returnId, number } = await submitted();
    expect(await applyCarrierEvent(database.db, event(number, "return.inspected"))).toBe("applied");
    expect(await historyOf(returnId)).toEqual(["REQUESTED", "APPROVED", "IN_TRANSIT", "RECEIVED", "INSPECTED"]);
    expect(await database.db.refund.count({ where: { returnId } })).toBe(1);
  });

  it("credit the store-credit ledger once on receipt, bonus included", async () => {
    const { returnId, number, customer } = await submitted({ resolution: "STORE_CREDIT" });
    await database.db.return.update({ where: { id: returnId }, data: { bonusMinor: 300 } });
    await Promise.all([applyCarrierEvent(database.db, event(number, "return.received")), applyCarrierEvent(database.db, event(number, "return.received"))]);
    expect(await statusOf(returnId)).toBe("CREDITED");
    expect(await database.db.$transaction((tx) => creditBalance(tx, customer.user.id, "GBP"))).toBe(3300);
    expect(await database.db.storeCreditEntry.count({ where: { returnId } })).toBe(1);
    expect(await database.db.refund.count({ where: { returnId } })).toBe(0);
    // One event, one message: the arrival tells the credit and the new balance; no "store credit added" beside it.
    const told = await database.db.notification.findMany({ where: { userId: customer.user.id, type: { in: ["return_received", "store_credit_granted"] } } });
    expect(told.map((m) => [m.type, m.data])).toEqual([["return_received", { returnNumber: number, resolution: "STORE_CREDIT", credit: { amountMinor: 3300, currency: "GBP", balanceMinor: 3300 } }]]);
  });

  it("ship the reserved exchange variant on receipt", async () => {
    const { returnId, number, exchangeVariant } = await submitted({ resolution: "EXCHANGE", reason: "wrong_size" });
    expect(await database.db.variant.findUniqueOrThrow({ where: { id: exchangeVariant.id } })).toMatchObject({ stock: 5, reserved: 1 });
    await applyCarrierEvent(database.db, event(number, "return.received"));
    expect(await statusOf(returnId)).toBe("EXCHANGED");
    expect(await database.db.variant.findUniqueOrThrow({ where: { id: exchangeVariant.id } })).toMatchObject({ stock: 4, reserved: 0 });
  });

  it("ignore events for a return that is unknown or still held for review", async () => {
    expect(await applyCarrierEvent(database.db, event("RT-999999", "return.received"))).toBe("unknown_return");
    const { returnId, number } = await submitted({ unitPriceMinor: 30_000 });
    expect(await statusOf(returnId)).toBe("HELD_FOR_REVIEW");
    expect(await applyCarrierEvent(database.db, event(number, "return.received"))).toBe("ignored");
    expect(await database.db.refund.count({ where: { returnId } })).toBe(0);
  });

  it("send a fee an agent waived after receipt back as its own refund", async () => {
    const { returnId, number, order } = await submitted({ method: "LABEL", reason: "changed_mind" });
    await applyCarrierEvent(database.db, event(number, "return.received"));
    const outcome = await waiveReturnFee(database.db, { agentId, returnNumber: number, feeCode: "return_shipping", justification: "Label fee waived as a goodwill gesture" });
    expect(outcome).toMatchObject({ ok: true, refundedMinor: 295 });
    const refunds = await database.db.refund.findMany({ where: { orderId: order.id }, orderBy: { createdAt: "asc" } });
    expect(refunds.map((r) => [r.amountMinor, r.reason])).toEqual([[2705, "return"], [295, "fee_waived"]]);
    expect(await database.db.return.findUniqueOrThrow({ where: { id: returnId } })).toMatchObject({ feeMinor: 0, refundMinor: 3000 });
  });
});

describe("calling off the carrier's booking of a cancelled return", () => {
  const config = () => ({ baseUrl: carrier.url, apiKey: null, timeoutMs: 120_000 });
  const callOffs = () => deliverDue(database.db, CARRIER_CANCEL_TOPIC, callOffHandler(database.db, config()));
  // Due now, as a retry after its backoff would be.
  const retryNow = () => database.db.outboxMessage.updateMany({ where: { topic: CARRIER_CANCEL_TOPIC, status: "PENDING" }, data: { nextAttemptAt: new Date(0) } });

  async function bookedThenCancelled(method: ReturnSubmission["method"]) {
    const ret = await submitted({ method });
    await bookLabel(database.db, config(), ret.returnId);
    expect(await cancelReturn(database.db, { userId: ret.customer.user.id, returnNumber: ret.number, journeyId: crypto.randomUUID(), actor: ret.customer.actor })).toEqual({ ok: true });
    return ret;
  }
  /** What the return's page reads: where the call-off stands, its notice, and the progress lines. */
  async function page(customer: { user: { id: string } }, number: string) {
    const ret = (await customerReturn(database.db, customer.user.id, number))!;
    const callOff = cancelledParcel(ret);
    return { callOff, notice: callOff && cancelledParcelNotice(callOff, ret.method), progress: ret.history.map(historyLabel) };
  }
  const bookingOf = (number: string) => carrier.bookings().find((b) => b.reference === number)!;

  it("cancels a booked pickup with the carrier once, and the return's page says so", async () => {
    const { number, customer } = await bookedThenCancelled("PICKUP");
    expect(await page(customer, number)).toMatchObject({ callOff: "pending", notice: "We are asking the carrier to call off the pickup. If they come to collect the parcel anyway, there is nothing to hand over." });
    await callOffs();
    await retryNow();
    await callOffs();
    expect(bookingOf(number)).toMatchObject({ state: "cancelled", cancelRequests: 1 });
    expect(await page(customer, number)).toEqual({
      callOff: "cancelled",
      notice: "The carrier has called off the pickup: nobody comes to collect the parcel.",
      progress: ["Requested", "Approved", "Cancelled", "Carrier booking called off"],
    });
  });

  it("waits while the carrier is down, the page saying the label is still being cancelled, and cancels it once the carrier is back", async () => {
    const { number, customer, returnId } = await bookedThenCancelled("LABEL");
    carrier.setDown(true);
    try {
      expect(await callOffs()).toMatchObject({ delivered: 0, failed: expect.any(Number) });
      expect(bookingOf(number).state).toBe("booked");
      expect(await page(customer, number)).toMatchObject({ callOff: "pending", notice: "We are asking the carrier to cancel the label. Please do not use it." });
      // /agent/health counts it on the carrier's row, failing and retried.
      expect(await database.db.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: `carrier-cancel:${returnId}` } })).toMatchObject({ status: "PENDING", lastError: "carrier answered 503" });
      expect((await outboxQueueStats(database.db)).get(CARRIER_CANCEL_TOPIC)).toMatchObject({ failing: expect.any(Number) });
    } finally {
      carrier.setDown(false);
    }
    await retryNow();
    await callOffs();
    expect(bookingOf(number)).toMatchObject({ state: "cancelled" });
    expect(await page(customer, number)).toMatchObject({ callOff: "cancelled", notice: "The carrier has cancelled the label: it no longer works." });
  });

  it("keeps the carrier's refusal when the parcel is already moving, tells the customer so, and gives an agent a case", async () => {
    const { number, customer, returnId } = await submitted({ method: "DROP_OFF" });
    await bookLabel(database.db, config(), returnId);
    // Handed in at the shop between the page's last look and the cancel.
    carrier.collect(number);
    await cancelReturn(database.db, { userId: customer.user.id, returnNumber: number, journeyId: crypto.randomUUID(), actor: customer.actor });
    await callOffs();
    await retryNow();
    await callOffs();
    expect(bookingOf(number)).toMatchObject({ state: "collected", cancelRequests: 1 });
    expect(await page(customer, number)).toEqual({
      callOff: "parcel_moving",
      notice: "The carrier already had the parcel when we asked to call off the drop-off code, so it is on its way to us. One of our team will contact you about sending it back to you.",
      progress: ["Requested", "Approved", "Cancelled", "The carrier already had the parcel"],
    });
    // Answered: not retried, and never lost.
    expect(await database.db.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: `carrier-cancel:${returnId}` } })).toMatchObject({ status: "DELIVERED" });
    expect(await database.db.case.findMany({ where: { returnId, status: "OPEN" }, select: { reason: true, userId: true } })).toEqual([{ reason: "return_call_off_refused", userId: customer.user.id }]);
  });

  it("keeps a parcel that reaches the warehouse after the return was cancelled, tells the customer our team will be in touch, and gives an agent one case however often it is said", async () => {
    const { number, customer, returnId, order } = await bookedThenCancelled("LABEL");
    await callOffs();
    // The customer sent it all the same, with the label the carrier had cancelled.
    const received = event(number, "return.received");
    expect(await applyCarrierEvent(database.db, received)).toBe("after_cancellation");
    expect(await applyCarrierEvent(database.db, received)).toBe("duplicate");
    expect(await applyCarrierEvent(database.db, { ...received, id: `${received.id}-again` })).toBe("ignored");
    expect(await applyCarrierEvent(database.db, event(number, "return.inspected"))).toBe("ignored");
    expect(await statusOf(returnId)).toBe("CANCELLED");
    expect(await page(customer, number)).toEqual({
      callOff: "arrived",
      notice: "Your parcel reached our warehouse after this return was cancelled. One of our team will contact you about sending it back to you.",
      progress: ["Requested", "Approved", "Cancelled", "Carrier booking called off", "Reached our warehouse after the cancellation"],
    });
    expect(await database.db.case.findMany({ where: { returnId }, select: { reason: true, status: true, orderId: true } })).toEqual([{ reason: "return_call_off_refused", status: "OPEN", orderId: order.id }]);
    // Nothing is settled for a return that was cancelled: no refund, no item counted as returned.
    expect(await database.db.refund.count({ where: { returnId } })).toBe(0);
  });

  it("keeps a parcel collected after a refused call-off and then received, in the one case the refusal opened", async () => {
    const { number, customer, returnId } = await submitted({ method: "PICKUP" });
    await bookLabel(database.db, config(), returnId);
    carrier.collect(number);
    await cancelReturn(database.db, { userId: customer.user.id, returnNumber: number, journeyId: crypto.randomUUID(), actor: customer.actor });
    await callOffs();
    expect(await applyCarrierEvent(database.db, event(number, "return.in_transit"))).toBe("after_cancellation");
    expect((await page(customer, number)).notice).toBe("The carrier collected the parcel after this return was cancelled, so it is on its way to us. One of our team will contact you about sending it back to you.");
    expect(await applyCarrierEvent(database.db, event(number, "return.received"))).toBe("after_cancellation");
    expect(await page(customer, number)).toMatchObject({
      callOff: "arrived",
      progress: ["Requested", "Approved", "Cancelled", "The carrier already had the parcel", "Collected by the carrier after the cancellation", "Reached our warehouse after the cancellation"],
    });
    expect(await database.db.case.count({ where: { returnId } })).toBe(1);
  });

  it("calls off a booking that lands after the return was cancelled, and tells no label", async () => {
    const { number, customer, returnId } = await submitted({ method: "LABEL" });
    // The cancel commits while the carrier books: the booking's answer finds the return cancelled.
    const booking = await database.db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT 1 FROM "Return" WHERE "id" = ${returnId} FOR UPDATE`;
      const inFlight = bookLabel(database.db, config(), returnId);
      await expect.poll(() => carrier.bookings().some((b) => b.reference === number)).toBe(true);
      await tx.return.update({ where: { id: returnId }, data: { status: "CANCELLED" } });
      return { inFlight };
    });
    await booking.inFlight;
    expect(await database.db.return.findUniqueOrThrow({ where: { id: returnId } })).toMatchObject({ carrierCode: null });
    await callOffs();
    expect(bookingOf(number).state).toBe("cancelled");
    expect((await database.db.notification.findMany({ where: { userId: customer.user.id } })).map((m) => m.type)).toEqual(["return_submitted"]);
  });

  it("asks nothing of the carrier for a return cancelled before it was approved", async () => {
    const { number, customer, returnId } = await submitted({ method: "PICKUP", unitPriceMinor: 25_000 });
    expect(await statusOf(returnId)).toBe("HELD_FOR_REVIEW");
    await cancelReturn(database.db, { userId: customer.user.id, returnNumber: number, journeyId: crypto.randomUUID(), actor: customer.actor });
    expect(await database.db.outboxMessage.count({ where: { dedupeKey: { startsWith: `carrier-cancel:${returnId}` } } })).toBe(0);
    expect((await page(customer, number)).callOff).toBeNull();
    // Its review case closes with it, and the back office hears that as it hears any case closed: cancelled with its return.
    const review = await database.db.case.findFirstOrThrow({ where: { returnId } });
    expect(review).toMatchObject({ status: "CLOSED", outcome: "Return cancelled by the customer" });
    expect(await caseEventsOf(database.db, review.number)).toEqual(["case.opened", "case.closed: return_cancelled"]);
  });
});

describe("cancelling a return", () => {
  it("is possible until the parcel is on its way, gives back a reserved exchange unit, and is told once", async () => {
    const { returnId, number, customer, exchangeVariant, order } = await submitted({ resolution: "EXCHANGE", reason: "wrong_size" });
    const journeyId = crypto.randomUUID();
    expect(await cancelReturn(database.db, { userId: customer.user.id, returnNumber: number, journeyId, actor: customer.actor })).toEqual({ ok: true });
    // The same form sent again finds it cancelled: no second message.
    expect(await cancelReturn(database.db, { userId: customer.user.id, returnNumber: number, journeyId, actor: customer.actor })).toEqual({ ok: true });
    const [told, ...earlier] = await customerMessages(database.db, customer.user.id, { timeZone: null });
    expect(told).toMatchObject({ subject: `Return ${number} is cancelled`, action: { path: `/returns/${number}`, journey: "return_tracking" } });
    expect(told.paragraphs[0]).toBe(`Your return ${number} for order ${order.number} is cancelled, as you asked. The items stay with you, so please do not take them to a drop-off point with its code.`);
    expect(earlier.map((m) => m.subject)).toEqual([`Return ${number} is submitted`]);
    expect(await statusOf(returnId)).toBe("CANCELLED");
    expect(await database.db.variant.findUniqueOrThrow({ where: { id: exchangeVariant.id } })).toMatchObject({ reserved: 0 });
    expect((await database.db.trailEvent.findMany({ where: { journeyId }, orderBy: { occurredAt: "asc" } })).map((e) => `${e.step}:${e.kind}`)).toEqual(["confirmation:VIEWED", "confirmation:COMPLETED"]);
    // A late label booking or carrier scan no longer moves it (the scan is kept for an agent, above).
    expect(await applyCarrierEvent(database.db, event(number, "return.in_transit"))).toBe("after_cancellation");
    expect(await statusOf(returnId)).toBe("CANCELLED");
    await bookLabel(database.db, { baseUrl: carrier.url, apiKey: null }, returnId);
    expect(carrier.bookings().some((b) => b.reference === number)).toBe(false);
  });

  it("goes to the back office once, signed, with the return, its order, its method and who cancelled it", async () => {
    const backOffice = await startBackOfficeStandIn({ port: 0, secret: BACK_OFFICE_SECRET });
    try {
      const { number, customer, order } = await submitted({ method: "PICKUP" });
      const cancel = () => cancelReturn(database.db, { userId: customer.user.id, returnNumber: number, journeyId: crypto.randomUUID(), actor: customer.actor });
      await cancel();
      await cancel();
      await deliverBusinessEvents(database.db, { endpoints: [{ name: "erp", url: backOffice.endpointUrl("erp"), secret: BACK_OFFICE_SECRET, timeoutMs: 120_000 }] });
      const cancelled = backOffice.deliveries("erp").filter((d) => d.type === "return.cancelled" && (d.body as { data: { returnNumber: string } }).data.returnNumber === number);
      expect(cancelled).toHaveLength(1);
      expect(cancelled[0]).toMatchObject({ signature: "valid", status: 200, body: { data: { returnNumber: number, orderNumber: order.number, method: "PICKUP", cancelledBy: "customer" } } });
    } finally {
      await backOffice.close();
    }
  });

  it("is refused once it has shipped, and for someone else's return", async () => {
    const { returnId, number, customer } = await submitted();
    const stranger = await createReturnCustomer(database.db);
    expect(await cancelReturn(database.db, { userId: stranger.user.id, returnNumber: number, journeyId: crypto.randomUUID(), actor: stranger.actor })).toEqual({ ok: false, code: "return_not_found" });
    await applyCarrierEvent(database.db, event(number, "return.in_transit"));
    const journeyId = crypto.randomUUID();
    expect(await cancelReturn(database.db, { userId: customer.user.id, returnNumber: number, journeyId, actor: customer.actor })).toEqual({ ok: false, code: "already_on_its_way" });
    expect(await statusOf(returnId)).toBe("IN_TRANSIT");
    expect((await customerMessages(database.db, customer.user.id, { timeZone: null })).map((m) => m.subject)).not.toContain(`Return ${number} is cancelled`);
    const events = await database.db.outboxMessage.findMany({ where: { topic: BUSINESS_EVENT_TOPIC }, select: { payload: true } });
    expect(events.filter((e) => (e.payload as { type: string; data: { returnNumber?: string } }).data.returnNumber === number).map((e) => (e.payload as { type: string }).type)).toEqual(["return.created"]);
    expect((await database.db.trailEvent.findMany({ where: { journeyId }, orderBy: { occurredAt: "asc" } })).map((e) => `${e.step}:${e.kind}:${e.errorCode}`)).toEqual(["detail:VIEWED:null", "detail:ERROR:already_on_its_way"]);
  });
});

describe("partial refunds across several returns of one order", () => {
  it("never give back more than was paid", async () => {
    const customer = await createReturnCustomer(database.db);
    const { order, lines } = await createDeliveredOrder(database.db, customer.user.id, { lines: [{ quantity: 3, unitPriceMinor: 1000, taxMinor: 0 }], shippingMinor: 0 });
    // Part of the order was already refunded some other way (a problem report, say).
    await database.db.$transaction((tx) => tx.refund.create({ data: { orderId: order.id, amountMinor: 2500, currency: "GBP", status: "SUCCEEDED", reason: "problem_damaged", idempotencyKey: `problem:${order.id}` } }));
    const numbers: string[] = [];
    for (let i = 0; i < 2; i++) {
      const outcome = await submitReturn(database.db, {
        userId: customer.user.id, actor: customer.actor, journeyId: crypto.randomUUID(),
        request: { orderNumber: order.number, idempotencyKey: crypto.randomUUID(), resolution: "REFUND", method: "DROP_OFF", lines: [{ lineId: lines[0].id, quantity: 1, reason: "damaged", note: null, photo: null, exchangeVariantId: null }] },
      });
      if (!outcome.ok) throw new Error(outcome.code);
      numbers.push(outcome.returnNumber);
    }
    const amounts = await database.db.return.findMany({ where: { orderId: order.id }, orderBy: { createdAt: "asc" }, select: { refundMinor: true } });
    expect(amounts.map((a) => a.refundMinor)).toEqual([500, 0]);
    for (const number of numbers) await applyCarrierEvent(database.db, event(number, "return.received"));
    const refunded = await database.db.refund.aggregate({ where: { orderId: order.id }, _sum: { amountMinor: true } });
    expect(refunded._sum.amountMinor).toBe(3000);
  });
});

describe("the store-credit ledger", () => {
  it("never goes below zero, even when spends race", async () => {
    const customer = await createReturnCustomer(database.db);
    await database.db.$transaction((tx) => addCredit(tx, { userId: customer.user.id, amountMinor: 1000, currency: "GBP", reason: "return" }));
    const spends = await Promise.allSettled([1, 2, 3].map(() => database.db.$transaction((tx) => spendCredit(tx, { userId: customer.user.id, amountMinor: 600, currency: "GBP", reason: "balance" }))));
    expect(spends.filter((s) => s.status === "fulfilled")).toHaveLength(1);
    expect(spends.filter((s) => s.status === "rejected").every((s) => (s as PromiseRejectedResult).reason instanceof InsufficientCreditError)).toBe(true);
    expect(await database.db.$transaction((tx) => creditBalance(tx, customer.user.id, "GBP"))).toBe(400);
  });

  it("rolls a spend back with the rest of its transaction", async () => {
    const customer = await createReturnCustomer(database.db);
    await database.db.$transaction((tx) => addCredit(tx, { userId: customer.user.id, amountMinor: 1000, currency: "GBP", reason: "return" }));
    await expect(
      database.db.$transaction(async (tx) => {
        await spendCredit(tx, { userId: customer.user.id, amountMinor: 700, currency: "GBP", reason: "exchange" });
        throw new Error("the exchange failed");
      }),
    ).rejects.toThrow("the exchange failed");
    expect(await database.db.$transaction((tx) => creditBalance(tx, customer.user.id, "GBP"))).toBe(1000);
    await expect(database.db.$transaction((tx) => spendCredit(tx, { userId: customer.user.id, amountMinor: 10, currency: "EUR", reason: "balance" }))).rejects.toBeInstanceOf(InsufficientCreditError);
  });
});
