// Webhook signatures in the Standard Webhooks scheme (https://www.standardwebhooks.com, symmetric
// "v1"): HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<raw body>" with the base64 key behind
// a "whsec_" prefix, sent as `webhook-signature: v1,<base64>` (several, space-separated, while a
// secret is rotated). Used for the back-office webhooks in both directions.
//
// Self-contained on purpose (node:crypto only): a receiver can copy this file as it is.
import { createHmac, timingSafeEqual } from "node:crypto";

/** Deliveries signed longer ago (or further ahead) than this are refused, so a captured request cannot be replayed later. */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

// The id and timestamp are part of the signed content, joined by dots: neither may contain one.
const ID_PATTERN = /^[A-Za-z0-9_:-]{1,200}$/;
const TIMESTAMP_PATTERN = /^\d{1,12}$/;

function signingKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret, "base64");
}

function hmac(secret: string, id: string, timestamp: string, body: string): Buffer {
  return createHmac("sha256", signingKey(secret)).update(`${id}.${timestamp}.${body}`, "utf8").digest();
}

/** The `webhook-signature` value for one delivery. */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  return `v1,${hmac(secret, id, String(timestampSeconds), body).toString("base64")}`;
}

/** The three headers of a signed delivery; the timestamp is the time of this attempt, not of the event. */
export function webhookHeaders(secret: string, id: string, body: string, now: Date = new Date()): Record<"webhook-id" | "webhook-timestamp" | "webhook-signature", string> {
  if (!ID_PATTERN.test(id)) throw new Error("a webhook id may only contain letters, digits, '_', ':' and '-'");
  const timestamp = Math.floor(now.getTime() / 1000);
  return { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": signWebhook(secret, id, timestamp, body) };
}

export type WebhookVerification =
  | { ok: true; id: string; timestamp: number }
  | { ok: false; reason: "missing_headers" | "malformed_headers" | "timestamp_out_of_tolerance" | "bad_signature" };

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name] ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Checks a delivery against the raw body exactly as received (before any JSON parsing). `secrets`
 * may list the current and the previous secret while one is being rotated. After `ok`, use the id
 * to process each event once: a sender retries with the same id.
 */
export function verifyWebhook(secrets: string | readonly string[], headers: HeaderSource, body: string, now: Date = new Date()): WebhookVerification {
  const id = header(headers, "webhook-id");
  const timestamp = header(headers, "webhook-timestamp");
  const signatures = header(headers, "webhook-signature");
  if (!id || !timestamp || !signatures) return { ok: false, reason: "missing_headers" };
  if (!ID_PATTERN.test(id) || !TIMESTAMP_PATTERN.test(timestamp)) return { ok: false, reason: "malformed_headers" };
  if (Math.abs(Math.floor(now.getTime() / 1000) - Number(timestamp)) > WEBHOOK_TOLERANCE_SECONDS) return { ok: false, reason: "timestamp_out_of_tolerance" };

  const offered = signatures
    .split(" ")
    .filter((entry) => entry.startsWith("v1,"))
    .map((entry) => Buffer.from(entry.slice(3), "base64"));
  for (const secret of typeof secrets === "string" ? [secrets] : secrets) {
    const expected = hmac(secret, id, timestamp, body);
    if (offered.some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected))) return { ok: true, id, timestamp: Number(timestamp) };
  }
  return { ok: false, reason: "bad_signature" };
}
