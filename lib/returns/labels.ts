// Booking the carrier for an approved return. The booking is queued in the outbox (topic
// "carrier.label") in the same transaction that approves the return, then tried once at once so
// the customer usually gets the label on the confirmation page; when the carrier is slow, down or
// not configured, the outbox keeps retrying and the page says the label is on its way.
import "server-only";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { bookReturnShipment, carrierConfig, type CarrierAddress, type CarrierConfig } from "@/lib/integrations/carrier";
import { notify } from "@/lib/notify/notify";
import { backoffSeconds, type OutboxRow } from "@/lib/outbox/outbox";

type Tx = Prisma.TransactionClient;

export const CARRIER_LABEL_TOPIC = "carrier.label";
// The immediate attempt goes first; the worker only picks the row up if that attempt failed.
const WORKER_GRACE_MS = 20_000;
const IMMEDIATE_TIMEOUT_MS = 3000;

const labelDedupeKey = (returnId: string) => `carrier-label:${returnId}`;

export async function queueLabel(tx: Tx, returnId: string, now = new Date()) {
  await tx.outboxMessage.createMany({
    data: [{ topic: CARRIER_LABEL_TOPIC, dedupeKey: labelDedupeKey(returnId), payload: { returnId }, nextAttemptAt: new Date(now.getTime() + WORKER_GRACE_MS) }],
    skipDuplicates: true,
  });
}

const addressSchema = z.object({
  fullName: z.string(),
  line1: z.string(),
  line2: z.string().nullish().transform((v) => v ?? null),
  city: z.string(),
  postalCode: z.string(),
  country: z.string().length(2),
});

/** The order's delivery address, where the parcel is collected or sent back from. */
export function senderAddress(shippingAddress: Prisma.JsonValue): CarrierAddress {
  const parsed = addressSchema.safeParse(shippingAddress);
  return parsed.success ? parsed.data : { fullName: "", line1: "", line2: null, city: "", postalCode: "", country: "GB" };
}

/**
 * Books the carrier for one return unless it already has its code, or no longer needs one
 * (cancelled before the booking went through). Same idempotency key on every attempt.
 */
export async function bookLabel(db: Db, config: CarrierConfig, returnId: string, timeoutMs?: number): Promise<void> {
  const ret = await db.return.findUnique({ where: { id: returnId }, select: { id: true, number: true, userId: true, method: true, status: true, carrierCode: true, order: { select: { shippingAddress: true } } } });
  if (!ret || ret.carrierCode || ret.status !== "APPROVED") return;
  const booking = await bookReturnShipment(config, { idempotencyKey: `return:${ret.id}:shipment`, reference: ret.number, method: ret.method, from: senderAddress(ret.order.shippingAddress) }, timeoutMs);
  const code = ret.method === "DROP_OFF" && booking.dropOffCode ? booking.dropOffCode : booking.trackingNumber;
  // The day the carrier answered with ("2026-12-07"), kept as that day's midnight in UTC like any DATE column.
  const pickupDate = ret.method === "PICKUP" ? booking.pickupDate : null;
  await db.$transaction(async (tx) => {
    const stored = await tx.return.updateMany({ where: { id: ret.id, carrierCode: null }, data: { carrierCode: code, pickupDate: pickupDate ? new Date(pickupDate) : null } });
    if (stored.count === 1 && ret.userId) {
      await notify(tx, { type: "return_label_ready", userId: ret.userId, eventKey: `return:${ret.id}:label`, data: { returnNumber: ret.number, method: ret.method, code, pickupDate } });
    }
  });
}

/** The outbox handler: one booking per queued row. */
export function labelHandler(db: Db, config: CarrierConfig) {
  return async (rows: OutboxRow[]) => {
    for (const row of rows) {
      const { returnId } = z.object({ returnId: z.string() }).parse(row.payload);
      await bookLabel(db, config, returnId);
    }
  };
}

/** Right after submitting: one quick attempt, so the confirmation page can show the label. */
export async function bookLabelNow(db: Db, returnId: string): Promise<boolean> {
  const config = carrierConfig();
  if (!config) return false;
  try {
    await bookLabel(db, config, returnId, IMMEDIATE_TIMEOUT_MS);
  } catch {
    // The carrier is slow or down: the outbox takes over after its first backoff instead of the grace period.
    await db.outboxMessage.updateMany({ where: { dedupeKey: labelDedupeKey(returnId), status: "PENDING" }, data: { nextAttemptAt: new Date(Date.now() + backoffSeconds(1) * 1000) } });
    return false;
  }
  await db.outboxMessage.updateMany({ where: { dedupeKey: labelDedupeKey(returnId), status: "PENDING" }, data: { status: "DELIVERED", deliveredAt: new Date() } });
  return true;
}
