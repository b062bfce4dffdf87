// What customers wrote, word for word, for analysts to read next to the numbers (staff only; the
// words never leave the portal).
import { JOURNEYS, isJourneyType } from "@/lib/trail/journeys";
import { LEAVE_REASONS, isLeaveReason } from "@/lib/voice/reasons";
import { WENT_WRONG_REASONS, isWentWrongReason } from "@/lib/voice/questions";
import { DEVICE_LABELS, filterInstants, type InsightsFilter } from "./filters";
import type { SqlClient } from "./refresh";
import type { ReportTable } from "./tables";

type Kind = "EXIT_REASON" | "EFFORT" | "WENT_WRONG";
type CommentRow = { at: Date; kind: Kind; journeyType: string; step: string; device: keyof typeof DEVICE_LABELS; reason: string | null; score: number | null; comment: string };

const COMMENTS_SHOWN = 50;

export async function verbatimComments(db: SqlClient, filter: InsightsFilter, kinds: Kind[]): Promise<ReportTable> {
  const { from, until } = filterInstants(filter);
  const rows = await db.$queryRaw<CommentRow[]>`
    SELECT v."createdAt" AS at, v."kind"::text AS kind, v."journeyType", v."step", v."deviceClass"::text AS device, v."reason", v."score", v."comment"
    FROM "CustomerVoice" v
    WHERE v."comment" IS NOT NULL AND v."kind"::text = ANY(${kinds}) AND v."createdAt" >= ${from} AND v."createdAt" < ${until}
      AND (${filter.journeyType}::text IS NULL OR v."journeyType" = ${filter.journeyType})
      AND (${filter.device}::text IS NULL OR v."deviceClass"::text = ${filter.device})
    ORDER BY v."createdAt" DESC LIMIT ${COMMENTS_SHOWN}`;
  return {
    title: "In their own words",
    caption: `The latest ${COMMENTS_SHOWN} comments customers wrote, newest first. Read them for the why behind the numbers; they are never sent to PostHog.`,
    columns: [
      { key: "at", label: "When", format: "datetime" },
      { key: "journey", label: "Journey", format: "text" },
      { key: "step", label: "Step", format: "text" },
      { key: "device", label: "Device", format: "text" },
      { key: "answer", label: "Answer", format: "text" },
      { key: "comment", label: "Comment", format: "text" },
    ],
    rows: rows.map((r) => ({
      cells: { at: r.at.toISOString(), journey: isJourneyType(r.journeyType) ? JOURNEYS[r.journeyType].label : r.journeyType, step: r.step, device: DEVICE_LABELS[r.device], answer: answerOf(r), comment: r.comment },
    })),
  };
}

function answerOf(row: CommentRow): string {
  if (row.score !== null) return `Effort ${row.score} of 7`;
  if (row.reason && isLeaveReason(row.reason)) return LEAVE_REASONS[row.reason];
  if (isWentWrongReason(row.reason)) return WENT_WRONG_REASONS[row.reason];
  return "–";
}
