// Business events for the back office (ERP, CRM): written to the outbox in the same transaction
// as the change they describe, delivered as signed webhooks to every configured endpoint.
import crypto from "node:crypto";
import type { Prisma } from "@/lib/generated/prisma/client";

export const BUSINESS_EVENT_TYPES = [
  "order.cancelled",
  "order.address_changed",
  "return.created",
  "return.approved",
  "return.declined",
  "return.cancelled",
  "return.received",
  "refund.issued",
  "credit.granted",
  "case.opened",
  "case.closed",
] as const;

export type BusinessEventType = (typeof BUSINESS_EVENT_TYPES)[number];

export const BUSINESS_EVENT_TOPIC = "backoffice.event";

/** Queues one event; its id lets receivers de-duplicate however often it is delivered. */
export async function emitBusinessEvent(tx: Prisma.TransactionClient, type: BusinessEventType, data: Record<string, string | number | boolean | null>, occurredAt = new Date()) {
  const id = `evt_${crypto.randomUUID().replaceAll("-", "")}`;
  await tx.outboxMessage.create({
    data: { topic: BUSINESS_EVENT_TOPIC, dedupeKey: id, payload: { id, type, occurredAt: occurredAt.toISOString(), data } },
  });
  return id;
}
