// "Download my data": everything Waymark holds about one customer, as one JSON document. Every
// query is scoped to the customer, and every field is chosen explicitly (an allow-list), so a new
// internal column (a token hash, an idempotency key, another person's name) never leaks into it.
import "server-only";
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import { recordStep, type TrailActor } from "@/lib/trail/server";

export const EXPORT_FORMAT = "waymark-customer-data";
export const EXPORT_VERSION = 1;

const ORDER_LINE = { productName: true, sku: true, category: true, quantity: true, unitPriceMinor: true, taxMinor: true, cancelledQuantity: true, returnedQuantity: true } as const;
const MONEY_MOVEMENT = { amountMinor: true, currency: true, status: true, createdAt: true } as const;

export async function buildCustomerExport(db: Db, userId: string, now = new Date()) {
  const [profile, sessions, addresses, consents, emailChanges, orders, returns, storeCredit, contacts, cases, journeys, emails, paymentMethods] = await Promise.all([
    db.user.findUniqueOrThrow({
      where: { id: userId },
      select: { name: true, email: true, phone: true, locale: true, timeZone: true, status: true, analyticsId: true, analyticsConsent: true, createdAt: true, updatedAt: true },
    }),
    db.authSession.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: { createdAt: true, lastSeenAt: true, expiresAt: true, revokedAt: true, userAgent: true, deviceClass: true } }),
    db.address.findMany({
      where: { userId },
      orderBy: { createdAt: "asc" },
      select: { fullName: true, line1: true, line2: true, city: true, region: true, postalCode: true, country: true, phone: true, isDefaultShipping: true, isDefaultBilling: true, createdAt: true, deletedAt: true },
    }),
    db.consentRecord.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: { purpose: true, channel: true, granted: true, createdAt: true } }),
    db.emailChangeRequest.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: { newEmail: true, createdAt: true, expiresAt: true, usedAt: true } }),
    db.order.findMany({
      where: { userId },
      orderBy: { placedAt: "asc" },
      select: {
        number: true,
        status: true,
        paymentStatus: true,
        currency: true,
        subtotalMinor: true,
        shippingMinor: true,
        taxMinor: true,
        totalMinor: true,
        paidMinor: true,
        refundedMinor: true,
        balanceDueMinor: true,
        shippingAddress: true,
        placedAt: true,
        promisedDeliveryAt: true,
        lines: { orderBy: { id: "asc" }, select: ORDER_LINE },
        history: { orderBy: { at: "asc" }, select: { from: true, to: true, at: true } },
        shipments: { orderBy: { shippedAt: "asc" }, select: { carrier: true, trackingNumber: true, status: true, shippedAt: true, expectedAt: true, deliveredAt: true, events: { orderBy: { at: "asc" }, select: { status: true, description: true, location: true, at: true } } } },
        payments: { orderBy: { createdAt: "asc" }, select: { kind: true, ...MONEY_MOVEMENT } },
        refunds: { orderBy: { createdAt: "asc" }, select: { reason: true, settledAt: true, ...MONEY_MOVEMENT } },
      },
    }),
    db.return.findMany({
      where: { userId },
      orderBy: { createdAt: "asc" },
      select: {
        number: true,
        order: { select: { number: true } },
        status: true,
        resolution: true,
        method: true,
        refundMinor: true,
        feeMinor: true,
        bonusMinor: true,
        currency: true,
        carrierCode: true,
        createdAt: true,
        lines: { select: { quantity: true, reason: true, note: true, orderLine: { select: { productName: true, sku: true } } } },
        history: { orderBy: { at: "asc" }, select: { from: true, to: true, at: true } },
      },
    }),
    db.storeCreditEntry.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: { amountMinor: true, currency: true, reason: true, createdAt: true } }),
    // Who at Waymark logged a contact is staff data, not the customer's: left out.
    db.contact.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: { channel: true, reason: true, note: true, journeyId: true, resolvedNeed: true, createdAt: true } }),
    db.case.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: { number: true, channel: true, status: true, reason: true, outcome: true, journeyId: true, createdAt: true, closedAt: true } }),
    db.journey.findMany({
      where: { userId },
      orderBy: { startedAt: "asc" },
      select: {
        id: true,
        type: true,
        deviceClass: true,
        startedAt: true,
        endedAt: true,
        lastStep: true,
        outcome: true,
        exitChannel: true,
        events: { orderBy: { occurredAt: "asc" }, select: { step: true, kind: true, errorCode: true, channel: true, source: true, occurredAt: true } },
      },
    }),
    // Bodies are left out: an unexpired password-reset or confirmation link must not sit in a downloaded file.
    db.emailMessage.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: { to: true, subject: true, status: true, createdAt: true, sentAt: true } }),
    db.savedPaymentMethod.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: { brand: true, last4: true, expMonth: true, expYear: true, isDefault: true, createdAt: true, removedAt: true } }),
  ]);

  const storeCreditBalance = Object.entries(
    storeCredit.reduce<Record<string, number>>((sums, entry) => ({ ...sums, [entry.currency]: (sums[entry.currency] ?? 0) + entry.amountMinor }), {}),
  ).map(([currency, amountMinor]) => ({ currency, amountMinor }));

  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    generatedAt: now.toISOString(),
    notes: "Money is in minor units (pence, cents) of the currency next to it. Times are UTC. Your trail lists each step of each task you did in the portal.",
    profile,
    communicationPreferences: consents,
    addresses,
    emailChanges,
    sessions,
    paymentMethods,
    orders,
    returns,
    storeCredit: { balance: storeCreditBalance, entries: storeCredit },
    contacts,
    cases,
    trail: journeys,
    emails,
  };
}

export type CustomerExport = Awaited<ReturnType<typeof buildCustomerExport>>;

export function exportFileName(now = new Date()): string {
  return `waymark-my-data-${now.toISOString().slice(0, 10)}.json`;
}

/**
 * Records the customer's request for their file and returns the journey that addresses it. A
 * journey id from the form that is someone else's, or another task's (a forged form), is not reused.
 */
export async function startDataExport(db: Db, userId: string, trail: { actor: TrailActor; journeyId: string }): Promise<string> {
  const existing = await db.journey.findUnique({ where: { id: trail.journeyId }, select: { userId: true, type: true } });
  const journeyId = !existing || (existing.userId === userId && existing.type === "data_export") ? trail.journeyId : crypto.randomUUID();
  await recordStep(db, trail.actor, { journeyId, type: "data_export", step: "privacy", action: "completed" });
  return journeyId;
}
