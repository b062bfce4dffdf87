// Order status and shipment scans from the back office, applied to a real PostgreSQL: once per
// webhook id, never backwards, whatever order they arrive in.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyInboundEvent, parseInboundEvent, type InboundEvent } from "@/lib/integrations/backoffice-inbound";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { createCustomer, createOrder } from "../support/orders";

let database: FreshDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database.drop();
});

const db = () => database.db;
const webhookId = () => `msg_${crypto.randomUUID().replaceAll("-", "")}`;
const startedAt = Date.now();
const hoursAgo = (h: number) => new Date(startedAt - h * 3_600_000).toISOString();

function event(body: unknown): InboundEvent {
  const parsed = parseInboundEvent(JSON.stringify(body));
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.event;
}
const statusChange = (orderNumber: string, status: "SHIPPED" | "DELIVERED" | "CANCELLED", at = new Date().toISOString()) => event({ type: "order.status_changed", data: { orderNumber, status, at } });
const scan = (orderNumber: string, trackingNumber: string, status: string, at: string, description = `Scan ${status}`) =>
  event({ type: "shipment.event", data: { orderNumber, carrier: "Parcelnet", trackingNumber, status, description, location: "Berlin hub", at } });

async function newOrder(status: "PROCESSING" | "SHIPPED" | "DELIVERED" | "CANCELLED" = "PROCESSING") {
  const customer = await createCustomer(db());
  return createOrder(db(), customer.id, { status });
}

describe("order status from the back office", () => {
  it("moves an order forward and records who moved it; delivery stamps the shipment", async () => {
    const order = await newOrder();
    await applyInboundEvent(db(), webhookId(), scan(order.number, `PN${order.id}`, "IN_TRANSIT", hoursAgo(30)));
    expect(await applyInboundEvent(db(), webhookId(), statusChange(order.number, "SHIPPED", hoursAgo(30)))).toEqual({ outcome: "applied", statusChanged: true });
    const deliveredAt = hoursAgo(1);
    expect(await applyInboundEvent(db(), webhookId(), statusChange(order.number, "DELIVERED", deliveredAt))).toEqual({ outcome: "applied", statusChanged: true });

    const stored = await db().order.findUniqueOrThrow({ where: { id: order.id }, include: { history: { orderBy: { at: "asc" } }, shipments: true } });
    expect(stored.status).toBe("DELIVERED");
    expect(stored.history.map((h) => [h.from, h.to, h.actor])).toEqual([["PROCESSING", "SHIPPED", "backoffice"], ["SHIPPED", "DELIVERED", "backoffice"]]);
    expect(stored.shipments[0]).toMatchObject({ status: "DELIVERED", deliveredAt: new Date(deliveredAt) });
  });

  it("ignores a change that would move an order backwards or reopen it", async () => {
    const delivered = await newOrder("DELIVERED");
    expect(await applyInboundEvent(db(), webhookId(), statusChange(delivered.number, "SHIPPED"))).toEqual({ outcome: "applied", statusChanged: false });
    const cancelled = await newOrder("CANCELLED");
    expect(await applyInboundEvent(db(), webhookId(), statusChange(cancelled.number, "DELIVERED"))).toEqual({ outcome: "applied", statusChanged: false });
    expect((await db().order.findUniqueOrThrow({ where: { id: delivered.id } })).status).toBe("DELIVERED");
    expect((await db().order.findUniqueOrThrow({ where: { id: cancelled.id } })).status).toBe("CANCELLED");
    expect(await db().orderStatusChange.count({ where: { orderId: { in: [delivered.id, cancelled.id] } } })).toBe(0);
  });

  it("applies a replayed webhook id once, even when both copies arrive at the same time", async () => {
    const order = await newOrder();
    const id = webhookId();
    const results = await Promise.all([applyInboundEvent(db(), id, statusChange(order.number, "SHIPPED")), applyInboundEvent(db(), id, statusChange(order.number, "SHIPPED"))]);
    expect(results.map((r) => r.outcome).sort()).toEqual(["applied", "replayed"]);
    expect(await db().orderStatusChange.count({ where: { orderId: order.id } })).toBe(1);
    expect(await db().processedWebhook.findUnique({ where: { id: `backoffice:${id}` } })).toMatchObject({ source: "backoffice", type: "order.status_changed" });
  });

  it("rejects an unknown order without remembering the id, so a corrected resend is applied", async () => {
    const id = webhookId();
    expect(await applyInboundEvent(db(), id, statusChange("WM-000000", "SHIPPED"))).toEqual({ outcome: "rejected", reason: "unknown_order" });
    expect(await db().processedWebhook.count({ where: { id: `backoffice:${id}` } })).toBe(0);
    const order = await newOrder();
    expect(await applyInboundEvent(db(), id, statusChange(order.number, "SHIPPED"))).toEqual({ outcome: "applied", statusChanged: true });
  });
});

describe("shipment scans from the back office", () => {
  it("creates the shipment on its first scan and appends later scans to its timeline", async () => {
    const order = await newOrder("SHIPPED");
    const tracking = `PN-${crypto.randomUUID().slice(0, 8)}`;
    await applyInboundEvent(db(), webhookId(), scan(order.number, tracking, "LABEL_CREATED", hoursAgo(20)));
    await applyInboundEvent(db(), webhookId(), scan(order.number, tracking, "IN_TRANSIT", hoursAgo(10)));
    const shipment = await db().shipment.findUniqueOrThrow({ where: { trackingNumber: tracking }, include: { events: { orderBy: { at: "asc" } } } });
    expect(shipment).toMatchObject({ orderId: order.id, carrier: "Parcelnet", status: "IN_TRANSIT", shippedAt: new Date(hoursAgo(20)), expectedAt: order.promisedDeliveryAt });
    expect(shipment.events.map((e) => [e.status, e.location])).toEqual([["LABEL_CREATED", "Berlin hub"], ["IN_TRANSIT", "Berlin hub"]]);
  });

  it("keeps the newest status when scans arrive out of order, and delivery is final", async () => {
    const order = await newOrder("SHIPPED");
    const tracking = `PN-${crypto.randomUUID().slice(0, 8)}`;
    await applyInboundEvent(db(), webhookId(), scan(order.number, tracking, "OUT_FOR_DELIVERY", hoursAgo(3)));
    // Sent earlier by the carrier, received later.
    expect(await applyInboundEvent(db(), webhookId(), scan(order.number, tracking, "IN_TRANSIT", hoursAgo(12)))).toEqual({ outcome: "applied", statusChanged: false });
    expect((await db().shipment.findUniqueOrThrow({ where: { trackingNumber: tracking } })).status).toBe("OUT_FOR_DELIVERY");

    await applyInboundEvent(db(), webhookId(), scan(order.number, tracking, "DELIVERED", hoursAgo(1)));
    await applyInboundEvent(db(), webhookId(), scan(order.number, tracking, "EXCEPTION", hoursAgo(0.5)));
    const shipment = await db().shipment.findUniqueOrThrow({ where: { trackingNumber: tracking }, include: { events: true } });
    expect(shipment).toMatchObject({ status: "DELIVERED", deliveredAt: new Date(hoursAgo(1)) });
    // Every scan is on the timeline, in the order they happened.
    expect(shipment.events).toHaveLength(4);
  });

  it("adds a replayed scan once", async () => {
    const order = await newOrder("SHIPPED");
    const tracking = `PN-${crypto.randomUUID().slice(0, 8)}`;
    const id = webhookId();
    const sameScan = scan(order.number, tracking, "IN_TRANSIT", hoursAgo(2));
    expect((await applyInboundEvent(db(), id, sameScan)).outcome).toBe("applied");
    expect(await applyInboundEvent(db(), id, sameScan)).toEqual({ outcome: "replayed" });
    expect(await db().shipmentEvent.count({ where: { shipment: { trackingNumber: tracking } } })).toBe(1);
  });

  it("rejects a tracking number that belongs to another order and changes nothing", async () => {
    const first = await newOrder("SHIPPED");
    const second = await newOrder("SHIPPED");
    const tracking = `PN-${crypto.randomUUID().slice(0, 8)}`;
    await applyInboundEvent(db(), webhookId(), scan(first.number, tracking, "IN_TRANSIT", hoursAgo(2)));
    expect(await applyInboundEvent(db(), webhookId(), scan(second.number, tracking, "DELIVERED", hoursAgo(1)))).toEqual({ outcome: "rejected", reason: "tracking_number_of_another_order" });
    expect(await db().shipmentEvent.count({ where: { shipment: { trackingNumber: tracking } } })).toBe(1);
    expect(await db().shipment.count({ where: { orderId: second.id } })).toBe(0);
  });
});
