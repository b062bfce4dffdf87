// Webhooks from the returns warehouse and its carrier: a signature over a timestamp and the raw
// body (HMAC-SHA256 with CARRIER_WEBHOOK_SECRET), so a forged or replayed-later request is refused,
// and the event shapes we accept. Framework-free; the same signer serves the tests and the stand-in.
import crypto from "node:crypto";
import { z } from "zod";

export const SIGNATURE_HEADER = "x-carrier-signature";
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function signCarrierPayload(secret: string, rawBody: string, timestampSeconds = Math.floor(Date.now() / 1000)): string {
  const digest = crypto.createHmac("sha256", secret).update(`${timestampSeconds}.${rawBody}`).digest("hex");
  return `t=${timestampSeconds},v1=${digest}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: "missing" | "malformed" | "stale" | "mismatch" };

export function verifyCarrierSignature(secret: string, rawBody: string, header: string | null, now = new Date()): SignatureCheck {
  if (!header) return { ok: false, reason: "missing" };
  const fields = new Map(header.split(",").map((part) => part.trim().split("=", 2) as [string, string]));
  const timestamp = Number(fields.get("t"));
  const given = fields.get("v1");
  if (!Number.isInteger(timestamp) || !given || !/^[0-9a-f]{64}$/.test(given)) return { ok: false, reason: "malformed" };
  if (Math.abs(now.getTime() / 1000 - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return { ok: false, reason: "stale" };
  const expected = signCarrierPayload(secret, rawBody, timestamp).split("v1=")[1];
  const same = crypto.timingSafeEqual(Buffer.from(expected, "hex"), Buffer.from(given, "hex"));
  return same ? { ok: true } : { ok: false, reason: "mismatch" };
}

/** What each event moves the return to. */
export const CARRIER_EVENT_STATUS = {
  "return.in_transit": "IN_TRANSIT",
  "return.received": "RECEIVED",
  "return.inspected": "INSPECTED",
} as const;

export const carrierEventSchema = z.object({
  id: z.string().min(1).max(100),
  type: z.enum(Object.keys(CARRIER_EVENT_STATUS) as [keyof typeof CARRIER_EVENT_STATUS, ...(keyof typeof CARRIER_EVENT_STATUS)[]]),
  occurredAt: z.iso.datetime({ offset: true }),
  data: z.object({ reference: z.string().regex(/^RT-\d{6}$/) }),
});

export type CarrierEvent = z.infer<typeof carrierEventSchema>;
