// Reads the risk signals Waymark holds about customers and their latest task, as they stood at
// `at` (nothing after it is seen: an attempt's ending counts only once it has ended), so the score
// can be trained and evaluated honestly on past data. One query answers for many customers at one
// moment (training reads thousands), and the same query answers for one customer live.
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { NO_SIGNALS, LEFT_LATELY_DAYS, scoreRisk, TRAIL_DAYS, type RiskScore, type RiskSignals } from "./risk";
import { scoreWithModel, type ModelParameters } from "./risk-model";

const DAY_MS = 86_400_000;
export const HISTORY_DAYS = 90;
/** A card refund usually lands within 10 days; after that the customer is waiting on us. */
export const REFUND_OVERDUE_DAYS = 10;

type Row = Omit<RiskSignals, "stepRevisits" | "secondsOnStep" | "usualSecondsOnStep"> & { userId: string };

/**
 * Every signal but the live ones (going back and forth, time on the step) for each customer, at
 * `at`. "This task" is `journeyId` when given (the live one), otherwise the customer's latest.
 */
export async function signalsAt(db: Db | Prisma.TransactionClient, userIds: readonly string[], at: Date, journeyId: string | null = null): Promise<Map<string, RiskSignals>> {
  if (userIds.length === 0) return new Map();
  const ids = [...userIds];
  const since = new Date(at.getTime() - HISTORY_DAYS * DAY_MS);
  const trailSince = new Date(at.getTime() - TRAIL_DAYS * DAY_MS);
  const lately = new Date(at.getTime() - LEFT_LATELY_DAYS * DAY_MS);
  const refundsDueBy = new Date(at.getTime() - REFUND_OVERDUE_DAYS * DAY_MS);
  const rows = await db.$queryRaw<Row[]>`
    WITH deliveries AS (
      SELECT o."userId",
             count(*) FILTER (WHERE (s."deliveredAt" <= ${at} AND s."deliveredAt" > o."promisedDeliveryAt")
                                 OR ((s."deliveredAt" IS NULL OR s."deliveredAt" > ${at}) AND o."promisedDeliveryAt" < ${at} AND o."status" <> 'CANCELLED'))::int AS late,
             count(*) FILTER (WHERE (s."deliveredAt" IS NULL OR s."deliveredAt" > ${at}) AND o."promisedDeliveryAt" < ${at} AND o."status" <> 'CANCELLED')::int AS late_now,
             -- A parcel's loss is known once its promised day has passed.
             count(*) FILTER (WHERE s."status" = 'LOST' AND o."promisedDeliveryAt" < ${at})::int AS lost
      FROM "Order" o JOIN "Shipment" s ON s."orderId" = o."id"
      WHERE o."userId" = ANY(${ids}) AND o."placedAt" >= ${since} AND o."placedAt" < ${at}
      GROUP BY o."userId"
    ), payments AS (
      SELECT o."userId", count(*)::int AS failed FROM "Payment" p JOIN "Order" o ON o."id" = p."orderId"
      WHERE o."userId" = ANY(${ids}) AND p."status" = 'FAILED' AND p."createdAt" >= ${since} AND p."createdAt" < ${at}
      GROUP BY o."userId"
    ), refunds AS (
      SELECT o."userId", count(*)::int AS overdue FROM "Refund" r JOIN "Order" o ON o."id" = r."orderId"
      WHERE o."userId" = ANY(${ids}) AND r."createdAt" < ${refundsDueBy} AND (r."status" = 'PENDING' OR r."settledAt" > ${at})
      GROUP BY o."userId"
    ), contacts AS (
      SELECT c."userId",
             count(*) FILTER (WHERE c."createdAt" >= ${trailSince})::int AS recent,
             count(*) FILTER (WHERE c."reason" = 'complaint')::int AS complaints
      FROM "Contact" c WHERE c."userId" = ANY(${ids}) AND c."createdAt" >= ${since} AND c."createdAt" < ${at}
      GROUP BY c."userId"
    ), cases AS (
      SELECT k."userId", count(*)::int AS complaints FROM "Case" k
      WHERE k."userId" = ANY(${ids}) AND k."reason" LIKE 'complaint%' AND k."createdAt" >= ${since} AND k."createdAt" < ${at}
      GROUP BY k."userId"
    ), tasks AS (
      SELECT j."userId",
             count(*) FILTER (WHERE j."startedAt" >= ${trailSince})::int AS started,
             count(*) FILTER (WHERE j."startedAt" >= ${trailSince} AND j."deviceClass" = 'MOBILE')::int AS on_phone,
             count(*) FILTER (WHERE j."outcome" = 'EXITED' AND j."endedAt" >= ${trailSince} AND j."endedAt" < ${at})::int AS left_,
             count(*) FILTER (WHERE j."outcome" = 'EXITED' AND j."endedAt" >= ${lately} AND j."endedAt" < ${at})::int AS left_lately,
             count(*) FILTER (WHERE j."outcome" IN ('ABANDONED', 'FAILED') AND j."endedAt" >= ${trailSince} AND j."endedAt" < ${at})::int AS gave_up
      FROM "Journey" j WHERE j."userId" = ANY(${ids}) AND j."startedAt" < ${at} AND j."lastActivityAt" >= ${trailSince}
      GROUP BY j."userId"
    ), latest AS (
      SELECT DISTINCT ON (j."userId") j."userId", j."id"
      FROM "Journey" j WHERE j."userId" = ANY(${ids}) AND j."startedAt" < ${at}
      ORDER BY j."userId", (j."id" = ${journeyId}) IS TRUE DESC, j."startedAt" DESC
    ), latest_errors AS (
      SELECT l."userId", count(*)::int AS errors, max(n)::int AS repeated
      FROM latest l JOIN LATERAL (
        SELECT count(*) AS n FROM "TrailEvent" e WHERE e."journeyId" = l."id" AND e."kind" = 'ERROR' AND e."occurredAt" < ${at} GROUP BY coalesce(e."errorCode", 'unknown')
      ) per_code ON true
      GROUP BY l."userId"
    )
    SELECT u."id" AS "userId",
           coalesce(d.late, 0) AS "lateDeliveries", coalesce(d.late_now, 0) AS "parcelsLateNow", coalesce(d.lost, 0) AS "lostDeliveries",
           coalesce(p.failed, 0) AS "failedPayments", coalesce(r.overdue, 0) AS "overdueRefunds",
           coalesce(c.recent, 0) AS "recentContacts", coalesce(c.complaints, 0) + coalesce(k.complaints, 0) AS "complaints",
           coalesce(t.started, 0) AS "tasksStarted", CASE WHEN coalesce(t.started, 0) = 0 THEN 0 ELSE t.on_phone::float8 / t.started END AS "phoneShare",
           coalesce(t.left_, 0) AS "tasksLeft", coalesce(t.left_lately, 0) AS "tasksLeftLately", coalesce(t.gave_up, 0) AS "tasksGivenUp",
           coalesce(le.errors, 0) AS "journeyErrors", coalesce(le.repeated, 0) AS "repeatedErrorCount"
    FROM unnest(${ids}::text[]) AS u("id")
    LEFT JOIN deliveries d ON d."userId" = u."id" LEFT JOIN payments p ON p."userId" = u."id" LEFT JOIN refunds r ON r."userId" = u."id"
    LEFT JOIN contacts c ON c."userId" = u."id" LEFT JOIN cases k ON k."userId" = u."id" LEFT JOIN tasks t ON t."userId" = u."id"
    LEFT JOIN latest_errors le ON le."userId" = u."id"`;
  return new Map(rows.map(({ userId, ...signals }) => [userId, { ...NO_SIGNALS, ...signals }]));
}

/** Going back and forth and time on the current step, from the live journey's own trail. */
export async function liveJourneySignals(db: Db | Prisma.TransactionClient, journeyId: string, now = new Date()): Promise<Pick<RiskSignals, "stepRevisits" | "secondsOnStep">> {
  const events = await db.trailEvent.findMany({ where: { journeyId, occurredAt: { lte: now } }, orderBy: { occurredAt: "asc" }, select: { kind: true, occurredAt: true, properties: true } });
  let furthest = -1;
  let revisits = 0;
  for (const e of events.filter((e) => e.kind === "VIEWED")) {
    const index = Number((e.properties as { step_index?: unknown }).step_index ?? -1);
    if (index >= 0 && index < furthest) revisits++;
    furthest = Math.max(furthest, index);
  }
  const last = events.at(-1);
  return { stepRevisits: revisits, secondsOnStep: last ? Math.max(0, Math.round((now.getTime() - last.occurredAt.getTime()) / 1000)) : null };
}

export type CurrentRisk = RiskScore & { signals: RiskSignals };

/**
 * The score for a customer, and for their live journey when one is given: the learned model's
 * when `model` is given (see latestRiskModel), the hand-set weights' otherwise.
 */
export async function currentRisk(db: Db | Prisma.TransactionClient, userId: string, journeyId: string | null | undefined, now: Date, model: ModelParameters | null): Promise<CurrentRisk> {
  const [history, live] = await Promise.all([signalsAt(db, [userId], now, journeyId ?? null), journeyId ? liveJourneySignals(db, journeyId, now) : Promise.resolve({})]);
  const signals: RiskSignals = { ...(history.get(userId) ?? NO_SIGNALS), ...live };
  return { ...(model ? scoreWithModel(model, signals) : scoreRisk(signals)), signals };
}
