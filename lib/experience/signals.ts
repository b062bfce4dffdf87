// Reads the risk signals Waymark holds about a customer and their live journey, as they stood at
// `now` (nothing after it is seen), so the score can be evaluated honestly on past data.
import type { Db } from "@/lib/db/client";
import { NO_SIGNALS, scoreRisk, type RiskScore, type RiskSignals } from "./risk";

const DAY_MS = 86_400_000;
export const HISTORY_DAYS = 90;
export const CONTACT_DAYS = 30;
/** A card refund usually lands within 10 days; after that the customer is waiting on us. */
export const REFUND_OVERDUE_DAYS = 10;

export async function customerSignals(db: Db, userId: string, now = new Date()): Promise<Pick<RiskSignals, "lateDeliveries" | "lostDeliveries" | "failedPayments" | "overdueRefunds" | "recentContacts" | "complaints">> {
  const since = new Date(now.getTime() - HISTORY_DAYS * DAY_MS);
  const [late] = await db.$queryRaw<{ late: number; lost: number }[]>`
    SELECT count(*) FILTER (WHERE (s."deliveredAt" <= ${now} AND s."deliveredAt" > o."promisedDeliveryAt")
                              OR ((s."deliveredAt" IS NULL OR s."deliveredAt" > ${now}) AND o."promisedDeliveryAt" < ${now} AND o."status" <> 'CANCELLED'))::int AS late,
           count(*) FILTER (WHERE s."status" = 'LOST')::int AS lost
    FROM "Order" o JOIN "Shipment" s ON s."orderId" = o."id"
    WHERE o."userId" = ${userId} AND o."placedAt" >= ${since} AND o."placedAt" < ${now}`;
  const [failedPayments, overdueRefunds, recentContacts, complaintContacts, complaintCases] = await Promise.all([
    db.payment.count({ where: { status: "FAILED", createdAt: { gte: since, lt: now }, order: { userId } } }),
    // Overdue at `now`: asked for more than REFUND_OVERDUE_DAYS ago and not settled by then.
    db.refund.count({
      where: { createdAt: { lt: new Date(now.getTime() - REFUND_OVERDUE_DAYS * DAY_MS) }, OR: [{ status: "PENDING" }, { settledAt: { gt: now } }], order: { userId } },
    }),
    db.contact.count({ where: { userId, createdAt: { gte: new Date(now.getTime() - CONTACT_DAYS * DAY_MS), lt: now } } }),
    db.contact.count({ where: { userId, reason: "complaint", createdAt: { gte: since, lt: now } } }),
    db.case.count({ where: { userId, reason: { startsWith: "complaint" }, createdAt: { gte: since, lt: now } } }),
  ]);
  return { lateDeliveries: late?.late ?? 0, lostDeliveries: late?.lost ?? 0, failedPayments, overdueRefunds, recentContacts, complaints: complaintContacts + complaintCases };
}

/** Errors, repeated errors, going back and forth and time on the current step, from the journey's own trail. */
export async function journeySignals(db: Db, journeyId: string, now = new Date()): Promise<Pick<RiskSignals, "journeyErrors" | "repeatedErrorCount" | "stepRevisits" | "secondsOnStep">> {
  const events = await db.trailEvent.findMany({ where: { journeyId }, orderBy: { occurredAt: "asc" }, select: { step: true, kind: true, errorCode: true, occurredAt: true, properties: true } });
  const errors = events.filter((e) => e.kind === "ERROR");
  const perCode = new Map<string, number>();
  for (const e of errors) perCode.set(e.errorCode ?? "unknown", (perCode.get(e.errorCode ?? "unknown") ?? 0) + 1);
  let furthest = -1;
  let revisits = 0;
  for (const e of events.filter((e) => e.kind === "VIEWED")) {
    const index = Number((e.properties as { step_index?: unknown }).step_index ?? -1);
    if (index >= 0 && index < furthest) revisits++;
    furthest = Math.max(furthest, index);
  }
  const last = events.at(-1);
  return {
    journeyErrors: errors.length,
    repeatedErrorCount: Math.max(0, ...perCode.values()),
    stepRevisits: revisits,
    secondsOnStep: last ? Math.max(0, Math.round((now.getTime() - last.occurredAt.getTime()) / 1000)) : null,
  };
}

/** The score for a customer, and for their live journey when one is given. */
export async function currentRisk(db: Db, userId: string, journeyId?: string | null, now = new Date()): Promise<RiskScore> {
  const [customer, journey] = await Promise.all([customerSignals(db, userId, now), journeyId ? journeySignals(db, journeyId, now) : Promise.resolve({})]);
  return scoreRisk({ ...NO_SIGNALS, ...customer, ...journey });
}
