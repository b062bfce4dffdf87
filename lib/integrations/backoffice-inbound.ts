// Webhooks from the back office: order status changes and carrier scans for shipments. Each is
// applied at most once (its webhook-id is recorded in ProcessedWebhook in the same transaction as
// the change) and none moves an order or a shipment backwards, whatever order they arrive in.
import "server-only";
import { z } from "zod";
import { parseJsonBody } from "@/lib/http/input";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";

type Tx = Prisma.TransactionClient;
type OrderStatus = "PENDING_PAYMENT" | "PROCESSING" | "SHIPPED" | "DELIVERED" | "CANCELLED";
type ShipmentStatus = "LABEL_CREATED" | "IN_TRANSIT" | "OUT_FOR_DELIVERY" | "DELIVERED" | "EXCEPTION" | "LOST";

const SHIPMENT_STATUSES = ["LABEL_CREATED", "IN_TRANSIT", "OUT_FOR_DELIVERY", "DELIVERED", "EXCEPTION", "LOST"] as const satisfies readonly ShipmentStatus[];
const WEBHOOK_SOURCE = "backoffice";
export const MAX_INBOUND_BODY_BYTES = 64 * 1024;

const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
const orderNumber = z.string().trim().min(1).max(40);

const orderStatusChanged = z.object({
  type: z.literal("order.status_changed"),
  data: z.object({ orderNumber, status: z.enum(["SHIPPED", "DELIVERED", "CANCELLED"]), at: instant }),
});

const shipmentEvent = z.object({
  type: z.literal("shipment.event"),
  data: z.object({
    orderNumber,
    carrier: z.string().trim().min(1).max(60),
    trackingNumber: z.string().trim().min(4).max(60),
    status: z.enum(SHIPMENT_STATUSES),
    // Shown to the customer on their tracking timeline.
    description: z.string().trim().min(1).max(200),
    location: z.string().trim().max(120).nullish(),
    at: instant,
    expectedAt: instant.optional(),
  }),
});

const inboundEventSchema = z.discriminatedUnion("type", [orderStatusChanged, shipmentEvent]);

export type InboundEvent = z.infer<typeof inboundEventSchema>;

/** The body as sent, parsed; a short message for the sender when it is not one of our event types. */
export function parseInboundEvent(body: string): { ok: true; event: InboundEvent } | { ok: false; message: string } {
  const parsed = parseJsonBody(body, inboundEventSchema, "event");
  return parsed.ok ? { ok: true, event: parsed.value } : parsed;
}

// DELIVERED and CANCELLED are final; otherwise an order only moves forward.
const ORDER_PROGRESS: Record<OrderStatus, number> = { PENDING_PAYMENT: 0, PROCESSING: 1, SHIPPED: 2, DELIVERED: 3, CANCELLED: 3 };

export function orderMovesForward(from: OrderStatus, to: OrderStatus): boolean {
  if (from === "DELIVERED" || from === "CANCELLED") return false;
  return to === "CANCELLED" || ORDER_PROGRESS[to] > ORDER_PROGRESS[from];
}

/** A scan sets the shipment's status only when it is the newest one so far, and nothing follows a delivery. */
export function shipmentStatusFollows(current: { status: ShipmentStatus; newestScanAt: Date | null }, scanAt: Date): boolean {
  if (current.status === "DELIVERED") return false;
  return current.newestScanAt === null || scanAt.getTime() >= current.newestScanAt.getTime();
}

export type InboundOutcome =
  | { outcome: "applied"; statusChanged: boolean }
  | { outcome: "replayed" }
  | { outcome: "rejected"; reason: "unknown_order" | "tracking_number_of_another_order" };

class Rejected extends Error {
  constructor(readonly reason: Extract<InboundOutcome, { outcome: "rejected" }>["reason"]) {
    super(reason);
  }
}

/**
 * Applies one verified event. A replay (same webhook id) changes nothing. A rejected event leaves no
 * trace either, so the back office can correct and resend it under the same id.
 */
export async function applyInboundEvent(db: Db, webhookId: string, event: InboundEvent): Promise<InboundOutcome> {
  try {
    return await db.$transaction(async (tx) => {
      const first = await tx.processedWebhook.createMany({ data: [{ id: `${WEBHOOK_SOURCE}:${webhookId}`, source: WEBHOOK_SOURCE, type: event.type }], skipDuplicates: true });
      if (first.count === 0) return { outcome: "replayed" } as const;
      const order = await tx.order.findUnique({ where: { number: event.data.orderNumber }, select: { id: true } });
      if (!order) throw new Rejected("unknown_order");
      // Serialises every change to this order, including two scans creating the same shipment.
      await tx.$executeRaw`SELECT 1 FROM "Order" WHERE "id" = ${order.id} FOR UPDATE`;
      const statusChanged = event.type === "order.status_changed" ? await changeOrderStatus(tx, order.id, event.data) : await recordScan(tx, order.id, event.data);
      return { outcome: "applied", statusChanged } as const;
    });
  } catch (error) {
    if (error instanceof Rejected) return { outcome: "rejected", reason: error.reason };
    throw error;
  }
}

async function changeOrderStatus(tx: Tx, orderId: string, change: Extract<InboundEvent, { type: "order.status_changed" }>["data"]): Promise<boolean> {
  const order = await tx.order.findUniqueOrThrow({ where: { id: orderId }, select: { status: true } });
  if (!orderMovesForward(order.status, change.status)) return false;
  await tx.order.update({ where: { id: orderId }, data: { status: change.status } });
  await tx.orderStatusChange.create({ data: { orderId, from: order.status, to: change.status, at: change.at, actor: WEBHOOK_SOURCE } });
  if (change.status === "DELIVERED") {
    await tx.shipment.updateMany({ where: { orderId, deliveredAt: null }, data: { status: "DELIVERED", deliveredAt: change.at } });
  }
  return true;
}

async function recordScan(tx: Tx, orderId: string, scan: Extract<InboundEvent, { type: "shipment.event" }>["data"]): Promise<boolean> {
  const delivered = scan.status === "DELIVERED" ? { deliveredAt: scan.at } : {};
  let shipment = await tx.shipment.findUnique({ where: { trackingNumber: scan.trackingNumber }, select: { id: true, orderId: true, status: true } });
  let statusChanged = false;
  if (!shipment) {
    const order = await tx.order.findUniqueOrThrow({ where: { id: orderId }, select: { promisedDeliveryAt: true } });
    shipment = await tx.shipment.create({
      data: { orderId, carrier: scan.carrier, trackingNumber: scan.trackingNumber, status: scan.status, shippedAt: scan.at, expectedAt: scan.expectedAt ?? order.promisedDeliveryAt, ...delivered },
      select: { id: true, orderId: true, status: true },
    });
    statusChanged = true;
  } else {
    if (shipment.orderId !== orderId) throw new Rejected("tracking_number_of_another_order");
    const newest = await tx.shipmentEvent.findFirst({ where: { shipmentId: shipment.id }, orderBy: { at: "desc" }, select: { at: true } });
    if (shipmentStatusFollows({ status: shipment.status, newestScanAt: newest?.at ?? null }, scan.at)) {
      await tx.shipment.update({ where: { id: shipment.id }, data: { status: scan.status, ...delivered, ...(scan.expectedAt ? { expectedAt: scan.expectedAt } : {}) } });
      statusChanged = scan.status !== shipment.status;
    }
  }
  await tx.shipmentEvent.create({ data: { shipmentId: shipment.id, status: scan.status, description: scan.description, location: scan.location ?? null, at: scan.at } });
  return statusChanged;
}
