import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cancelForCustomer, grantGoodwill, overrideReturnForCustomer } from "@/lib/cases/agent-actions";
import { caseDetail, caseQueue, openCase, queuePriority, resolveCase } from "@/lib/cases/cases";
import { ruleSetAsideBy, ruleSetAsideHeading } from "@/lib/cases/labels";
import { caseOutcomeNotice } from "@/lib/cases/outcome";
import { findCustomers, linkContact, logContactSchema, logInboundContact } from "@/lib/contacts/contacts";
import { deliverNotificationEmails } from "@/lib/notify/delivery";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { createCustomer, createOrder } from "../support/orders";

let database: FreshDatabase;
let agentId: string;

beforeAll(async () => {
  database = await freshDatabase();
  agentId = (await database.db.user.create({ data: { name: "Agent Case", email: "agent-case@example.com", role: "AGENT" } })).id;
});
afterAll(() => database.drop());

describe("one queue for every channel", () => {
  it("puts customers at risk first, and lets waiting lift a calm customer over time", async () => {
    expect(queuePriority(60, 0)).toBe(60);
    expect(queuePriority(10, 600)).toBe(50);
    expect(queuePriority(10, 100_000)).toBe(50);

    const calm = await createCustomer(database.db, "Calm Customer");
    const troubled = await createCustomer(database.db, "Troubled Customer");
    // Two failed payments and a late parcel make a risky history.
    const late = await createOrder(database.db, troubled.id, { status: "SHIPPED" });
    await database.db.order.update({ where: { id: late.id }, data: { promisedDeliveryAt: new Date(Date.now() - 5 * 86_400_000) } });
    await database.db.shipment.create({ data: { orderId: late.id, carrier: "Parcelnet", trackingNumber: "LATE-1", status: "IN_TRANSIT", shippedAt: new Date(Date.now() - 8 * 86_400_000), expectedAt: new Date(Date.now() - 5 * 86_400_000) } });
    for (const key of ["f1", "f2"]) await database.db.payment.create({ data: { orderId: late.id, kind: "CHARGE", amountMinor: 100, currency: "EUR", status: "FAILED", idempotencyKey: `${late.id}:${key}` } });

    const calmCase = await openCase(database.db, { userId: calm.id, channel: "EMAIL", reason: "order_status" });
    const troubledCase = await openCase(database.db, { userId: troubled.id, channel: "PORTAL", reason: "talk_to_person" });
    expect(calmCase.riskScore).toBe(0);
    expect(troubledCase.riskScore).toBe(32);
    expect((troubledCase.riskFactors as { code: string }[]).map((f) => f.code)).toEqual(["failedPayments", "lateDeliveries"]);
    expect((await caseQueue(database.db)).map((c) => c.number).slice(0, 2)).toEqual([troubledCase.number, calmCase.number]);
    expect(await database.db.outboxMessage.count({ where: { topic: "backoffice.event", payload: { path: ["type"], equals: "case.opened" } } })).toBe(2);
  });

  it("opens one case per exit: asking again from the same attempt joins the case still waiting", async () => {
    const customer = await createCustomer(database.db, "Twice Asking");
    const journeyId = crypto.randomUUID();
    const first = await openCase(database.db, { userId: customer.id, channel: "PORTAL", reason: "talk_to_person:return:items", journeyId });
    const again = await openCase(database.db, { userId: customer.id, channel: "CHAT", reason: "chat:same_error_twice:return:items", journeyId });
    expect([first.joined, again.joined, again.number]).toEqual([false, true, first.number]);
    await resolveCase(database.db, { number: first.number, agentId, outcome: "Started the return with the customer." });
    const afterResolved = await openCase(database.db, { userId: customer.id, channel: "PORTAL", reason: "talk_to_person:return:items", journeyId });
    expect(afterResolved.number).not.toBe(first.number);
    expect(await database.db.case.count({ where: { userId: customer.id } })).toBe(2);
  });

  it("turns an unresolved inbound call into a case, and a resolved one into none", async () => {
    const caller = await createCustomer(database.db, "Caller");
    const unresolved = await logInboundContact(database.db, agentId, { customerId: caller.id, channel: "PHONE", reason: "order_status", trigger: "cant_find", resolvedNeed: false, note: null });
    const resolved = await logInboundContact(database.db, agentId, { customerId: caller.id, channel: "PHONE", reason: "order_status", trigger: "cant_find", resolvedNeed: true, note: null });
    expect(unresolved.ok && unresolved.caseNumber).toMatch(/^CS-[0-9A-F]{8}$/);
    expect(resolved.ok && resolved.caseNumber).toBeNull();
    expect(await database.db.case.count({ where: { userId: caller.id, channel: "PHONE" } })).toBe(1);
    // The same request again while its case waits (a second chat about the same thing) joins that case.
    const chats: (string | null)[] = [];
    for (const reason of ["order_status", "order_status", "complaint"]) {
      chats.push((await linkContact(database.db, { customerId: caller.id, channel: "CHAT", reason, trigger: null, resolvedNeed: false })).caseNumber);
    }
    expect(chats[0]).toBe(chats[1]);
    expect(chats[2]).not.toBe(chats[0]);
  });

  it("logs no contact and opens no case for a deleted account, whatever id the form carries; one locked out can still call", async () => {
    const deleted = await createCustomer(database.db, "Deleted customer");
    await database.db.user.update({ where: { id: deleted.id }, data: { status: "DELETED", email: null, deletedAt: new Date() } });
    const locked = await createCustomer(database.db, "Locked Out Caller");
    await database.db.user.update({ where: { id: locked.id }, data: { status: "DISABLED" } });
    const call = { channel: "PHONE", reason: "order_status", trigger: "cant_find", resolvedNeed: false, note: null } as const;
    expect(await logInboundContact(database.db, agentId, { ...call, customerId: deleted.id })).toEqual({ ok: false, reason: "unknown_customer" });
    expect([await database.db.contact.count({ where: { userId: deleted.id } }), await database.db.case.count({ where: { userId: deleted.id } })]).toEqual([0, 0]);
    expect(await logInboundContact(database.db, agentId, { ...call, customerId: locked.id })).toMatchObject({ ok: true });
  });

  it("keeps what was said with the contact, for the case: trimmed, optional, at most 500 characters, no NUL byte", async () => {
    const caller = await createCustomer(database.db, "Noted Caller");
    const form = { customerId: caller.id, channel: "PHONE", reason: "order_status", trigger: "cant_find", resolvedNeed: "no" };
    const said = "Parcel shows delivered but nothing arrived.\nAsked us to check with the carrier.";
    const input = logContactSchema.parse({ ...form, note: `  ${said}  ` });
    expect(input.note).toBe(said);
    expect(logContactSchema.parse({ ...form, note: "   " }).note).toBeNull();
    expect(logContactSchema.parse(form).note).toBeNull();
    expect(logContactSchema.safeParse({ ...form, note: "x".repeat(500) }).success).toBe(true);
    // A text area's line breaks arrive as CRLF: one character each, as the browser counted them.
    expect(logContactSchema.parse({ ...form, note: `${"x".repeat(249)}\r\n${"y".repeat(250)}` }).note).toBe(`${"x".repeat(249)}\n${"y".repeat(250)}`);
    expect(logContactSchema.safeParse({ ...form, note: "x".repeat(501) }).error?.issues[0].message).toBe("Keep the note to 500 characters or fewer.");
    expect(logContactSchema.safeParse({ ...form, note: "checked\u0000" }).success).toBe(false);

    const logged = await logInboundContact(database.db, agentId, input);
    if (!logged.ok || !logged.caseNumber) throw new Error("no case");
    expect((await caseDetail(database.db, logged.caseNumber))?.contacts.map((c) => c.note)).toEqual([said]);
  });

  it("records goodwill as an override with its justification, and tells the customer when the case is resolved", async () => {
    const customer = await createCustomer(database.db, "Goodwill Customer");
    const order = await createOrder(database.db, customer.id, { status: "DELIVERED" });
    const opened = await openCase(database.db, { userId: customer.id, channel: "CHAT", reason: "complaint" });
    const justification = "Parcel arrived two weeks late; customer had to buy a replacement locally.";
    const granted = await grantGoodwill(database.db, { caseNumber: opened.number, agentId, request: { requestKey: crypto.randomUUID(), orderNumber: order.number, kind: "STORE_CREDIT", amount: 15, justification } });
    if (!granted.ok) throw new Error(granted.code);
    // The case's page says it at the top, read from the credit given (it said so inside the form, out of sight).
    const said = async (grantId: string, caseNumber = opened.number) =>
      caseOutcomeNotice(database.db, { done: "goodwill", about: grantId, found: (await caseDetail(database.db, caseNumber))!.case, agentId });
    expect(await said(granted.grantId)).toBe(`Store credit of €15.00 granted against order ${order.number} and recorded as an override. The customer has been told.`);
    // An address with this id kept or typed on another case says nothing.
    const elsewhere = await openCase(database.db, { userId: customer.id, channel: "PHONE", reason: "complaint" });
    expect(await said(granted.grantId, elsewhere.number)).toBeNull();
    const [override] = await database.db.policyOverride.findMany({ where: { orderId: order.id } });
    expect([override.rule, override.agentId, override.justification]).toEqual(["goodwill_credit", agentId, justification]);
    // The case lists it, though the case names no order: the agent set the rule aside from it.
    expect((await caseDetail(database.db, opened.number))?.overrides.map((o) => [ruleSetAsideHeading(o), o.justification, ruleSetAsideBy(o)])).toEqual([
      [`Goodwill store credit for order ${order.number}`, justification, "Set aside by Agent Case"],
    ]);
    expect((await database.db.storeCreditEntry.aggregate({ where: { userId: customer.id }, _sum: { amountMinor: true } }))._sum.amountMinor).toBe(1500);

    // More than is left to give is refused, and leaves nothing on record: no override, no credit, no trail step.
    const onRecord = async () => ({
      overrides: await database.db.policyOverride.count({ where: { orderId: order.id } }),
      credit: (await database.db.storeCreditEntry.aggregate({ where: { userId: customer.id }, _sum: { amountMinor: true } }))._sum.amountMinor,
    });
    const tooMuch = await grantGoodwill(database.db, { caseNumber: opened.number, agentId, request: { requestKey: crypto.randomUUID(), orderNumber: order.number, kind: "REFUND", amount: 10_000, justification } });
    expect(tooMuch).toMatchObject({ ok: false, code: "goodwill_exceeds_order" });
    expect(await onRecord()).toEqual({ overrides: 1, credit: 1500 });
    // Store credit up to the order's total, less the goodwill credit already given for it.
    const creditable = order.totalMinor - 1500;
    const overTotal = await grantGoodwill(database.db, { caseNumber: opened.number, agentId, request: { requestKey: crypto.randomUUID(), orderNumber: order.number, kind: "STORE_CREDIT", amount: (creditable + 1) / 100, justification } });
    expect(overTotal).toEqual({ ok: false, code: "goodwill_exceeds_order", grantableMinor: creditable, currency: "EUR" });
    expect(await onRecord()).toEqual({ overrides: 1, credit: 1500 });
    expect(await grantGoodwill(database.db, { caseNumber: opened.number, agentId, request: { requestKey: crypto.randomUUID(), orderNumber: order.number, kind: "STORE_CREDIT", amount: creditable / 100, justification } })).toMatchObject({ ok: true });
    expect(await onRecord()).toEqual({ overrides: 2, credit: order.totalMinor });

    // Two grants at once on another order, each under its total but together over it: one is refused.
    const other = await createOrder(database.db, customer.id, { status: "DELIVERED" });
    const sixtyPercent = Math.ceil(other.totalMinor * 0.6) / 100;
    const grants = await Promise.all([1, 2].map(() => grantGoodwill(database.db, { caseNumber: opened.number, agentId, request: { requestKey: crypto.randomUUID(), orderNumber: other.number, kind: "STORE_CREDIT", amount: sixtyPercent, justification } })));
    expect(grants.map((g) => g.ok).sort()).toEqual([false, true]);

    expect(await resolveCase(database.db, { number: opened.number, agentId, outcome: "Added 15 EUR store credit for the late parcel." })).toEqual({ ok: true });
    expect(await resolveCase(database.db, { number: opened.number, agentId, outcome: "Again" })).toEqual({ ok: false, code: "case_already_closed" });
    await deliverNotificationEmails(database.db, { baseUrl: "http://portal.test", key: "cases-test-key" });
    const [email] = await database.db.emailMessage.findMany({ where: { userId: customer.id, subject: `Your case ${opened.number} is resolved` } });
    expect(email.text).toContain("Added 15 EUR store credit");
  });

  it("acts for the case's own customer only: another customer's order number finds nothing, and nothing changes", async () => {
    const customer = await createCustomer(database.db, "Case Customer");
    const stranger = await createCustomer(database.db, "Someone Else");
    const own = await createOrder(database.db, customer.id);
    const theirs = await createOrder(database.db, stranger.id);
    const opened = await openCase(database.db, { userId: customer.id, channel: "PHONE", reason: "order_status" });
    const justification = "The customer was told on the phone that this could still be returned.";

    expect(await cancelForCustomer(database.db, { caseNumber: opened.number, request: { orderNumber: theirs.number } })).toEqual({ ok: false, code: "order_not_found" });
    expect(await overrideReturnForCustomer(database.db, { caseNumber: opened.number, agentId, request: { orderNumber: theirs.number, rule: "window_closed", justification } })).toEqual({ ok: false, code: "order_not_found" });
    expect(await cancelForCustomer(database.db, { caseNumber: "CS-00000000", request: { orderNumber: own.number } })).toEqual({ ok: false, code: "order_not_found" });
    expect((await database.db.order.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe("PROCESSING");
    expect(await database.db.policyOverride.count({ where: { orderId: theirs.id } })).toBe(0);

    const cancelled = await cancelForCustomer(database.db, { caseNumber: opened.number, request: { orderNumber: own.number } });
    expect(cancelled).toMatchObject({ ok: true, fullyCancelled: true, refundMinor: own.totalMinor, currency: "EUR" });
    expect((await database.db.order.findUniqueOrThrow({ where: { id: own.id } })).status).toBe("CANCELLED");
    // The agent's act, not the customer's: their funnel counted a self-service cancellation they never made.
    expect(await database.db.orderStatusChange.findMany({ where: { orderId: own.id, to: "CANCELLED" }, select: { actor: true } })).toEqual([{ actor: "agent" }]);
    expect(await database.db.journey.count({ where: { userId: customer.id, type: "order_cancellation" } })).toBe(0);
    // Nor does a refusal (the order is cancelled already) leave a failed attempt behind.
    expect(await cancelForCustomer(database.db, { caseNumber: opened.number, request: { orderNumber: own.number } })).toMatchObject({ ok: false });
    expect(await database.db.trailEvent.count({ where: { journeyType: "order_cancellation", journey: { userId: customer.id } } })).toBe(0);
  });

  it("does nothing from a case already resolved: a tab left open on it grants, cancels and sets aside nothing", async () => {
    const customer = await createCustomer(database.db, "Resolved Case Customer");
    const open = await createOrder(database.db, customer.id);
    const delivered = await createOrder(database.db, customer.id, { status: "DELIVERED" });
    const opened = await openCase(database.db, { userId: customer.id, channel: "PHONE", reason: "order_status" });
    await resolveCase(database.db, { number: opened.number, agentId, outcome: "Told the customer where the parcel is." });
    const justification = "The customer was told on the phone that this could still be returned.";

    expect(await grantGoodwill(database.db, { caseNumber: opened.number, agentId, request: { requestKey: crypto.randomUUID(), orderNumber: delivered.number, kind: "STORE_CREDIT", amount: 20, justification } })).toEqual({ ok: false, code: "case_closed" });
    expect(await cancelForCustomer(database.db, { caseNumber: opened.number, request: { orderNumber: open.number } })).toEqual({ ok: false, code: "case_closed" });
    expect(await overrideReturnForCustomer(database.db, { caseNumber: opened.number, agentId, request: { orderNumber: delivered.number, rule: "window_closed", justification } })).toEqual({ ok: false, code: "case_closed" });
    expect((await database.db.order.findUniqueOrThrow({ where: { id: open.id } })).status).toBe("PROCESSING");
    expect(await database.db.storeCreditEntry.count({ where: { userId: customer.id } })).toBe(0);
    expect(await database.db.policyOverride.count({ where: { orderId: { in: [open.id, delivered.id] } } })).toBe(0);
    // The case stays as it was resolved, not back in the queue.
    expect((await database.db.case.findUniqueOrThrow({ where: { id: opened.id } })).status).toBe("RESOLVED");
  });
  it("lists the customer's orders with the totals they see on theirs: a cancelled order's is nothing, a part-cancelled one's less the items cancelled", async () => {
    const customer = await createCustomer(database.db, "Cancelled Order Customer");
    // 2 × 15.00 (tax 6.00), shipping 5.00: 41.00.
    const cancelled = await createOrder(database.db, customer.id);
    const partly = await createOrder(database.db, customer.id);
    await database.db.orderLine.update({ where: { id: partly.lines[0].id }, data: { cancelledQuantity: 1 } });
    const opened = await openCase(database.db, { userId: customer.id, channel: "PHONE", reason: "order_status" });
    expect(await cancelForCustomer(database.db, { caseNumber: opened.number, request: { orderNumber: cancelled.number } })).toMatchObject({ ok: true, fullyCancelled: true });
    const totals = Object.fromEntries((await caseDetail(database.db, opened.number))!.orders.map((o) => [o.number, o.totalMinor]));
    // It listed both at 41.00, as placed, where the customer's order list and page say 0.00 and 23.00.
    expect(totals).toEqual({ [cancelled.number]: 0, [partly.number]: 2300 });
  });

  it("grants once for one form sent three times at once, and pays two refunds of the same amount each sent on purpose", async () => {
    const customer = await createCustomer(database.db, "Twice Customer");
    const order = await createOrder(database.db, customer.id, { status: "DELIVERED" });
    const opened = await openCase(database.db, { userId: customer.id, channel: "CHAT", reason: "complaint" });
    const justification = "Parcel arrived two weeks late; customer had to buy a replacement locally.";
    const sent = (kind: "STORE_CREDIT" | "REFUND", requestKey: string) =>
      grantGoodwill(database.db, { caseNumber: opened.number, agentId, request: { requestKey, orderNumber: order.number, kind, amount: 3, justification } });

    // A double click, a retried request: the same form's key each time.
    const creditKey = crypto.randomUUID();
    const credits = await Promise.all([1, 2, 3].map(() => sent("STORE_CREDIT", creditKey)));
    expect(credits.every((c) => c.ok)).toBe(true);
    expect(new Set(credits.map((c) => (c.ok ? c.grantId : null))).size).toBe(1);
    expect((await database.db.storeCreditEntry.aggregate({ where: { userId: customer.id }, _sum: { amountMinor: true } }))._sum.amountMinor).toBe(300);

    // Two refunds of £3, each from the page as it reloaded after the one before: both paid, each its own override.
    await sent("REFUND", crypto.randomUUID());
    await sent("REFUND", crypto.randomUUID());
    expect((await database.db.refund.findMany({ where: { orderId: order.id }, select: { amountMinor: true } })).map((r) => r.amountMinor)).toEqual([300, 300]);
    expect(await database.db.policyOverride.count({ where: { orderId: order.id } })).toBe(3);
  });

  it("grants goodwill in the order's own currency: ¥500 on an order in yen is 500 yen, not 50,000", async () => {
    const customer = await createCustomer(database.db, "Yen Customer");
    const order = await createOrder(database.db, customer.id, { status: "DELIVERED", lines: [{ quantity: 1, unitPriceMinor: 3000 }], shippingMinor: 0 });
    await database.db.order.update({ where: { id: order.id }, data: { currency: "JPY" } });
    const opened = await openCase(database.db, { userId: customer.id, channel: "CHAT", reason: "complaint" });
    const granted = await grantGoodwill(database.db, { caseNumber: opened.number, agentId, request: { requestKey: crypto.randomUUID(), orderNumber: order.number, kind: "STORE_CREDIT", amount: 500, justification: "Late parcel." } });
    if (!granted.ok) throw new Error(granted.code);
    expect((await database.db.storeCreditEntry.aggregate({ where: { userId: customer.id }, _sum: { amountMinor: true } }))._sum.amountMinor).toBe(500);
    // More than the order's ¥3,000 is refused, named in yen.
    const tooMuch = await grantGoodwill(database.db, { caseNumber: opened.number, agentId, request: { requestKey: crypto.randomUUID(), orderNumber: order.number, kind: "STORE_CREDIT", amount: 3000, justification: "Late parcel." } });
    expect(tooMuch).toEqual({ ok: false, code: "goodwill_exceeds_order", grantableMinor: 2500, currency: "JPY" });
  });

  it("grants no goodwill on an order cancelled in full, and caps store credit on one part-cancelled at what it still bills", async () => {
    const customer = await createCustomer(database.db, "Cancelled Goodwill Customer");
    // 2 × 15.00 (tax 6.00), shipping 5.00: 41.00 as placed.
    const cancelled = await createOrder(database.db, customer.id);
    const partly = await createOrder(database.db, customer.id);
    await database.db.orderLine.update({ where: { id: partly.lines[0].id }, data: { cancelledQuantity: 1 } });
    const opened = await openCase(database.db, { userId: customer.id, channel: "PHONE", reason: "order_status" });
    expect(await cancelForCustomer(database.db, { caseNumber: opened.number, request: { orderNumber: cancelled.number } })).toMatchObject({ ok: true, fullyCancelled: true });
    const justification = "The customer waited a week to hear the order was cancelled.";
    const grant = (orderNumber: string, kind: "STORE_CREDIT" | "REFUND", amount: number) => grantGoodwill(database.db, { caseNumber: opened.number, agentId, request: { requestKey: crypto.randomUUID(), orderNumber, kind, amount, justification } });

    // Store credit of up to 41.00 was granted against an order that bills nothing.
    expect(await grant(cancelled.number, "STORE_CREDIT", 5)).toEqual({ ok: false, code: "order_cancelled", orderNumber: cancelled.number });
    expect(await grant(cancelled.number, "REFUND", 5)).toEqual({ ok: false, code: "order_cancelled", orderNumber: cancelled.number });
    expect(await database.db.storeCreditEntry.count({ where: { userId: customer.id } })).toBe(0);
    expect(await database.db.policyOverride.count({ where: { orderId: cancelled.id } })).toBe(0);
    // Part-cancelled, it bills 23.00: no more credit than that.
    expect(await grant(partly.number, "STORE_CREDIT", 23.01)).toEqual({ ok: false, code: "goodwill_exceeds_order", grantableMinor: 2300, currency: "EUR" });
    expect(await grant(partly.number, "STORE_CREDIT", 18.5)).toMatchObject({ ok: true });
    expect((await database.db.storeCreditEntry.aggregate({ where: { userId: customer.id }, _sum: { amountMinor: true } }))._sum.amountMinor).toBe(1850);
    // A refund is said as one, to be told to the customer once it reaches their card.
    const refunded = await grant(partly.number, "REFUND", 4.5);
    if (!refunded.ok) throw new Error(refunded.code);
    expect(await caseOutcomeNotice(database.db, { done: "goodwill", about: refunded.grantId, found: (await caseDetail(database.db, opened.number))!.case, agentId })).toBe(
      `Refund of €4.50 to the customer's card granted against order ${partly.number} and recorded as an override. The customer is told once it reaches their card.`,
    );
  });
});

describe("the attempt a case is opened on", () => {
  it("is the customer's own, or one not stored yet: an id naming another customer's attempt is not kept", async () => {
    const ada = await createCustomer(database.db, "Ada Attempt");
    const grace = await createCustomer(database.db, "Grace Attempt");
    const [adas, graces, fresh] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    for (const [id, userId] of [[adas, ada.id], [graces, grace.id]] as const) {
      await database.db.journey.create({ data: { id, type: "return", userId, deviceClass: "MOBILE", startedAt: new Date(), lastActivityAt: new Date(), lastStep: "confirmation" } });
    }
    const opened = (journeyId: string) => openCase(database.db, { userId: grace.id, channel: "CHAT", reason: `chat:late_order:return:${journeyId}`, journeyId });
    expect((await opened(adas)).journeyId).toBeNull();
    expect((await opened(graces)).journeyId).toBe(graces);
    expect((await opened(fresh)).journeyId).toBe(fresh);
    expect(await database.db.case.count({ where: { journeyId: adas } })).toBe(0);
  });
});

describe("goodwill on an order that has already given money back", () => {
  const justification = "The parcel was late and the customer missed the occasion it was for.";
  const grant = (caseNumber: string, orderNumber: string, kind: "STORE_CREDIT" | "REFUND", amountMinor: number) =>
    grantGoodwill(database.db, { caseNumber, agentId, request: { requestKey: crypto.randomUUID(), orderNumber, kind, amount: amountMinor / 100, justification } });
  const givenBack = async (orderId: string) =>
    ((await database.db.refund.aggregate({ where: { orderId }, _sum: { amountMinor: true } }))._sum.amountMinor ?? 0) +
    ((await database.db.storeCreditEntry.aggregate({ where: { orderId }, _sum: { amountMinor: true } }))._sum.amountMinor ?? 0);

  it("never gives back more than the order, a refund and store credit together", async () => {
    const customer = await createCustomer(database.db, "Twice Paid Customer");
    const order = await createOrder(database.db, customer.id, { status: "DELIVERED" });
    const opened = await openCase(database.db, { userId: customer.id, channel: "CHAT", reason: "complaint" });
    expect(await grant(opened.number, order.number, "REFUND", order.totalMinor)).toMatchObject({ ok: true });
    // The whole order refunded: a credit of the whole order again (the probe's 200 %) is refused, and so is a cent.
    expect(await grant(opened.number, order.number, "STORE_CREDIT", order.totalMinor)).toEqual({ ok: false, code: "goodwill_exceeds_order", grantableMinor: 0, currency: "EUR" });
    expect(await grant(opened.number, order.number, "STORE_CREDIT", 1)).toMatchObject({ ok: false, code: "goodwill_exceeds_order" });
    expect(await givenBack(order.id)).toBe(order.totalMinor);
    expect(await database.db.policyOverride.count({ where: { orderId: order.id } })).toBe(1);
  });

  it("keeps the money of a return under way for it, so goodwill cannot take it first", async () => {
    const customer = await createCustomer(database.db, "Returning Customer");
    const order = await createOrder(database.db, customer.id, { status: "DELIVERED" });
    const returned = order.totalMinor - 1000;
    await database.db.return.create({
      data: { number: `RT-${crypto.randomInt(100000, 999999)}`, orderId: order.id, userId: customer.id, status: "APPROVED", resolution: "REFUND", method: "LABEL", policyVersion: 1, refundMinor: returned, currency: "EUR", idempotencyKey: crypto.randomUUID() },
    });
    const opened = await openCase(database.db, { userId: customer.id, channel: "PHONE", reason: "complaint" });
    expect(await grant(opened.number, order.number, "REFUND", 1001)).toEqual({ ok: false, code: "goodwill_exceeds_order", grantableMinor: 1000, currency: "EUR" });
    expect(await grant(opened.number, order.number, "REFUND", 1000)).toMatchObject({ ok: true });
    expect(await database.db.refund.findMany({ where: { orderId: order.id }, select: { amountMinor: true } })).toEqual([{ amountMinor: 1000 }]);
  });

  it("still refunds no more than is left of the payment", async () => {
    const customer = await createCustomer(database.db, "Part Paid Customer");
    const order = await createOrder(database.db, customer.id, { status: "DELIVERED" });
    await database.db.order.update({ where: { id: order.id }, data: { paidMinor: 1000 } });
    const opened = await openCase(database.db, { userId: customer.id, channel: "EMAIL", reason: "complaint" });
    expect(await grant(opened.number, order.number, "REFUND", 1500)).toEqual({ ok: false, code: "refund_exceeds_payment", refundableMinor: 1000, currency: "EUR" });
    expect(await grant(opened.number, order.number, "STORE_CREDIT", 1500)).toMatchObject({ ok: true });
  });
});

describe("the agent's customer search", () => {
  it("finds a customer by an order number typed with or without its prefix, as the order history does", async () => {
    const caller = await createCustomer(database.db, "Search Caller");
    const order = await createOrder(database.db, caller.id);
    const digits = order.number.replace(/^WM-/, "");
    for (const typed of [order.number, order.number.toLowerCase(), digits, `${digits.slice(0, 3)} ${digits.slice(3)}`]) {
      expect((await findCustomers(database.db, typed)).map((c) => c.name), typed).toEqual(["Search Caller"]);
    }
  });
});
