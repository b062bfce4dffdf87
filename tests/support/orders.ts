// Builds customers and orders for integration tests, with only what a test cares about spelled out.
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";

// Above the demo data's numbers, counting up in tens: unique within a database, also one holding
// the demo seed (the benchmark's), without a round trip. The gaps leave room for the numbers the
// portal itself allocates (max + 1, e.g. a replacement order) between a test's own orders.
const STEP = 10;
let lastOrderNumber = crypto.randomInt(90_000, 98_000) * STEP;

/** A fresh order number for a test's order (every fixture module takes them from here). */
export function nextOrderNumber(): string {
  lastOrderNumber += STEP;
  return `WM-${lastOrderNumber}`;
}

type OrderStatus = "PENDING_PAYMENT" | "PROCESSING" | "SHIPPED" | "DELIVERED" | "CANCELLED";

export async function createCustomer(db: Db, name = "Test Customer") {
  return db.user.create({ data: { name, email: `${crypto.randomUUID()}@example.com`, role: "CUSTOMER" } });
}

export async function createOrder(
  db: Db,
  userId: string,
  options: { status?: OrderStatus; lines?: { quantity: number; unitPriceMinor: number; taxMinor?: number }[]; shippingMinor?: number; paid?: boolean; balanceDueMinor?: number } = {},
) {
  const lines = options.lines ?? [{ quantity: 2, unitPriceMinor: 1500, taxMinor: 600 }];
  const suffix = crypto.randomUUID().slice(0, 8);
  const product = await db.product.create({ data: { name: `Product ${suffix}`, category: "apparel", variants: { create: { sku: `SKU-${suffix}`, label: "M", priceMinor: 1500, currency: "EUR", stock: 5 } } }, include: { variants: true } });
  const subtotal = lines.reduce((s, l) => s + l.quantity * l.unitPriceMinor, 0);
  const tax = lines.reduce((s, l) => s + (l.taxMinor ?? 0), 0);
  const shipping = options.shippingMinor ?? 500;
  const total = subtotal + tax + shipping;
  const paid = options.paid ?? true;
  return db.order.create({
    data: {
      number: nextOrderNumber(),
      userId,
      status: options.status ?? "PROCESSING",
      paymentStatus: paid ? "PAID" : "FAILED",
      currency: "EUR",
      subtotalMinor: subtotal,
      shippingMinor: shipping,
      taxMinor: tax,
      totalMinor: total,
      paidMinor: paid ? total : 0,
      balanceDueMinor: options.balanceDueMinor ?? (paid ? 0 : total),
      shippingAddress: { fullName: "Test Customer", line1: "1 Test Street", city: "Berlin", postalCode: "10115", country: "DE" },
      stripePaymentIntentId: paid ? `pi_${suffix}` : null,
      placedAt: new Date(Date.now() - 86_400_000),
      promisedDeliveryAt: new Date(Date.now() + 3 * 86_400_000),
      lines: { create: lines.map((l) => ({ variantId: product.variants[0].id, productName: product.name, sku: product.variants[0].sku, category: "apparel", quantity: l.quantity, unitPriceMinor: l.unitPriceMinor, taxMinor: l.taxMinor ?? 0 })) },
    },
    include: { lines: true },
  });
}

/** A return of the order, just requested: all a test of what a case is about needs of one. */
export async function createReturn(db: Db, order: { id: string; userId: string | null }) {
  return db.return.create({
    data: { number: `RT-${crypto.randomUUID().slice(0, 8)}`, orderId: order.id, userId: order.userId, status: "REQUESTED", resolution: "REFUND", method: "DROP_OFF", policyVersion: 1, refundMinor: 0, currency: "EUR", idempotencyKey: crypto.randomUUID() },
  });
}
