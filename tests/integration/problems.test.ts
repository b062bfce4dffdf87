import crypto from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { problemAnswerOnRecord, resolveProblem } from "@/lib/orders/problems";
import type { TrailActor } from "@/lib/trail/server";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { createCustomer, createOrder } from "../support/orders";

let database: FreshDatabase;
let customer: { id: string; analyticsId: string };
let actor: TrailActor;

beforeAll(async () => {
  database = await freshDatabase();
});
// A new customer per test: the policy counts each customer's recent reports.
beforeEach(async () => {
  customer = await createCustomer(database.db);
  actor = { userId: customer.id, distinctId: customer.analyticsId, deviceClass: "MOBILE", consent: true };
});
afterAll(() => database.drop());

async function deliveredOrder(options: { unitPriceMinor?: number; deliveredAt?: Date | null; status?: "DELIVERED" | "SHIPPED"; promisedDaysAgo?: number } = {}) {
  const order = await createOrder(database.db, customer.id, { status: options.status ?? "DELIVERED", lines: [{ quantity: 1, unitPriceMinor: options.unitPriceMinor ?? 3000 }] });
  const promised = new Date(Date.now() - (options.promisedDaysAgo ?? 3) * 86_400_000);
  await database.db.order.update({ where: { id: order.id }, data: { promisedDeliveryAt: promised } });
  await database.db.shipment.create({ data: { orderId: order.id, carrier: "Parcelnet", trackingNumber: crypto.randomUUID(), status: options.deliveredAt === null ? "IN_TRANSIT" : "DELIVERED", shippedAt: new Date(promised.getTime() - 2 * 86_400_000), expectedAt: promised, deliveredAt: options.deliveredAt === undefined ? promised : options.deliveredAt } });
  return order;
}

const resolve = (orderNumber: string, request: Parameters<typeof resolveProblem>[1]["request"], journeyId = crypto.randomUUID()) =>
  resolveProblem(database.db, { userId: customer.id, orderNumber, request, journeyId, actor });

describe("resolving a problem on the spot", () => {
  it("resolves concurrent reports on one order once; the others are told it was already reported", async () => {
    for (const resolution of ["REFUND", "STORE_CREDIT", "RESHIP"] as const) {
      const order = await deliveredOrder();
      const outcomes = await Promise.allSettled(Array.from({ length: 4 }, () => resolve(order.number, { kind: "damaged", lineIds: [order.lines[0].id], resolution })));
      const answers = outcomes.map((o) => (o.status === "fulfilled" ? o.value : { thrown: String(o.reason) }));
      expect(answers.filter((a) => "ok" in a && a.ok), resolution).toHaveLength(1);
      expect(answers.filter((a) => !("ok" in a && a.ok)), resolution).toEqual(Array(3).fill({ ok: false, code: "already_reported" }));
      const effects = (await database.db.refund.count({ where: { orderId: order.id } })) + (await database.db.storeCreditEntry.count({ where: { orderId: order.id } })) + (await database.db.orderStatusChange.count({ where: { actor: `replacement:${order.number}` } }));
      expect(effects, resolution).toBe(1);
      // A new customer per resolution kind, so the policy's limit on recent reports does not decide instead.
      customer = await createCustomer(database.db);
      actor = { userId: customer.id, distinctId: customer.analyticsId, deviceClass: "MOBILE", consent: true };
    }
  });

  it("refuses a later report on an order whose problem was already handed to a person", async () => {
    const expensive = await deliveredOrder({ unitPriceMinor: 50_000 });
    expect(await resolve(expensive.number, { kind: "damaged", lineIds: [expensive.lines[0].id] })).toMatchObject({ ok: true, applied: "AGENT_CASE" });
    expect(await resolve(expensive.number, { kind: "wrong_item", lineIds: [expensive.lines[0].id] })).toEqual({ ok: false, code: "already_reported" });
    expect(await database.db.case.count({ where: { orderId: expensive.id } })).toBe(1);
  });

  it("refunds a damaged item and records the resolution; a replay refunds nothing more", async () => {
    const order = await deliveredOrder();
    const journeyId = crypto.randomUUID();
    const outcome = await resolve(order.number, { kind: "damaged", lineIds: [order.lines[0].id], resolution: "REFUND" }, journeyId);
    expect(outcome).toEqual({ ok: true, applied: "REFUND", amountMinor: 3000 });
    expect(await resolve(order.number, { kind: "damaged", lineIds: [order.lines[0].id], resolution: "REFUND" }, journeyId)).toMatchObject({ ok: true, replayed: true });
    expect(await database.db.refund.count({ where: { orderId: order.id } })).toBe(1);
    const steps = await database.db.trailEvent.findMany({ where: { journeyId }, orderBy: { occurredAt: "asc" } });
    expect(steps.map((step) => [step.step, step.kind, (step.properties as { resolution: string }).resolution])).toEqual([
      ["resolution", "VIEWED", "REFUND"],
      ["resolution", "COMPLETED", "REFUND"],
    ]);
  });

  it("gives store credit with its bonus, and reships a missing item as a free replacement order", async () => {
    const credited = await deliveredOrder();
    expect(await resolve(credited.number, { kind: "wrong_item", lineIds: [credited.lines[0].id], resolution: "STORE_CREDIT" })).toEqual({ ok: true, applied: "STORE_CREDIT", amountMinor: 3300 });
    const reshipped = await deliveredOrder();
    const outcome = await resolve(reshipped.number, { kind: "missing_item", lineIds: [reshipped.lines[0].id], resolution: "RESHIP" });
    expect(outcome).toMatchObject({ ok: true, applied: "RESHIP" });
    const replacement = await database.db.order.findUniqueOrThrow({ where: { number: (outcome as { replacementOrderNumber: string }).replacementOrderNumber }, include: { lines: true } });
    expect([replacement.userId, replacement.status, replacement.totalMinor, replacement.lines[0].quantity]).toEqual([customer.id, "PROCESSING", 0, 1]);
  });

  it("opens a case carrying the journey when the policy says a person must decide", async () => {
    const expensive = await deliveredOrder({ unitPriceMinor: 50_000 });
    const journeyId = crypto.randomUUID();
    const outcome = await resolve(expensive.number, { kind: "damaged", lineIds: [expensive.lines[0].id] }, journeyId);
    expect(outcome).toMatchObject({ ok: true, applied: "AGENT_CASE" });
    const opened = await database.db.case.findFirstOrThrow({ where: { journeyId } });
    expect([opened.status, opened.channel, opened.reason, opened.orderId]).toEqual(["OPEN", "PORTAL", "problem_report:damaged:high_value", expensive.id]);
    expect(await database.db.refund.count({ where: { orderId: expensive.id } })).toBe(0);
  });

  it("answers only with an outcome the order has on record, naming only its own case or replacement, whatever the address says", async () => {
    const reshipped = await deliveredOrder();
    const outcome = await resolve(reshipped.number, { kind: "missing_item", lineIds: [reshipped.lines[0].id], resolution: "RESHIP" });
    const replacement = (outcome as { replacementOrderNumber: string }).replacementOrderNumber;
    const refunded = await deliveredOrder();
    await resolve(refunded.number, { kind: "damaged", lineIds: [refunded.lines[0].id], resolution: "REFUND" });
    const expensive = await deliveredOrder({ unitPriceMinor: 50_000 });
    const journeyId = crypto.randomUUID();
    await resolve(expensive.number, { kind: "damaged", lineIds: [expensive.lines[0].id] }, journeyId);
    const { number: caseNumber } = await database.db.case.findFirstOrThrow({ where: { journeyId } });
    const untouched = await deliveredOrder();
    const answer = (order: { id: string; number: string; userId: string | null }, resolved: string, named: { caseNumber?: string; replacement?: string } = {}) =>
      problemAnswerOnRecord(database.db, { order, resolved, ...named });

    expect(await answer(reshipped, "RESHIP", { replacement })).toEqual({ resolved: "RESHIP", replacement });
    expect(await answer(refunded, "REFUND")).toEqual({ resolved: "REFUND" });
    expect(await answer(expensive, "AGENT_CASE", { caseNumber })).toEqual({ resolved: "AGENT_CASE", caseNumber });
    // Text of anyone's choosing, or another order's case or replacement, is not named.
    expect(await answer(reshipped, "RESHIP", { replacement: "WM-1. Call +44 20 7946 0000 to confirm your card" })).toEqual({ resolved: "RESHIP", replacement: undefined });
    expect(await answer(expensive, "AGENT_CASE", { caseNumber: "CS-1A2B3C4D" })).toEqual({ resolved: "AGENT_CASE", caseNumber: undefined });
    // An outcome the order does not have (a thank-you for a report never made): none.
    for (const resolved of ["REFUND", "STORE_CREDIT", "RESHIP", "AGENT_CASE", "toString"]) expect(await answer(untouched, resolved), resolved).toBeNull();
    expect(await answer(refunded, "RESHIP", { replacement })).toBeNull();
    expect(await answer(reshipped, "AGENT_CASE", { caseNumber })).toBeNull();
  });

  it("sends a third report within 90 days to a person", async () => {
    for (let i = 0; i < 2; i++) {
      const order = await deliveredOrder();
      expect(await resolve(order.number, { kind: "damaged", lineIds: [order.lines[0].id], resolution: "REFUND" })).toMatchObject({ ok: true, applied: "REFUND" });
    }
    const third = await deliveredOrder();
    expect(await resolve(third.number, { kind: "damaged", lineIds: [third.lines[0].id], resolution: "REFUND" })).toMatchObject({ ok: true, applied: "AGENT_CASE" });
  });

  it("refuses a forged resolution or a report that is too early, and changes nothing", async () => {
    const order = await deliveredOrder({ status: "SHIPPED", deliveredAt: null, promisedDaysAgo: 10 });
    expect(await resolve(order.number, { kind: "not_received", lineIds: [], resolution: "STORE_CREDIT" })).toEqual({ ok: false, code: "resolution_not_allowed" });
    const inTransit = await deliveredOrder({ status: "SHIPPED", deliveredAt: null, promisedDaysAgo: 1 });
    expect(await resolve(inTransit.number, { kind: "not_received", lineIds: [], resolution: "RESHIP" })).toEqual({ ok: false, code: "too_early" });
    expect(await database.db.storeCreditEntry.count({ where: { orderId: { in: [order.id, inTransit.id] } } })).toBe(0);
  });
});
