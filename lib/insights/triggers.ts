// Why customers leave, per step: the reasons customers tapped as they left a task for another
// channel, and the reasons agents coded on the contacts that followed (a contact without a code
// takes the reason its customer gave when leaving). Read from the trail and the contacts directly:
// exits and contacts are small next to the trail. Staff's own trail is left out, as everywhere.
import { Prisma } from "@/lib/generated/prisma/client";
import { isJourneyType } from "@/lib/trail/journeys";
import { CHANNEL_LABELS, journeyLabel } from "@/lib/trail/labels";
import { LEAVE_REASON_CODES, LEAVE_REASONS, isLeaveReason, type LeaveReason } from "@/lib/voice/reasons";
import { isExitChannel } from "@/lib/trail/store";
import { DEVICE_LABELS, filterInstants, filterQuery, first, type InsightsFilter, type SearchParams } from "./filters";
import type { SqlClient } from "./refresh";
import type { ReportTable } from "./tables";

export type TriggerRow = { reason: LeaveReason; journeyType: string | null; step: string | null; device: "MOBILE" | "TABLET" | "DESKTOP" | null; exits: number; contacts: number };
export type TriggerWeek = { week: string; reason: LeaveReason; exits: number; contacts: number };
export type TriggersReport = { rows: TriggerRow[]; weeks: TriggerWeek[] };

type Counted = { reason: string; journeyType: string | null; step: string | null; device: TriggerRow["device"]; week: Date; exits: number; contacts: number };

/**
 * Every exit with a reason and every contact, one row each, with the reason it counts under: the
 * one place that says what makes up a trigger, for the report and for its drill-down alike.
 */
function triggerEvents(filter: InsightsFilter) {
  const { from, until } = filterInstants(filter);
  return Prisma.sql`
    WITH exits AS (
      SELECT e."properties"->>'exit_reason' AS reason, e."journeyType", e."step", j."deviceClass"::text AS device, e."occurredAt" AS at,
             e."journeyId", e."channel"::text AS channel, NULL::boolean AS resolved
      FROM "TrailEvent" e JOIN "Journey" j ON j."id" = e."journeyId" LEFT JOIN "User" u ON u."id" = j."userId"
      WHERE e."kind" = 'EXITED' AND e."properties" ? 'exit_reason' AND e."occurredAt" >= ${from} AND e."occurredAt" < ${until}
        AND (u."role" IS NULL OR u."role" = 'CUSTOMER')
    ), contacts AS (
      SELECT coalesce(c."trigger", left_with.reason) AS reason, j."type" AS "journeyType", j."lastStep" AS step, j."deviceClass"::text AS device, c."createdAt" AS at,
             c."journeyId", c."channel"::text AS channel, c."resolvedNeed" AS resolved
      FROM "Contact" c LEFT JOIN "Journey" j ON j."id" = c."journeyId"
      LEFT JOIN LATERAL (
        SELECT x."properties"->>'exit_reason' AS reason FROM "TrailEvent" x
        WHERE x."journeyId" = c."journeyId" AND x."kind" = 'EXITED' ORDER BY x."occurredAt" DESC LIMIT 1
      ) left_with ON true
      WHERE c."createdAt" >= ${from} AND c."createdAt" < ${until}
    ), together AS (
      SELECT reason, "journeyType", step, device, at, "journeyId", channel, resolved, 1 AS exits, 0 AS contacts FROM exits
      UNION ALL
      SELECT reason, "journeyType", step, device, at, "journeyId", channel, resolved, 0, 1 FROM contacts
    ), counted AS (
      SELECT * FROM together
      WHERE reason IS NOT NULL
        AND (${filter.journeyType}::text IS NULL OR "journeyType" = ${filter.journeyType})
        AND (${filter.device}::text IS NULL OR device = ${filter.device})
    )`;
}

export async function triggersReport(db: SqlClient, filter: InsightsFilter): Promise<TriggersReport> {
  const counted = await db.$queryRaw<Counted[]>`
    ${triggerEvents(filter)}
    SELECT reason, "journeyType", step, device::"DeviceClass" AS device, date_trunc('week', at AT TIME ZONE 'UTC') AS week,
           sum(exits)::int AS exits, sum(contacts)::int AS contacts
    FROM counted
    GROUP BY 1, 2, 3, 4, 5`;
  return summarise(counted.filter((row): row is Counted & { reason: LeaveReason } => isLeaveReason(row.reason)));
}

/** One row of the report, opened: which attempts left with the reason, and which contacts it caused. */
export type TriggerScope = { reason: LeaveReason; step: string | null };
export type TriggerEntry = { at: Date; kind: "exit" | "contact"; journeyId: string | null; journeyType: string | null; step: string | null; device: TriggerRow["device"]; channel: string; resolved: boolean | null };

/** The latest entries shown under one trigger; the counts in the report cover them all. */
export const TRIGGER_ENTRIES_SHOWN = 100;

/** The reason from the path and the step from the query string; null when the reason is not one of ours. */
export function parseTriggerScope(reason: string, params: SearchParams): TriggerScope | null {
  if (!isLeaveReason(reason)) return null;
  const step = first(params, "step");
  return { reason, step: step && step.length <= 40 ? step : null };
}

export async function triggerEntries(db: SqlClient, filter: InsightsFilter, scope: TriggerScope): Promise<TriggerEntry[]> {
  const rows = await db.$queryRaw<(Omit<TriggerEntry, "kind"> & { exits: number })[]>`
    ${triggerEvents(filter)}
    SELECT at, "journeyId", "journeyType", step, device::"DeviceClass" AS device, channel, resolved, exits
    FROM counted
    WHERE reason = ${scope.reason} AND (${scope.step}::text IS NULL OR step = ${scope.step})
    ORDER BY at DESC LIMIT ${TRIGGER_ENTRIES_SHOWN}`;
  return rows.map(({ exits, ...row }) => ({ ...row, kind: exits ? "exit" : "contact" }));
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

const journeyName = (type: string | null) => (type === null ? "No journey found" : journeyLabel(type));

/** Where a row of the report opens: the same period and device, that reason at that step. */
export function triggerLink(filter: InsightsFilter, row: Pick<TriggerRow, "reason" | "journeyType" | "step">): string {
  return `/insights/triggers/${row.reason}?${filterQuery({ ...filter, journeyType: isJourneyType(row.journeyType) ? row.journeyType : null }, { step: row.step })}`;
}

export function triggersTable(report: TriggersReport, filter: InsightsFilter): ReportTable {
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
      links: { reason: triggerLink(r.device ? { ...filter, device: r.device } : filter, r) },
    })),
  };
}

export function triggerEntriesTable(entries: TriggerEntry[], scope: TriggerScope): ReportTable {
  return {
    title: `${LEAVE_REASONS[scope.reason]}${scope.step ? ` at step ${scope.step}` : ""}`,
    caption: `The latest ${TRIGGER_ENTRIES_SHOWN} customers who left with this reason and contacts it caused, newest first; each opens the attempt's trail.`,
    columns: [
      { key: "at", label: "When", format: "datetime" },
      { key: "what", label: "What happened", format: "text" },
      { key: "journey", label: "Journey", format: "text" },
      { key: "step", label: "Step", format: "text" },
      { key: "device", label: "Device", format: "text" },
      { key: "attempt", label: "Attempt", format: "id" },
    ],
    rows: entries.map((e) => ({
      cells: {
        at: e.at.toISOString(),
        what: e.kind === "exit" ? `Left for ${channelName(e.channel).toLowerCase()}` : `${channelName(e.channel)} contact${e.resolved === null ? "" : e.resolved ? ", need resolved" : ", need not resolved"}`,
        journey: journeyName(e.journeyType),
        step: e.step ?? "–",
        device: e.device ? DEVICE_LABELS[e.device] : "–",
        attempt: e.journeyId,
      },
      links: e.journeyId ? { attempt: `/insights/explorer/${e.journeyId}` } : undefined,
    })),
  };
}

const channelName = (channel: string) => (isExitChannel(channel) ? CHANNEL_LABELS[channel] : channel);

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
