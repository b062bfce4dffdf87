// Why customers leave, per step: the reasons customers tapped as they left a task for another
// channel, and the reasons agents coded on the contacts that followed (a contact without a code
// takes the reason its customer gave when leaving). Read from the trail and the contacts directly:
// exits and contacts are small next to the trail. Staff's own trail is left out, as everywhere.
import { JOURNEYS, isJourneyType } from "@/lib/trail/journeys";
import { LEAVE_REASON_CODES, LEAVE_REASONS, isLeaveReason, type LeaveReason } from "@/lib/voice/reasons";
import { DEVICE_LABELS, type InsightsFilter } from "./filters";
import { range } from "./help-and-overrides";
import type { SqlClient } from "./refresh";
import type { ReportTable } from "./tables";

export type TriggerRow = { reason: LeaveReason; journeyType: string | null; step: string | null; device: "MOBILE" | "TABLET" | "DESKTOP" | null; exits: number; contacts: number };
export type TriggerWeek = { week: string; reason: LeaveReason; exits: number; contacts: number };
export type TriggersReport = { rows: TriggerRow[]; weeks: TriggerWeek[] };

type Counted = { reason: string; journeyType: string | null; step: string | null; device: TriggerRow["device"]; week: Date; exits: number; contacts: number };

export async function triggersReport(db: SqlClient, filter: InsightsFilter): Promise<TriggersReport> {
  const { from, until } = range(filter);
  const counted = await db.$queryRaw<Counted[]>`
    WITH exits AS (
      SELECT e."properties"->>'exit_reason' AS reason, e."journeyType", e."step", j."deviceClass"::text AS device, e."occurredAt" AS at
      FROM "TrailEvent" e JOIN "Journey" j ON j."id" = e."journeyId" LEFT JOIN "User" u ON u."id" = j."userId"
      WHERE e."kind" = 'EXITED' AND e."properties" ? 'exit_reason' AND e."occurredAt" >= ${from} AND e."occurredAt" < ${until}
        AND (u."role" IS NULL OR u."role" = 'CUSTOMER')
    ), contacts AS (
      SELECT coalesce(c."trigger", left_with.reason) AS reason, j."type" AS "journeyType", j."lastStep" AS step, j."deviceClass"::text AS device, c."createdAt" AS at
      FROM "Contact" c LEFT JOIN "Journey" j ON j."id" = c."journeyId"
      LEFT JOIN LATERAL (
        SELECT x."properties"->>'exit_reason' AS reason FROM "TrailEvent" x
        WHERE x."journeyId" = c."journeyId" AND x."kind" = 'EXITED' ORDER BY x."occurredAt" DESC LIMIT 1
      ) left_with ON true
      WHERE c."createdAt" >= ${from} AND c."createdAt" < ${until}
    ), together AS (
      SELECT reason, "journeyType", step, device, at, 1 AS exits, 0 AS contacts FROM exits
      UNION ALL
      SELECT reason, "journeyType", step, device, at, 0, 1 FROM contacts
    )
    SELECT reason, "journeyType", step, device::"DeviceClass" AS device, date_trunc('week', at AT TIME ZONE 'UTC') AS week,
           sum(exits)::int AS exits, sum(contacts)::int AS contacts
    FROM together
    WHERE reason IS NOT NULL
      AND (${filter.journeyType}::text IS NULL OR "journeyType" = ${filter.journeyType})
      AND (${filter.device}::text IS NULL OR device = ${filter.device})
    GROUP BY 1, 2, 3, 4, 5`;
  return summarise(counted.filter((row): row is Counted & { reason: LeaveReason } => isLeaveReason(row.reason)));
}

/** Folds the weekly counts into per-step rows (most triggered first) and per-reason weeks. */
export function summarise(counted: (Counted & { reason: LeaveReason })[]): TriggersReport {
  const rows = new Map<string, TriggerRow>();
  const weeks = new Map<string, TriggerWeek>();
  for (const c of counted) {
    const rowKey = [c.reason, c.journeyType, c.step, c.device].join("|");
    const row = rows.get(rowKey) ?? { reason: c.reason, journeyType: c.journeyType, step: c.step, device: c.device, exits: 0, contacts: 0 };
    row.exits += c.exits;
    row.contacts += c.contacts;
    rows.set(rowKey, row);
    const week = c.week.toISOString().slice(0, 10);
    const weekKey = `${week}|${c.reason}`;
    const point = weeks.get(weekKey) ?? { week, reason: c.reason, exits: 0, contacts: 0 };
    point.exits += c.exits;
    point.contacts += c.contacts;
    weeks.set(weekKey, point);
  }
  return {
    rows: [...rows.values()].sort((a, b) => b.exits + b.contacts - (a.exits + a.contacts) || a.reason.localeCompare(b.reason)),
    weeks: [...weeks.values()].sort((a, b) => a.week.localeCompare(b.week) || LEAVE_REASON_CODES.indexOf(a.reason) - LEAVE_REASON_CODES.indexOf(b.reason)),
  };
}

const journeyName = (type: string | null) => (type === null ? "No journey found" : isJourneyType(type) ? JOURNEYS[type].label : type);

export function triggersTable(report: TriggersReport): ReportTable {
  return {
    title: "Top triggers per step",
    caption:
      "Why customers left a task for another channel, at the step they left and on their device: the reason they tapped as they left, and the contacts that followed (coded by the agent, or by the reason the customer gave).",
    columns: [
      { key: "reason", label: "Reason", format: "text" },
      { key: "journey", label: "Journey", format: "text" },
      { key: "step", label: "Step", format: "text" },
      { key: "device", label: "Device", format: "text" },
      { key: "exits", label: "Left with this reason", format: "count" },
      { key: "contacts", label: "Contacts caused", format: "count" },
    ],
    rows: report.rows.map((r) => ({
      cells: { reason: LEAVE_REASONS[r.reason], journey: journeyName(r.journeyType), step: r.step ?? "–", device: r.device ? DEVICE_LABELS[r.device] : "–", exits: r.exits, contacts: r.contacts },
    })),
  };
}

export function triggerTrendTable(report: TriggersReport): ReportTable {
  const byWeek = new Map<string, Record<string, number | string>>();
  for (const point of report.weeks) {
    const cells = byWeek.get(point.week) ?? { week: point.week };
    cells[point.reason] = point.exits + point.contacts;
    byWeek.set(point.week, cells);
  }
  return {
    title: "Triggers week by week",
    caption: "Customers who left with each reason plus the contacts it caused, per week (weeks start on Monday).",
    columns: [{ key: "week", label: "Week of", format: "text" }, ...LEAVE_REASON_CODES.map((code) => ({ key: code, label: LEAVE_REASONS[code], format: "count" as const }))],
    rows: [...byWeek.values()].map((cells) => ({ cells: Object.fromEntries([["week", cells.week], ...LEAVE_REASON_CODES.map((code) => [code, cells[code] ?? 0])]) })),
  };
}
