// How hard each task felt, per journey and step and on which device: the Customer Effort Score
// answers at the end of tasks, and the one-tap "what went wrong?" after failed steps. Read from the
// answers directly (they are few); staff's own answers are left out, as everywhere.
import { JOURNEYS, isJourneyType } from "@/lib/trail/journeys";
import { EASY_FROM, WENT_WRONG_REASONS, isWentWrongReason } from "@/lib/voice/questions";
import { DEVICE_LABELS, filterInstants, type InsightsFilter } from "./filters";
import type { SqlClient } from "./refresh";
import type { ReportTable } from "./tables";

type Device = keyof typeof DEVICE_LABELS;
export type EffortRow = { journeyType: string; step: string; device: Device; answers: number; average: number; easy: number };
export type WentWrongRow = { journeyType: string; step: string; device: Device; reason: string; answers: number };

const journeyName = (type: string) => (isJourneyType(type) ? JOURNEYS[type].label : type);

export async function effortRows(db: SqlClient, filter: InsightsFilter): Promise<EffortRow[]> {
  const { from, until } = filterInstants(filter);
  return db.$queryRaw<EffortRow[]>`
    SELECT v."journeyType", v."step", v."deviceClass"::text AS device, count(*)::int AS answers,
           avg(v."score")::float AS average, count(*) FILTER (WHERE v."score" >= ${EASY_FROM})::int AS easy
    FROM "CustomerVoice" v LEFT JOIN "Journey" j ON j."id" = v."journeyId" LEFT JOIN "User" u ON u."id" = j."userId"
    WHERE v."kind" = 'EFFORT' AND v."createdAt" >= ${from} AND v."createdAt" < ${until} AND (u."role" IS NULL OR u."role" = 'CUSTOMER')
      AND (${filter.journeyType}::text IS NULL OR v."journeyType" = ${filter.journeyType})
      AND (${filter.device}::text IS NULL OR v."deviceClass"::text = ${filter.device})
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
}

export async function wentWrongRows(db: SqlClient, filter: InsightsFilter): Promise<WentWrongRow[]> {
  const { from, until } = filterInstants(filter);
  return db.$queryRaw<WentWrongRow[]>`
    SELECT v."journeyType", v."step", v."deviceClass"::text AS device, v."reason", count(*)::int AS answers
    FROM "CustomerVoice" v LEFT JOIN "Journey" j ON j."id" = v."journeyId" LEFT JOIN "User" u ON u."id" = j."userId"
    WHERE v."kind" = 'WENT_WRONG' AND v."createdAt" >= ${from} AND v."createdAt" < ${until} AND (u."role" IS NULL OR u."role" = 'CUSTOMER')
      AND (${filter.journeyType}::text IS NULL OR v."journeyType" = ${filter.journeyType})
      AND (${filter.device}::text IS NULL OR v."deviceClass"::text = ${filter.device})
    GROUP BY 1, 2, 3, 4 ORDER BY answers DESC, 1, 2, 3, 4`;
}

export function effortTable(rows: EffortRow[]): ReportTable {
  return {
    title: "How hard it felt",
    caption: `Customer Effort Score at the end of each task (1 very hard to 7 very easy), by device. Easy: ${EASY_FROM} or more.`,
    columns: [
      { key: "journey", label: "Journey", format: "text" },
      { key: "step", label: "Asked at", format: "text" },
      { key: "device", label: "Device", format: "text" },
      { key: "answers", label: "Answers", format: "count" },
      { key: "average", label: "Average score", format: "decimal" },
      { key: "easy", label: "Found it easy", format: "percent" },
    ],
    rows: rows.map((r) => ({ cells: { journey: journeyName(r.journeyType), step: r.step, device: DEVICE_LABELS[r.device], answers: r.answers, average: r.average, easy: r.answers ? r.easy / r.answers : null } })),
  };
}

export function wentWrongTable(rows: WentWrongRow[]): ReportTable {
  return {
    title: "What went wrong",
    caption: "The one-tap answer after a step failed, by journey, step and device, most frequent first.",
    columns: [
      { key: "journey", label: "Journey", format: "text" },
      { key: "step", label: "Step", format: "text" },
      { key: "device", label: "Device", format: "text" },
      { key: "reason", label: "What went wrong", format: "text" },
      { key: "answers", label: "Answers", format: "count" },
    ],
    rows: rows.map((r) => ({ cells: { journey: journeyName(r.journeyType), step: r.step, device: DEVICE_LABELS[r.device], reason: isWentWrongReason(r.reason) ? WENT_WRONG_REASONS[r.reason] : r.reason, answers: r.answers } })),
  };
}
