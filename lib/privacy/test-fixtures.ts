// Builders for the account and privacy integration tests: customers, orders with an address
// snapshot, and the trail actor a signed-in request would have.
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import type { TrailActor } from "@/lib/trail/server";

export async function createCustomer(db: Db, name = "Test Customer") {
  const tag = crypto.randomUUID().slice(0, 8);
  return db.user.create({ data: { name, email: `${name.split(" ")[0].toLowerCase()}-${tag}@example.com`, role: "CUSTOMER" } });
}

export const HOME = { fullName: "Ada Lovelace", line1: "27 Marchmont Street", line2: "Flat 3", city: "London", region: null, postalCode: "WC1N 1AP", country: "GB" } as const;

let orderSerial = 800_000;

export async function placeOrder(db: Db, userId: string, status: "PENDING_PAYMENT" | "PROCESSING" | "SHIPPED" | "DELIVERED" | "CANCELLED", shippingAddress: object = HOME) {
  const number = `WM-${++orderSerial}`;
  return db.order.create({
    data: {
      number,
      userId,
      status,
      paymentStatus: "PAID",
      currency: "GBP",
      subtotalMinor: 2000,
      shippingMinor: 0,
      taxMinor: 0,
      totalMinor: 2000,
      paidMinor: 2000,
      shippingAddress,
      placedAt: new Date(),
      promisedDeliveryAt: new Date(Date.now() + 3 * 86_400_000),
    },
  });
}

export function actorFor(user: { id: string; analyticsId: string; analyticsConsent?: boolean }): TrailActor {
  return { userId: user.id, distinctId: user.analyticsId, deviceClass: "DESKTOP", consent: user.analyticsConsent ?? true };
}

export function trailFor(user: { id: string; analyticsId: string; analyticsConsent?: boolean }) {
  return { actor: actorFor(user), journeyId: crypto.randomUUID() };
}
