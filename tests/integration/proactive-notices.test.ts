// Proactive notices: the job tells a late order, a late refund and a closing return window once
// each, holds out a stable share of orders (recorded, not told), and the insights lift compares
// what the two groups' customers did next.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { noticeLift, noticeLiftTable } from "@/lib/insights/notice-lift";
import { customerMessages } from "@/lib/notify/message-centre";
import { noticeGroup, runProactiveNotices } from "@/lib/notify/proactive";
import { formatDate as formatDateIn } from "@/lib/format/date";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { createCustomer, createOrder } from "../support/orders";

const DAY = 86_400_000;
// Dates read as a customer in UTC would read them.
const READER = { timeZone: "UTC" };
const formatDate = (at: Date) => formatDateIn(at, READER.timeZone);

let database: FreshDatabase;

beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.drop());

async function order(userId: string, status: "PROCESSING" | "SHIPPED" | "DELIVERED", promisedDaysAgo: number, shipment?: { expectedInDays?: number; deliveredDaysAgo?: number }) {
  const created = await createOrder(database.db, userId, { status });
  await database.db.order.update({ where: { id: created.id }, data: { promisedDeliveryAt: new Date(Date.now() - promisedDaysAgo * DAY) } });
  if (shipment) {
    await database.db.shipment.create({
      data: {
        orderId: created.id,
        carrier: "Parcelnet",
        trackingNumber: crypto.randomUUID(),
        status: shipment.deliveredDaysAgo === undefined ? "IN_TRANSIT" : "DELIVERED",
        shippedAt: new Date(Date.now() - (promisedDaysAgo + 2) * DAY),
        expectedAt: new Date(Date.now() + (shipment.expectedInDays ?? -promisedDaysAgo) * DAY),
        deliveredAt: shipment.deliveredDaysAgo === undefined ? null : new Date(Date.now() - shipment.deliveredDaysAgo * DAY),
      },
    });
  }
  return created;
}

describe("the proactive notices job", () => {
  it("tells each due notice once, before the customer asks, and leaves orders that are fine alone", async () => {
    const customer = await createCustomer(database.db);
    const late = await order(customer.id, "PROCESSING", 2);
    const lateOnItsWay = await order(customer.id, "SHIPPED", 1, { expectedInDays: 2 });
    await order(customer.id, "PROCESSING", -3); // promised for later: not late
    const closing = await order(customer.id, "DELIVERED", 30, { deliveredDaysAgo: 28 });
    await order(customer.id, "DELIVERED", 12, { deliveredDaysAgo: 10 }); // plenty of window left
    const refunded = await order(customer.id, "DELIVERED", 20, { deliveredDaysAgo: 40 });
    await database.db.refund.create({ data: { orderId: refunded.id, amountMinor: 1200, currency: "EUR", status: "PENDING", reason: "goodwill", idempotencyKey: crypto.randomUUID(), createdAt: new Date(Date.now() - 3 * DAY) } });

    const now = new Date();
    expect(await runProactiveNotices(database.db, now, 0)).toEqual({ told: 4, heldOut: 0 });
    expect(await runProactiveNotices(database.db, now, 0)).toEqual({ told: 0, heldOut: 0 });

    const messages = await customerMessages(database.db, customer.id, READER);
    expect(messages.map((m) => m.subject).toSorted()).toEqual(
      [`Order ${late.number} is running late`, `Order ${lateOnItsWay.number} is running late`, `Last days to return items from order ${closing.number}`, `Your refund for order ${refunded.number} is taking longer`].toSorted(),
    );
    const lateMessage = messages.find((m) => m.subject.startsWith(`Order ${late.number}`))!;
    // Not shipped yet: the customer may cancel; with no carrier date, no date made up (the order's page says one is to follow).
    expect(lateMessage.paragraphs[0]).toContain("The carrier has not given us a new date yet");
    expect(lateMessage.paragraphs[0]).not.toMatch(/expect it by/);
    expect(lateMessage.paragraphs[1]).toContain("you can cancel it");
    const onItsWay = messages.find((m) => m.subject.startsWith(`Order ${lateOnItsWay.number}`))!;
    const carrierDate = (await database.db.shipment.findFirstOrThrow({ where: { orderId: lateOnItsWay.id } })).expectedAt!;
    expect(onItsWay.paragraphs[0]).toContain(`We now expect it by ${formatDate(carrierDate)}`);
    expect(onItsWay.paragraphs[1]).not.toContain("cancel");
    expect(messages.find((m) => m.subject.startsWith("Last days"))!.action).toEqual({ label: "Start a return", path: `/orders/${closing.number}/return`, journey: "return" });
  });

  it("records a held-out order without telling its customer, and keeps each order in one group", async () => {
    const customer = await createCustomer(database.db);
    const late = await order(customer.id, "PROCESSING", 2);
    await runProactiveNotices(database.db, new Date(), 100);
    expect(await database.db.proactiveNotice.findMany({ where: { orderId: late.id }, select: { type: true, group: true } })).toEqual([{ type: "late_order", group: "HELD_OUT" }]);
    expect(await customerMessages(database.db, customer.id, READER)).toEqual([]);

    const ids = Array.from({ length: 2000 }, () => crypto.randomUUID());
    const heldOut = ids.filter((id) => noticeGroup("late_order", id, 10) === "HELD_OUT").length;
    expect(heldOut / ids.length).toBeGreaterThan(0.07);
    expect(heldOut / ids.length).toBeLessThan(0.13);
    expect(ids.every((id) => noticeGroup("late_order", id, 10) === noticeGroup("late_order", id, 10))).toBe(true);
  });
});

describe("the notices' lift", () => {
  it("counts contacts and channel exits within the follow-up window per 100 affected orders, for each group", async () => {
    const type = `test_notice_${crypto.randomUUID().slice(0, 6)}`;
    const decidedAt = new Date(Date.now() - 20 * DAY);
    // Per order: its group, contacts within 14 days, exits within 14 days, and one late contact that must not count.
    const plan: { group: "NOTICE" | "HELD_OUT"; contacts: number; exits: number }[] = [
      { group: "NOTICE", contacts: 0, exits: 0 },
      { group: "NOTICE", contacts: 1, exits: 0 },
      { group: "NOTICE", contacts: 0, exits: 1 },
      { group: "NOTICE", contacts: 0, exits: 0 },
      { group: "HELD_OUT", contacts: 2, exits: 1 },
      { group: "HELD_OUT", contacts: 1, exits: 0 },
    ];
    for (const step of plan) {
      const customer = await createCustomer(database.db);
      const affected = await createOrder(database.db, customer.id);
      await database.db.proactiveNotice.create({ data: { type, orderId: affected.id, userId: customer.id, group: step.group, decidedAt } });
      for (let i = 0; i < step.contacts; i++) await database.db.contact.create({ data: { userId: customer.id, channel: "PHONE", reason: "where_is_my_order", createdAt: new Date(decidedAt.getTime() + (i + 1) * DAY) } });
      await database.db.contact.create({ data: { userId: customer.id, channel: "EMAIL", reason: "later", createdAt: new Date(decidedAt.getTime() + 15 * DAY) } });
      for (let i = 0; i < step.exits; i++) {
        const at = new Date(decidedAt.getTime() + 2 * DAY);
        await database.db.journey.create({ data: { id: crypto.randomUUID(), type: "order_tracking", userId: customer.id, deviceClass: "MOBILE", startedAt: at, lastActivityAt: at, endedAt: at, lastStep: "detail", outcome: "EXITED", exitChannel: "PHONE" } });
      }
    }
    const expected = (group: "NOTICE" | "HELD_OUT") => {
      const rows = plan.filter((p) => p.group === group);
      return { type, group, orders: rows.length, contacts: rows.reduce((s, p) => s + p.contacts, 0), exits: rows.reduce((s, p) => s + p.exits, 0) };
    };
    const range = { from: new Date(decidedAt.getTime() - DAY), until: new Date() };
    const rows = (await noticeLift(database.db, range)).filter((r) => r.type === type);
    expect(rows).toEqual([expected("NOTICE"), expected("HELD_OUT")]);

    const day = (d: Date) => d.toISOString().slice(0, 10);
    const table = await noticeLiftTable(database.db, { from: day(range.from), to: day(range.until) } as Parameters<typeof noticeLiftTable>[1]);
    const cells = table.rows.map((r) => r.cells).filter((c) => c.notice === type.replaceAll("_", " "));
    const per100 = (n: number, of: number) => (100 * n) / of;
    expect(cells).toEqual([
      { notice: type.replaceAll("_", " "), group: "told", orders: 4, contactsPer100: per100(expected("NOTICE").contacts, 4), exitsPer100: per100(expected("NOTICE").exits, 4) },
      { notice: type.replaceAll("_", " "), group: "hold-out", orders: 2, contactsPer100: per100(expected("HELD_OUT").contacts, 2), exitsPer100: per100(expected("HELD_OUT").exits, 2) },
    ]);
  });
});
