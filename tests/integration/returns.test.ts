// Submitting returns against a real PostgreSQL: the policy's verdict on what the database holds,
// idempotency and races, every bad input refused with nothing changed, review, policy versions
// and agents' overrides.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUSINESS_EVENT_TOPIC } from "@/lib/integrations/business-events";
import { customerMessages } from "@/lib/notify/message-centre";
import { DEFAULT_POLICY } from "@/lib/returns/policy";
import { publishPolicy } from "@/lib/returns/policy-store";
import { overrideForNextReturn, waiveReturnFee } from "@/lib/returns/overrides";
import { returnReviewSchema, reviewReturnForCase, waiveFeeForCase } from "@/lib/cases/agent-actions";
import { caseDetail, openCase } from "@/lib/cases/cases";
import { ruleSetAsideBy, ruleSetAsideHeading } from "@/lib/cases/labels";
import { reviewReturn } from "@/lib/returns/lifecycle";
import { customerReturns, loadReturnContext, returnableOrders, submitReturn, type ReturnSubmission } from "@/lib/returns/returns";
import { storePhoto } from "@/lib/returns/photos";
import { caseEventsOf } from "../support/business-events";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { createDeliveredOrder, createReturnCustomer } from "../support/returns-fixtures";

let database: FreshDatabase;
let agentId: string;
const uploads = fs.mkdtempSync(path.join(os.tmpdir(), "waymark-uploads-"));
const DAY = 86_400_000;

beforeAll(async () => {
  process.env.UPLOADS_DIR = uploads;
  database = await freshDatabase();
  agentId = (await database.db.user.create({ data: { name: "Alex Agent", email: `agent-${crypto.randomUUID()}@waymark.test`, role: "AGENT" } })).id;
});
afterAll(async () => {
  await database.drop();
  fs.rmSync(uploads, { recursive: true, force: true });
});

type Customer = Awaited<ReturnType<typeof createReturnCustomer>>;

function submit(customer: Customer, request: Omit<ReturnSubmission, "idempotencyKey"> & { idempotencyKey?: string }, journeyId = crypto.randomUUID()) {
  return submitReturn(database.db, { userId: customer.user.id, actor: customer.actor, journeyId, request: { idempotencyKey: crypto.randomUUID(), ...request } });
}

const line = (lineId: string, over: Partial<ReturnSubmission["lines"][number]> = {}): ReturnSubmission["lines"][number] => ({
  lineId, quantity: 1, reason: "damaged", note: null, photo: null, exchangeVariantId: null, ...over,
});

async function trailOf(journeyId: string) {
  const events = await database.db.trailEvent.findMany({ where: { journeyId }, orderBy: { occurredAt: "asc" } });
  return events.map((e) => `${e.journeyType}:${e.step}:${e.kind}${e.errorCode ? `:${e.errorCode}` : ""}`);
}

/** The business events queued for one return: type and data. */
async function businessEventsOf(returnNumber: string) {
  const rows = await database.db.outboxMessage.findMany({ where: { topic: BUSINESS_EVENT_TOPIC }, orderBy: { createdAt: "asc" }, select: { payload: true } });
  return rows.map((r) => r.payload as { type: string; data: { returnNumber?: string } }).filter((e) => e.data.returnNumber === returnNumber);
}

const messageTypes = async (userId: string) => (await database.db.notification.findMany({ where: { userId }, orderBy: { createdAt: "asc" } })).map((m) => m.type);

async function counts(orderId: string) {
  const [returns, outbox, reserved] = await Promise.all([
    database.db.return.count({ where: { orderId } }),
    database.db.outboxMessage.count({ where: { topic: { in: ["carrier.label", "stripe.refund"] } } }),
    database.db.variant.aggregate({ _sum: { reserved: true } }),
  ]);
  return { returns, outbox, reserved: reserved._sum.reserved };
}

describe("what a customer can return", () => {
  it("judges every line of an order with the active policy and says why a line cannot go back", async () => {
    const customer = await createReturnCustomer(database.db);
    const { order, lines } = await createDeliveredOrder(database.db, customer.user.id, {
      lines: [{ quantity: 2 }, { category: "gift-cards", finalSale: true }, { category: "beauty", hygiene: true }],
    });
    const context = (await loadReturnContext(database.db, customer.user.id, order.number))!;
    expect(context.policy.version).toBe(1);
    expect(context.eligibility.map((e) => [e.returnable, e.refusal?.code ?? null])).toEqual([[2, null], [0, "final_sale"], [0, "hygiene"]]);
    expect(context.lines[0].exchangeOptions).toEqual([expect.objectContaining({ label: "L", available: 5 })]);
    expect(context.eligibility[0].lineId).toBe(lines[0].id);
    // The policy row was written on first use.
    expect(await database.db.returnPolicyVersion.count()).toBe(1);
  });

  it("never shows another customer's order, and lists only orders with something returnable", async () => {
    const ada = await createReturnCustomer(database.db);
    const grace = await createReturnCustomer(database.db);
    const { order: recent } = await createDeliveredOrder(database.db, ada.user.id);
    await createDeliveredOrder(database.db, ada.user.id, { deliveredAt: new Date(Date.now() - 60 * DAY) });
    await createDeliveredOrder(database.db, ada.user.id, { lines: [{ finalSale: true }] });
    expect(await loadReturnContext(database.db, grace.user.id, recent.number)).toBeNull();
    expect((await returnableOrders(database.db, ada.user.id)).map((c) => c.order.number)).toEqual([recent.number]);
    expect(await returnableOrders(database.db, grace.user.id)).toEqual([]);
  });
});

describe("submitting a return", () => {
  it("creates an approved return judged by the policy version, queues the label and completes the journey", async () => {
    const customer = await createReturnCustomer(database.db);
    const { order, lines } = await createDeliveredOrder(database.db, customer.user.id, { lines: [{ quantity: 2, unitPriceMinor: 2500, taxMinor: 1000 }] });
    const journeyId = crypto.randomUUID();
    const outcome = await submit(customer, { orderNumber: order.number, resolution: "REFUND", method: "LABEL", lines: [line(lines[0].id, { reason: "changed_mind", note: "Too big" })] }, journeyId);
    expect(outcome).toMatchObject({ ok: true, status: "APPROVED", replayed: false, returnNumber: expect.stringMatching(/^RT-\d{6}$/) });
    const created = await database.db.return.findFirstOrThrow({ where: { orderId: order.id }, include: { lines: true, history: { orderBy: { id: "asc" } } } });
    // 25.00 + half of the 10.00 tax, minus the 2.95 label a change of mind pays for.
    expect(created).toMatchObject({ policyVersion: 1, refundMinor: 2705, feeMinor: 295, bonusMinor: 0, currency: "GBP", resolution: "REFUND", method: "LABEL" });
    expect(created.lines).toEqual([expect.objectContaining({ orderLineId: lines[0].id, quantity: 1, reason: "changed_mind", note: "Too big" })]);
    expect(created.history.map((h) => `${h.from ?? "-"}>${h.to}`)).toEqual(["->REQUESTED", "REQUESTED>APPROVED"]);
    expect(await database.db.outboxMessage.count({ where: { topic: "carrier.label", dedupeKey: `carrier-label:${created.id}` } })).toBe(1);
    expect(await database.db.refund.count({ where: { returnId: created.id } })).toBe(0);
    expect(await trailOf(journeyId)).toEqual(["return:confirmation:VIEWED", "return:confirmation:COMPLETED"]);
    // The rest of the line can still be returned; this unit is in an open return.
    const context = (await loadReturnContext(database.db, customer.user.id, order.number))!;
    expect(context.eligibility[0]).toMatchObject({ returnable: 1 });
  });

  it("is listed with as many items as the customer sends back, not as many lines", async () => {
    const customer = await createReturnCustomer(database.db);
    const { order, lines } = await createDeliveredOrder(database.db, customer.user.id, { lines: [{ quantity: 3 }, {}] });
    const outcome = await submit(customer, { orderNumber: order.number, resolution: "REFUND", method: "DROP_OFF", lines: [line(lines[0].id, { quantity: 2 }), line(lines[1].id)] });
    expect(outcome.ok).toBe(true);
    // Two of one and one of another: 3 items, where the list said "2 items".
    expect((await customerReturns(database.db, customer.user.id)).map((r) => r.itemCount)).toEqual([3]);
  });

  it("creates one return however often the same submission arrives, even at once", async () => {
    const customer = await createReturnCustomer(database.db);
    const { order, lines } = await createDeliveredOrder(database.db, customer.user.id);
    const request = { orderNumber: order.number, resolution: "REFUND" as const, method: "DROP_OFF" as const, lines: [line(lines[0].id)], idempotencyKey: crypto.randomUUID() };
    const outcomes = await Promise.all([submit(customer, request), submit(customer, request), submit(customer, request)]);
    expect(new Set(outcomes.map((o) => (o.ok ? o.returnNumber : o.code))).size).toBe(1);
    expect(outcomes.filter((o) => o.ok && !o.replayed)).toHaveLength(1);
    expect(await database.db.return.count({ where: { orderId: order.id } })).toBe(1);
  });

  it("lets only one of two tabs return the same item", async () => {
    const customer = await createReturnCustomer(database.db);
    const { order, lines } = await createDeliveredOrder(database.db, customer.user.id);
    const tab = () => submit(customer, { orderNumber: order.number, resolution: "REFUND", method: "DROP_OFF", lines: [line(lines[0].id)] });
    const outcomes = await Promise.all([tab(), tab()]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.find((o) => !o.ok)).toEqual({ ok: false, step: "items", code: "line_not_returnable" });
    expect(await database.db.return.count({ where: { orderId: order.id } })).toBe(1);
  });

  it("reserves the exchange variant, and never more than is free to sell", async () => {
    const customer = await createReturnCustomer(database.db);
    const { order, lines, products } = await createDeliveredOrder(database.db, customer.user.id, { lines: [{ quantity: 2, variants: [{ label: "M", stock: 0 }, { label: "L", stock: 1 }] }] });
    const large = products[0].variants[1];
    const two = await submit(customer, { orderNumber: order.number, resolution: "EXCHANGE", method: "DROP_OFF", lines: [line(lines[0].id, { quantity: 2, reason: "wrong_size", exchangeVariantId: large.id })] });
    expect(two).toEqual({ ok: false, step: "resolution", code: "exchange_out_of_stock" });
    const one = await submit(customer, { orderNumber: order.number, resolution: "EXCHANGE", method: "DROP_OFF", lines: [line(lines[0].id, { reason: "wrong_size", exchangeVariantId: large.id })] });
    expect(one).toMatchObject({ ok: true });
    expect(await database.db.variant.findUniqueOrThrow({ where: { id: large.id } })).toMatchObject({ stock: 1, reserved: 1 });
    const created = await database.db.return.findFirstOrThrow({ where: { orderId: order.id } });
    expect(created).toMatchObject({ refundMinor: 0, feeMinor: 0 });
    // The last unit is now held for this exchange: the next one is refused.
    const again = await submit(customer, { orderNumber: order.number, resolution: "EXCHANGE", method: "DROP_OFF", lines: [line(lines[0].id, { reason: "wrong_size", exchangeVariantId: large.id })] });
    expect(again).toEqual({ ok: false, step: "resolution", code: "exchange_out_of_stock" });
  });

  it("holds high-value returns for an agent, who approves them; the label is booked only then", async () => {
    const customer = await createReturnCustomer(database.db);
    const { order, lines } = await createDeliveredOrder(database.db, customer.user.id, { lines: [{ unitPriceMinor: 25_000 }] });
    const journeyId = crypto.randomUUID();
    const outcome = await submit(customer, { orderNumber: order.number, resolution: "REFUND", method: "DROP_OFF", lines: [line(lines[0].id)] }, journeyId);
    expect(outcome).toMatchObject({ ok: true, status: "HELD_FOR_REVIEW" });
    if (!outcome.ok) throw new Error("unreachable");
    const held = await database.db.case.findFirstOrThrow({ where: { returnId: outcome.returnId } });
    expect(held).toMatchObject({ channel: "PORTAL", reason: "return_review:high_value", journeyId, status: "OPEN" });
    expect(await database.db.outboxMessage.count({ where: { dedupeKey: `carrier-label:${outcome.returnId}` } })).toBe(0);

    expect(await reviewReturn(database.db, { agentId, returnNumber: outcome.returnNumber, approve: true, note: "Checked the order history" })).toEqual({ ok: true });
    expect(await database.db.return.findUniqueOrThrow({ where: { id: outcome.returnId } })).toMatchObject({ status: "APPROVED" });
    expect(await database.db.outboxMessage.count({ where: { dedupeKey: `carrier-label:${outcome.returnId}` } })).toBe(1);
    expect(await database.db.case.findUniqueOrThrow({ where: { id: held.id } })).toMatchObject({ status: "RESOLVED", outcome: "Return approved", assignedToId: agentId });
    // Closed as an agent's resolution is: the back office, told the case was opened, hears it closed.
    expect(await caseEventsOf(database.db, held.number)).toEqual(["case.opened", "case.closed: return_approved"]);
    expect(await reviewReturn(database.db, { agentId, returnNumber: outcome.returnNumber, approve: false, note: "again" })).toEqual({ ok: false, code: "not_held_for_review" });
    // The back office, told the return was created held, hears it was approved (the label's message follows the booking).
    expect((await businessEventsOf(outcome.returnNumber)).map((e) => e.type)).toEqual(["return.created", "return.approved"]);
    expect((await businessEventsOf(outcome.returnNumber))[1].data).toEqual({ returnNumber: outcome.returnNumber, orderNumber: order.number, method: "DROP_OFF", approvedBy: "agent" });
    expect(await messageTypes(customer.user.id)).toEqual(["return_submitted"]);
  });

  it("is decided from the case it opened: a decline needs a reason the customer can read, and a case decides only its own return", async () => {
    const customer = await createReturnCustomer(database.db);
    const { order, lines } = await createDeliveredOrder(database.db, customer.user.id, { lines: [{ unitPriceMinor: 25_000 }] });
    const outcome = await submit(customer, { orderNumber: order.number, resolution: "REFUND", method: "DROP_OFF", lines: [line(lines[0].id)] });
    if (!outcome.ok) throw new Error("refused");
    const held = await database.db.case.findFirstOrThrow({ where: { returnId: outcome.returnId } });
    expect(returnReviewSchema.safeParse({ decision: "DECLINE", note: "No." }).error?.issues.map((i) => i.message)).toEqual(["Say why, in a sentence the customer will read."]);
    expect(returnReviewSchema.parse({ decision: "APPROVE", note: "" })).toEqual({ decision: "APPROVE", note: null });
    // Another case of the same customer names no return: nothing is decided through it.
    const chat = await openCase(database.db, { userId: customer.user.id, channel: "CHAT", reason: "complaint" });
    expect(await reviewReturnForCase(database.db, { caseNumber: chat.number, agentId, request: { decision: "APPROVE", note: null } })).toEqual({ ok: false, code: "no_return_to_review" });
    expect(await database.db.return.findUniqueOrThrow({ where: { id: outcome.returnId } })).toMatchObject({ status: "HELD_FOR_REVIEW" });

    const accept = () => reviewReturnForCase(database.db, { caseNumber: held.number, agentId, request: { decision: "APPROVE", note: null } });
    expect(await accept()).toEqual({ ok: true });
    expect(await database.db.return.findUniqueOrThrow({ where: { id: outcome.returnId } })).toMatchObject({ status: "APPROVED" });
    expect(await database.db.case.findUniqueOrThrow({ where: { id: held.id } })).toMatchObject({ status: "RESOLVED", outcome: "Return approved" });
    expect(await accept()).toEqual({ ok: false, code: "not_held_for_review" });
  });

  it("is offered for review on its case however many returns the customer made since", async () => {
    const customer = await createReturnCustomer(database.db);
    const { order, lines } = await createDeliveredOrder(database.db, customer.user.id, { lines: [{ unitPriceMinor: 25_000 }] });
    const outcome = await submit(customer, { orderNumber: order.number, resolution: "REFUND", method: "DROP_OFF", lines: [line(lines[0].id)] });
    if (!outcome.ok) throw new Error("refused");
    const held = await database.db.case.findFirstOrThrow({ where: { returnId: outcome.returnId } });
    // Eleven later returns: more than the case page lists.
    for (let i = 1; i <= 11; i++) {
      await database.db.return.create({
        data: { number: `RT-L${crypto.randomUUID().slice(0, 8)}`, orderId: order.id, userId: customer.user.id, status: "APPROVED", resolution: "REFUND", method: "DROP_OFF", policyVersion: 1, refundMinor: 0, currency: "GBP", idempotencyKey: crypto.randomUUID(), createdAt: new Date(Date.now() + i * 60_000) },
      });
    }
    const detail = await caseDetail(database.db, held.number);
    expect(detail?.returns.map((r) => r.number)).not.toContain(outcome.returnNumber);
    expect(detail?.returnToReview).toBe(outcome.returnNumber);
    await reviewReturnForCase(database.db, { caseNumber: held.number, agentId, request: { decision: "APPROVE", note: null } });
    expect((await caseDetail(database.db, held.number))?.returnToReview).toBeNull();
  });

  it("tells the customer a declined return, with the agent's reason, once; the back office hears of it", async () => {
    const customer = await createReturnCustomer(database.db);
    const { order, lines } = await createDeliveredOrder(database.db, customer.user.id, { lines: [{ unitPriceMinor: 25_000 }] });
    const outcome = await submit(customer, { orderNumber: order.number, resolution: "REFUND", method: "PICKUP", lines: [line(lines[0].id)] });
    if (!outcome.ok) throw new Error("refused");
    const decline = () => reviewReturn(database.db, { agentId, returnNumber: outcome.returnNumber, approve: false, note: "  The photo shows wear from use, which the policy does not cover. " });
    expect(await decline()).toEqual({ ok: true });
    expect(await decline()).toEqual({ ok: false, code: "not_held_for_review" });
    // The return's message tells the customer; the case's closing is not told to them again.
    expect(await messageTypes(customer.user.id)).toEqual(["return_submitted", "return_declined"]);
    const held = await database.db.case.findFirstOrThrow({ where: { returnId: outcome.returnId } });
    expect(held).toMatchObject({ status: "RESOLVED", outcome: "Return declined" });
    expect(await caseEventsOf(database.db, held.number)).toEqual(["case.opened", "case.closed: return_declined"]);
    const [told] = await customerMessages(database.db, customer.user.id, { timeZone: null });
    expect(told).toMatchObject({ subject: `We cannot accept return ${outcome.returnNumber}`, action: { path: `/returns/${outcome.returnNumber}` } });
    expect(told.paragraphs).toEqual([
      `We have checked your return ${outcome.returnNumber} for order ${order.number} and cannot accept it. Our team's reason: “The photo shows wear from use, which the policy does not cover.”`,
      "The items stay with you, so please do not send them back. Nothing is refunded and nothing is charged.",
      "Think we got it wrong? Reply from the Help page and one of our team will look at it again.",
    ]);
    expect((await businessEventsOf(outcome.returnNumber)).map((e) => [e.type, e.data])).toEqual([
      ["return.created", expect.objectContaining({ held: true })],
      ["return.declined", { returnNumber: outcome.returnNumber, orderNumber: order.number, method: "PICKUP", declinedBy: "agent" }],
    ]);
    expect(await database.db.outboxMessage.count({ where: { dedupeKey: `carrier-label:${outcome.returnId}` } })).toBe(0);
  });

  it("tells a declined return without a reason when the agent gave none", async () => {
    const customer = await createReturnCustomer(database.db);
    const { order, lines } = await createDeliveredOrder(database.db, customer.user.id, { lines: [{ unitPriceMinor: 25_000 }] });
    const outcome = await submit(customer, { orderNumber: order.number, resolution: "REFUND", method: "LABEL", lines: [line(lines[0].id)] });
    if (!outcome.ok) throw new Error("refused");
    await reviewReturn(database.db, { agentId, returnNumber: outcome.returnNumber, approve: false, note: " " });
    const [told] = await customerMessages(database.db, customer.user.id, { timeZone: null });
    expect(told.paragraphs[0]).toBe(`We have checked your return ${outcome.returnNumber} for order ${order.number} and cannot accept it.`);
  });

  it("sends a customer with unusually many recent returns to review", async () => {
    const customer = await createReturnCustomer(database.db);
    for (let i = 0; i < 5; i++) {
      const { order, lines } = await createDeliveredOrder(database.db, customer.user.id);
      expect(await submit(customer, { orderNumber: order.number, resolution: "REFUND", method: "DROP_OFF", lines: [line(lines[0].id)] })).toMatchObject({ ok: true, status: "APPROVED" });
    }
    const { order, lines } = await createDeliveredOrder(database.db, customer.user.id);
    expect(await submit(customer, { orderNumber: order.number, resolution: "REFUND", method: "DROP_OFF", lines: [line(lines[0].id)] })).toMatchObject({ ok: true, status: "HELD_FOR_REVIEW" });
  });

  it("attaches a photo the customer uploaded, and refuses one they did not", async () => {
    const customer = await createReturnCustomer(database.db);
    const other = await createReturnCustomer(database.db);
    const { order, lines } = await createDeliveredOrder(database.db, customer.user.id);
    const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
    const theirs = await storePhoto(other.user.id, png, uploads);
    if (!theirs.ok) throw new Error("photo not stored");
    expect(await submit(customer, { orderNumber: order.number, resolution: "REFUND", method: "DROP_OFF", lines: [line(lines[0].id, { photo: theirs.token })] })).toEqual({ ok: false, step: "items", code: "photo_missing" });
    const mine = await storePhoto(customer.user.id, png, uploads);
    if (!mine.ok) throw new Error("photo not stored");
    expect(await submit(customer, { orderNumber: order.number, resolution: "REFUND", method: "DROP_OFF", lines: [line(lines[0].id, { photo: mine.token })] })).toMatchObject({ ok: true });
    const stored = await database.db.returnLine.findFirstOrThrow({ where: { orderLineId: lines[0].id } });
    expect(stored.photoPath).toBe(`returns/${customer.user.id}/${mine.token}`);
  });
});

describe("bad requests change nothing and leave a failed step in the trail", () => {
  it.each([
    ["a line from another customer's order", "unknown_line"],
    ["more than was bought", "quantity_too_high"],
    ["a line whose window has closed", "line_not_returnable"],
    ["a final-sale line", "line_not_returnable"],
    ["pickup where it is not offered", "method_not_offered"],
    ["an order that is not theirs", "order_not_found"],
  ])("refuses %s", async (what, code) => {
    const customer = await createReturnCustomer(database.db);
    const other = await createReturnCustomer(database.db);
    const { order, lines } = await createDeliveredOrder(database.db, customer.user.id, { lines: [{ quantity: 2 }, { finalSale: true }] });
    const { order: oldOrder, lines: oldLines } = await createDeliveredOrder(database.db, customer.user.id, { deliveredAt: new Date(Date.now() - 31 * DAY) });
    const { order: usOrder, lines: usLines } = await createDeliveredOrder(database.db, customer.user.id, { country: "US", currency: "USD" });
    const { order: theirOrder, lines: theirLines } = await createDeliveredOrder(database.db, other.user.id);
    const requests: Record<string, Omit<ReturnSubmission, "idempotencyKey">> = {
      "a line from another customer's order": { orderNumber: order.number, resolution: "REFUND", method: "DROP_OFF", lines: [line(theirLines[0].id)] },
      "more than was bought": { orderNumber: order.number, resolution: "REFUND", method: "DROP_OFF", lines: [line(lines[0].id, { quantity: 3 })] },
      "a line whose window has closed": { orderNumber: oldOrder.number, resolution: "REFUND", method: "DROP_OFF", lines: [line(oldLines[0].id)] },
      "a final-sale line": { orderNumber: order.number, resolution: "REFUND", method: "DROP_OFF", lines: [line(lines[1].id)] },
      "pickup where it is not offered": { orderNumber: usOrder.number, resolution: "REFUND", method: "PICKUP", lines: [line(usLines[0].id)] },
      "an order that is not theirs": { orderNumber: theirOrder.number, resolution: "REFUND", method: "DROP_OFF", lines: [line(theirLines[0].id)] },
    };
    const before = await counts(order.id);
    const journeyId = crypto.randomUUID();
    const outcome = await submit(customer, requests[what], journeyId);
    expect(outcome).toMatchObject({ ok: false, code });
    expect(await database.db.return.count({ where: { userId: { in: [customer.user.id, other.user.id] } } })).toBe(0);
    expect(await counts(order.id)).toEqual(before);
    const step = code === "method_not_offered" ? "method" : "items";
    expect(await trailOf(journeyId)).toEqual([`return:${step}:VIEWED`, `return:${step}:ERROR:${code}`]);
  });

  it("refuses a resolution the policy does not allow, even when the form is forged", async () => {
    const customer = await createReturnCustomer(database.db);
    const { order, lines, products } = await createDeliveredOrder(database.db, customer.user.id);
    await publishPolicy(database.db, { ...DEFAULT_POLICY.rules, resolutions: { default: ["REFUND", "STORE_CREDIT", "EXCHANGE"], byCategory: { apparel: ["REFUND"] } } });
    try {
      const journeyId = crypto.randomUUID();
      const outcome = await submit(customer, { orderNumber: order.number, resolution: "EXCHANGE", method: "DROP_OFF", lines: [line(lines[0].id, { exchangeVariantId: products[0].variants[1].id })] }, journeyId);
      expect(outcome).toEqual({ ok: false, step: "resolution", code: "resolution_not_allowed" });
      expect(await trailOf(journeyId)).toEqual(["return:resolution:VIEWED", "return:resolution:ERROR:resolution_not_allowed"]);
      expect(await database.db.variant.findUniqueOrThrow({ where: { id: products[0].variants[1].id } })).toMatchObject({ reserved: 0 });
      expect(await submit(customer, { orderNumber: order.number, resolution: "STORE_CREDIT", method: "DROP_OFF", lines: [line(lines[0].id)] })).toEqual({ ok: false, step: "resolution", code: "resolution_not_allowed" });
    } finally {
      await publishPolicy(database.db, DEFAULT_POLICY.rules);
    }
  });
});

describe("policy versions and overrides", () => {
  it("applies a new policy to new returns only", async () => {
    const customer = await createReturnCustomer(database.db);
    const { order, lines } = await createDeliveredOrder(database.db, customer.user.id, { lines: [{ quantity: 2, unitPriceMinor: 2000, taxMinor: 0 }] });
    const first = await submit(customer, { orderNumber: order.number, resolution: "STORE_CREDIT", method: "DROP_OFF", lines: [line(lines[0].id)] });
    const v2 = await publishPolicy(database.db, { ...DEFAULT_POLICY.rules, storeCreditBonusPercent: 10 });
    try {
      const second = await submit(customer, { orderNumber: order.number, resolution: "STORE_CREDIT", method: "DROP_OFF", lines: [line(lines[0].id)] });
      const rows = await database.db.return.findMany({ where: { orderId: order.id }, orderBy: { createdAt: "asc" }, select: { number: true, policyVersion: true, bonusMinor: true } });
      expect(rows).toEqual([
        { number: first.ok ? first.returnNumber : "", policyVersion: v2.version - 1, bonusMinor: 0 },
        { number: second.ok ? second.returnNumber : "", policyVersion: v2.version, bonusMinor: 200 },
      ]);
    } finally {
      await publishPolicy(database.db, DEFAULT_POLICY.rules);
    }
  });

  it("lets an agent accept a return after the window, once, on record", async () => {
    const customer = await createReturnCustomer(database.db);
    const { order, lines } = await createDeliveredOrder(database.db, customer.user.id, { lines: [{ quantity: 2 }], deliveredAt: new Date(Date.now() - 40 * DAY) });
    const request = { orderNumber: order.number, resolution: "REFUND" as const, method: "DROP_OFF" as const, lines: [line(lines[0].id)] };
    // The customer tried, was refused, and called: the agent sets the rule aside on that journey.
    const journeyId = crypto.randomUUID();
    expect(await submit(customer, request, journeyId)).toMatchObject({ ok: false, code: "line_not_returnable" });
    const granted = await overrideForNextReturn(database.db, { agentId, orderNumber: order.number, rule: "window_closed", justification: "Customer was in hospital for the whole window", journeyId });
    expect(granted).toMatchObject({ ok: true });
    expect(await trailOf(journeyId)).toEqual(["return:items:VIEWED", "return:items:ERROR:line_not_returnable", "return:items:OVERRIDE"]);
    const overrideEvent = await database.db.trailEvent.findFirstOrThrow({ where: { journeyId, kind: "OVERRIDE" } });
    expect(overrideEvent.properties).toMatchObject({ rule: "window_closed", override_id: granted.ok ? granted.overrideId : "" });
    expect((await returnableOrders(database.db, customer.user.id)).map((c) => c.order.number)).toEqual([order.number]);
    const outcome = await submit(customer, request);
    expect(outcome).toMatchObject({ ok: true });
    const override = await database.db.policyOverride.findFirstOrThrow({ where: { orderId: order.id } });
    expect(override).toMatchObject({ rule: "window_closed", agentId, justification: "Customer was in hospital for the whole window", returnId: outcome.ok ? outcome.returnId : "" });
    // Used up by that return: the second unit is outside the window again.
    expect(await submit(customer, request)).toMatchObject({ ok: false, code: "line_not_returnable" });
    // A case about the customer shows the exception against the return it let through, and who made it.
    const later = await openCase(database.db, { userId: customer.user.id, channel: "PHONE", reason: "return_status" });
    const [shown] = (await caseDetail(database.db, later.number))?.overrides ?? [];
    expect([ruleSetAsideHeading(shown), ruleSetAsideBy(shown)]).toEqual([`Return window extended for return ${outcome.ok ? outcome.returnNumber : ""} of order ${order.number}`, "Set aside by Alex Agent"]);
  });

  it("sets a rule aside once until a return uses it, however often the form is sent at once", async () => {
    const customer = await createReturnCustomer(database.db);
    const { order } = await createDeliveredOrder(database.db, customer.user.id, { deliveredAt: new Date(Date.now() - 40 * DAY) });
    const setAside = () => overrideForNextReturn(database.db, { agentId, orderNumber: order.number, rule: "final_sale", justification: "The customer was told on the phone it could come back" });
    const answers = await Promise.all(Array.from({ length: 20 }, setAside));
    expect(new Set(answers.map((a) => (a.ok ? a.overrideId : a.code))).size).toBe(1);
    expect(await database.db.policyOverride.count({ where: { orderId: order.id } })).toBe(1);
    // Another rule is another exception.
    expect(await overrideForNextReturn(database.db, { agentId, orderNumber: order.number, rule: "window_closed", justification: "The customer was in hospital for the window" })).toMatchObject({ ok: true });
    expect(await database.db.policyOverride.count({ where: { orderId: order.id } })).toBe(2);
  });

  it("refuses overrides from non-agents, of rules that cannot be set aside, and without a real justification", async () => {
    const customer = await createReturnCustomer(database.db);
    const { order } = await createDeliveredOrder(database.db, customer.user.id);
    expect(await overrideForNextReturn(database.db, { agentId: customer.user.id, orderNumber: order.number, rule: "window_closed", justification: "I would like my money back please" })).toEqual({ ok: false, code: "not_an_agent" });
    expect(await overrideForNextReturn(database.db, { agentId, orderNumber: order.number, rule: "already_returned", justification: "Returning it a second time for fun" })).toEqual({ ok: false, code: "rule_not_overridable" });
    await expect(overrideForNextReturn(database.db, { agentId, orderNumber: order.number, rule: "window_closed", justification: "ok" })).rejects.toThrow();
    expect(await database.db.policyOverride.count({ where: { orderId: order.id } })).toBe(0);
  });

  it("lets an agent waive a fee on a return already made", async () => {
    const customer = await createReturnCustomer(database.db);
    const { order, lines } = await createDeliveredOrder(database.db, customer.user.id, { lines: [{ unitPriceMinor: 2000, taxMinor: 0 }] });
    const outcome = await submit(customer, { orderNumber: order.number, resolution: "REFUND", method: "LABEL", lines: [line(lines[0].id, { reason: "changed_mind" })] });
    if (!outcome.ok) throw new Error("return refused");
    expect(await database.db.return.findUniqueOrThrow({ where: { id: outcome.returnId } })).toMatchObject({ feeMinor: 295, refundMinor: 1705 });
    const waived = await waiveReturnFee(database.db, { agentId, returnNumber: outcome.returnNumber, feeCode: "return_shipping", justification: "Our size chart was wrong for this product" });
    expect(waived).toMatchObject({ ok: true, refundedMinor: 0 });
    expect(await database.db.return.findUniqueOrThrow({ where: { id: outcome.returnId } })).toMatchObject({ feeMinor: 0, refundMinor: 2000 });
    expect(await waiveReturnFee(database.db, { agentId, returnNumber: outcome.returnNumber, feeCode: "return_shipping", justification: "Our size chart was wrong for this product" })).toEqual({ ok: false, code: "already_overridden" });
  });
});

describe("an agent waiving a return's fee from its case", () => {
  async function caseOfReturnWithFee() {
    const customer = await createReturnCustomer(database.db);
    const { order, lines } = await createDeliveredOrder(database.db, customer.user.id, { lines: [{ unitPriceMinor: 2000, taxMinor: 0 }] });
    const outcome = await submit(customer, { orderNumber: order.number, resolution: "REFUND", method: "LABEL", lines: [line(lines[0].id, { reason: "changed_mind" })] });
    if (!outcome.ok) throw new Error("return refused");
    const opened = await openCase(database.db, { userId: customer.user.id, channel: "PHONE", reason: "return_fee", orderId: order.id, returnId: outcome.returnId });
    return { customer, order, returnId: outcome.returnId, returnNumber: outcome.returnNumber, caseNumber: opened.number, caseId: opened.id };
  }
  const justification = "The label fee was never mentioned on the phone";
  const waive = (caseNumber: string) => waiveFeeForCase(database.db, { caseNumber, agentId, request: { justification } });

  it("gives the fee back, records it as an override of the fee rule on the case, and tells the customer; a second waive changes nothing", async () => {
    const { customer, returnId, returnNumber, caseNumber, caseId } = await caseOfReturnWithFee();
    expect(await database.db.return.findUniqueOrThrow({ where: { id: returnId } })).toMatchObject({ feeMinor: 295, refundMinor: 1705 });
    expect(await waive(caseNumber)).toMatchObject({ ok: true, refundedMinor: 0 });
    expect(await database.db.return.findUniqueOrThrow({ where: { id: returnId } })).toMatchObject({ feeMinor: 0, refundMinor: 2000 });
    // Counted with the other rules set aside: the insights and the case read overrides.
    const overrides = await database.db.policyOverride.findMany({ where: { returnId } });
    expect(overrides.map((o) => [o.rule, o.caseId, o.agentId, o.justification])).toEqual([["fee:return_shipping", caseId, agentId, justification]]);
    const [told] = (await customerMessages(database.db, customer.user.id, { timeZone: null })).filter((m) => m.subject.startsWith("We have waived"));
    expect(told.paragraphs).toEqual([`We have waived the £2.95 fee on your return ${returnNumber}.`, "You now get £20.00 back once your return reaches our warehouse."]);

    const notifications = await database.db.notification.count({ where: { userId: customer.user.id } });
    expect(await waive(caseNumber)).toEqual({ ok: false, code: "no_fee" });
    expect(await database.db.policyOverride.count({ where: { returnId } })).toBe(1);
    expect(await database.db.return.findUniqueOrThrow({ where: { id: returnId } })).toMatchObject({ feeMinor: 0, refundMinor: 2000 });
    expect(await database.db.notification.count({ where: { userId: customer.user.id } })).toBe(notifications);
  });

  it("refuses on a closed case, a cancelled return and a case about no return, and changes nothing", async () => {
    const resolved = await caseOfReturnWithFee();
    await database.db.case.update({ where: { id: resolved.caseId }, data: { status: "RESOLVED" } });
    expect(await waive(resolved.caseNumber)).toEqual({ ok: false, code: "case_closed" });

    const cancelled = await caseOfReturnWithFee();
    await database.db.return.update({ where: { id: cancelled.returnId }, data: { status: "CANCELLED" } });
    expect(await waive(cancelled.caseNumber)).toEqual({ ok: false, code: "return_closed" });

    const noReturn = await openCase(database.db, { userId: resolved.customer.user.id, channel: "PHONE", reason: "general" });
    expect(await waive(noReturn.number)).toEqual({ ok: false, code: "return_not_found" });
    for (const { returnId } of [resolved, cancelled]) {
      expect(await database.db.return.findUniqueOrThrow({ where: { id: returnId } })).toMatchObject({ feeMinor: 295, refundMinor: 1705 });
      expect(await database.db.policyOverride.count({ where: { returnId } })).toBe(0);
    }
  });
});
