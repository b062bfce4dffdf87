// Booking the carrier for an approved return. The booking is queued in the outbox (topic
// "carrier.label") in the same transaction that approves the return, then tried once at once so
// the customer usually gets the label on the confirmation page; when the carrier is slow, down or
// not configured, the outbox keeps retrying and the page says the label is on its way.
// Cancelling an approved return calls the booking off the same way (topic "carrier.cancel"),
// queued in the cancel's transaction and retried until the carrier answers; its answer is kept in
// the return's history.
import "server-only";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { openCase } from "@/lib/cases/cases";
import { bookReturnShipment, cancelReturnShipment, carrierConfig, type CarrierAddress, type CarrierConfig } from "@/lib/integrations/carrier";
import { notify } from "@/lib/notify/notify";
import { backoffSeconds, type OutboxRow } from "@/lib/outbox/outbox";
import { CARRIER_CALL_OFF_NOTE, PARCEL_AFTER_CANCELLATION_REASON } from "./status";

type Tx = Prisma.TransactionClient;

export const CARRIER_LABEL_TOPIC = "carrier.label";
export const CARRIER_CANCEL_TOPIC = "carrier.cancel";
// The immediate attempt goes first; the worker only picks the row up if that attempt failed.
const WORKER_GRACE_MS = 20_000;
const IMMEDIATE_TIMEOUT_MS = 3000;

const labelDedupeKey = (returnId: string) => `carrier-label:${returnId}`;
// One call-off queued with the cancel, and one more if a booking that was in flight lands after it.
const callOffDedupeKey = (returnId: string, lateBooking: boolean) => `carrier-cancel:${returnId}${lateBooking ? ":late-booking" : ""}`;

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
    // Kept only while the return is approved: one cancelled while the carrier booked it gets no
    // label, and the booking just made is called off.
    const stored = await tx.return.updateMany({ where: { id: ret.id, carrierCode: null, status: "APPROVED" }, data: { carrierCode: code, pickupDate: pickupDate ? new Date(pickupDate) : null } });
    if (stored.count === 1 && ret.userId) {
      await notify(tx, { type: "return_label_ready", userId: ret.userId, eventKey: `return:${ret.id}:label`, data: { returnNumber: ret.number, method: ret.method, code, pickupDate } });
    }
    if (stored.count === 0 && (await tx.return.findUnique({ where: { id: ret.id }, select: { status: true } }))?.status === "CANCELLED") {
      await queueCallOff(tx, ret.id, new Date(), { lateBooking: true });
    }
  });
}

const queuedReturnSchema = z.object({ returnId: z.string() });

/** An outbox handler making one carrier request per queued return, in turn. */
function eachReturn(request: (returnId: string) => Promise<void>) {
  return async (rows: OutboxRow[]) => {
    for (const row of rows) await request(queuedReturnSchema.parse(row.payload).returnId);
  };
}

/** The outbox handler of bookings. */
export const labelHandler = (db: Db, config: CarrierConfig) => eachReturn((returnId) => bookLabel(db, config, returnId));

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

/** Calls off the carrier's booking of a return the customer cancelled once it was approved; due at once. */
export async function queueCallOff(tx: Tx, returnId: string, now = new Date(), options = { lateBooking: false }) {
  await tx.outboxMessage.createMany({
    data: [{ topic: CARRIER_CANCEL_TOPIC, dedupeKey: callOffDedupeKey(returnId, options.lateBooking), payload: { returnId }, nextAttemptAt: now }],
    skipDuplicates: true,
  });
}

/**
 * Asks the carrier to call off a cancelled return's booking and keeps its answer in the return's
 * history, once. A parcel already moving cannot be called off: that is kept too, and an agent gets
 * a case to sort it out with the customer. An unreachable carrier throws, and the outbox retries.
 */
export async function callOffBooking(db: Db, config: CarrierConfig, returnId: string, timeoutMs?: number): Promise<void> {
  const ret = await db.return.findUnique({ where: { id: returnId }, select: { id: true, number: true, userId: true, orderId: true, status: true, carrierCode: true } });
  if (!ret || ret.status !== "CANCELLED") return;
  const answer = await cancelReturnShipment(config, { idempotencyKey: `return:${ret.id}:cancellation`, reference: ret.number }, timeoutMs);
  // Cancelled before anything was booked: there was nothing to call off, and nothing to tell.
  if (answer === "not_booked" && !ret.carrierCode) return;
  const note = CARRIER_CALL_OFF_NOTE[answer === "parcel_moving" ? "parcel_moving" : "cancelled"];
  const now = new Date();
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT 1 FROM "Return" WHERE "id" = ${ret.id} FOR UPDATE`;
    const answered = { returnId: ret.id, from: "CANCELLED", to: "CANCELLED", actor: "carrier", note } as const;
    if (await tx.returnStatusChange.findFirst({ where: answered })) return;
    await tx.returnStatusChange.create({ data: { ...answered, at: now } });
    if (answer === "parcel_moving") await openParcelAfterCancellationCase(db, tx, ret, now);
  });
}

/**
 * An agent's case for a cancelled return whose parcel comes to us anyway (refused call-off, or
 * collected or received after the cancellation): one while it waits, which later news joins.
 */
export async function openParcelAfterCancellationCase(db: Db, tx: Tx, ret: { id: string; userId: string | null; orderId: string }, now: Date) {
  if (!ret.userId) return;
  await openCase(db, { userId: ret.userId, channel: "PORTAL", reason: PARCEL_AFTER_CANCELLATION_REASON, orderId: ret.orderId, returnId: ret.id, now }, tx);
}

/** The outbox handler of call-offs. */
export const callOffHandler = (db: Db, config: CarrierConfig) => eachReturn((returnId) => callOffBooking(db, config, returnId));
