// Delivered orders to return, for the returns integration tests and the benchmark: products with
// several variants (exchanges), final-sale and hygiene flags, and a delivery date of the test's choosing.
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import type { TrailActor } from "@/lib/trail/server";
import { nextOrderNumber } from "./orders";

export type FixtureLine = { quantity?: number; unitPriceMinor?: number; taxMinor?: number; category?: string; finalSale?: boolean; hygiene?: boolean; variants?: { label: string; stock: number }[] };

export async function createReturnCustomer(db: Db, name = "Rita Returns") {
  const user = await db.user.create({ data: { name, email: `${crypto.randomUUID()}@example.com`, role: "CUSTOMER" } });
  const actor: TrailActor = { userId: user.id, distinctId: user.analyticsId, deviceClass: "DESKTOP", consent: true };
  return { user, actor };
}

/** A paid GBP order to a London address, delivered `deliveredDaysAgo` days before `now` (or not yet, with `status`). */
export async function createDeliveredOrder(
  db: Db,
  userId: string,
  options: { lines?: FixtureLine[]; deliveredAt?: Date; status?: "DELIVERED" | "SHIPPED" | "PROCESSING"; shippingMinor?: number; country?: string; currency?: string } = {},
) {
  const specs = options.lines ?? [{}];
  const suffix = crypto.randomUUID().slice(0, 8);
  const lines = [];
  for (const [index, spec] of specs.entries()) {
    const variants = spec.variants ?? [{ label: "M", stock: 0 }, { label: "L", stock: 5 }];
    const product = await db.product.create({
      data: {
        name: `Product ${suffix}-${index}`,
        category: spec.category ?? "apparel",
        finalSale: spec.finalSale ?? false,
        hygiene: spec.hygiene ?? false,
        variants: { create: variants.map((v, i) => ({ sku: `SKU-${suffix}-${index}-${i}`, label: v.label, priceMinor: spec.unitPriceMinor ?? 2500, currency: "GBP", stock: v.stock })) },
      },
      include: { variants: { orderBy: { sku: "asc" } } },
    });
    const quantity = spec.quantity ?? 1;
    const unitPriceMinor = spec.unitPriceMinor ?? 2500;
    lines.push({ product, quantity, unitPriceMinor, taxMinor: spec.taxMinor ?? Math.round(unitPriceMinor * quantity * 0.2) });
  }
  const subtotal = lines.reduce((s, l) => s + l.quantity * l.unitPriceMinor, 0);
  const tax = lines.reduce((s, l) => s + l.taxMinor, 0);
  const shipping = options.shippingMinor ?? 395;
  const total = subtotal + tax + shipping;
  const status = options.status ?? "DELIVERED";
  const deliveredAt = options.deliveredAt ?? new Date(Date.now() - 3 * 86_400_000);
  const placedAt = new Date(deliveredAt.getTime() - 4 * 86_400_000);
  const order = await db.order.create({
    data: {
      number: nextOrderNumber(),
      userId,
      status,
      paymentStatus: "PAID",
      currency: options.currency ?? "GBP",
      subtotalMinor: subtotal,
      shippingMinor: shipping,
      taxMinor: tax,
      totalMinor: total,
      paidMinor: total,
      shippingAddress: { fullName: "Rita Returns", line1: "1 Test Street", line2: null, city: "London", postalCode: "N1 1AA", country: options.country ?? "GB" },
      stripePaymentIntentId: `pi_${suffix}`,
      placedAt,
      promisedDeliveryAt: deliveredAt,
      lines: {
        create: lines.map((l) => ({
          variantId: l.product.variants[0].id,
          productName: l.product.name,
          sku: l.product.variants[0].sku,
          category: l.product.category,
          quantity: l.quantity,
          unitPriceMinor: l.unitPriceMinor,
          taxMinor: l.taxMinor,
        })),
      },
      ...(status === "PROCESSING"
        ? {}
        : {
            shipments: {
              create: {
                carrier: "Parcelnet",
                trackingNumber: `PN${suffix}`,
                status: status === "DELIVERED" ? "DELIVERED" : "IN_TRANSIT",
                shippedAt: new Date(placedAt.getTime() + 86_400_000),
                expectedAt: deliveredAt,
                deliveredAt: status === "DELIVERED" ? deliveredAt : null,
              },
            },
          }),
    },
    include: { lines: { orderBy: { id: "asc" } } },
  });
  return { order, lines: order.lines, products: lines.map((l) => l.product) };
}
