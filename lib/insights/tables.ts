// Every report as a plain table: the accessible alternative to its chart on the page, and the CSV
// behind its download link. One description per table, so the page and the file never disagree.
import { formatPercent, percentage } from "@/lib/format/percent";
import { EXIT_CHANNELS, type JourneyType } from "@/lib/trail/journeys";
import { CHANNEL_LABELS, endingLabel, EVENT_LABELS, journeyLabel } from "@/lib/trail/labels";
import type { AttemptTrail, ExplorerRow } from "./explorer";
import type { CustomerClass } from "./facts";
import { DURATION_BUCKETS, formatBand, formatSeconds } from "./durations";
import { CUSTOMER_LABELS, DEVICE_CLASSES, DEVICE_LABELS } from "./filters";
import { funnelPositionLabel } from "./funnel";
import {
  type DeviceComparison,
  type DropOff,
  type DurationRow,
  type ErrorRow,
  type FollowThroughRow,
  type FunnelReport,
  type OverviewRow,
  type TrendPoint,
} from "./reports";

/**
 * count: whole number; percent: a share in [0, 1]; decimal: a ratio; band: a DURATION_BUCKETS
 * index; seconds: an exact duration; datetime: an ISO timestamp (UTC); id: an opaque identifier.
 */
export type ColumnFormat = "text" | "id" | "count" | "percent" | "decimal" | "band" | "seconds" | "datetime";
export type Cell = string | number | null;
/** `shareOf`: a count also shown as a share of another column of the row (a column of its own in CSV). */
export type Column = { key: string; label: string; format: ColumnFormat; shareOf?: string };
/** `id`: an anchor other tables can link to. */
export type TableRow = { id?: string; cells: Record<string, Cell>; links?: Record<string, string> };

/** The funnel table's row for a position, linked from the errors at that step. */
export const positionAnchor = (position: number) => `funnel-position-${position}`;
export type ReportTable = { title: string; caption: string; columns: Column[]; rows: TableRow[] };

const col = (key: string, label: string, format: ColumnFormat = "count"): Column => ({ key, label, format });
const countOf = (key: string, label: string, shareOf: string): Column => ({ key, label, format: "count", shareOf });

export function shareIn(row: TableRow, column: Column): number | null {
  const value = row.cells[column.key];
  const base = column.shareOf ? row.cells[column.shareOf] : null;
  return typeof value === "number" && typeof base === "number" && base > 0 ? value / base : null;
}

export function dropOffLabel(dropOff: DropOff): string {
  return dropOff === "ABANDONED" ? "Abandoned" : dropOff === "FAILED" ? "Failed (abandoned after an error)" : `Exited to ${CHANNEL_LABELS[dropOff].toLowerCase()}`;
}

export function overviewTable(rows: OverviewRow[], linkOf: (type: JourneyType) => string): ReportTable {
  return {
    title: "Journeys",
    caption: "Attempts that started each task in the period, how many completed (on each device too), and where most stopped.",
    columns: [
      col("journey", "Journey", "text"),
      col("entered", "Started"),
      col("completed", "Completed"),
      col("completionRate", "Completion rate", "percent"),
      ...DEVICE_CLASSES.map((d) => col(`${d}Rate`, `${DEVICE_LABELS[d]} completion`, "percent")),
      col("biggestDropOff", "Most stopped at", "text"),
      col("biggestDropOffShare", "Share stopped there", "percent"),
      col("exits", "Exits to other channels"),
      col("topExit", "Most left for", "text"),
    ],
    rows: rows.map((r) => ({
      cells: {
        journey: journeyLabel(r.journeyType),
        entered: r.entered,
        completed: r.completed,
        completionRate: r.completionRate,
        ...Object.fromEntries(DEVICE_CLASSES.map((d) => [`${d}Rate`, r.rateByDevice[d]])),
        biggestDropOff: r.biggestDropOff?.label ?? null,
        biggestDropOffShare: r.biggestDropOff?.share ?? null,
        exits: r.exits,
        topExit: r.topExit ? CHANNEL_LABELS[r.topExit] : null,
      },
      links: { journey: linkOf(r.journeyType) },
    })),
  };
}

export function funnelTable(report: FunnelReport, explorerLink: (level: number) => string): ReportTable {
  return {
    title: `Funnel: ${journeyLabel(report.journeyType)}`,
    caption:
      "Per funnel position: the attempts that reached it, went on to the next, and how the ones that stopped there ended. Shares are of the attempts that reached the position.",
    columns: [
      col("position", "Funnel position", "text"),
      col("reached", "Reached"),
      col("fromStart", "Of all starters", "percent"),
      countOf("wentOn", "Went on", "reached"),
      countOf("stopped", "Stopped here", "reached"),
      countOf("abandoned", "Abandoned", "reached"),
      countOf("failed", "Failed", "reached"),
      ...EXIT_CHANNELS.map((c) => countOf(`exit${c}`, `Exited to ${CHANNEL_LABELS[c].toLowerCase()}`, "reached")),
      countOf("inProgress", "Still in progress", "reached"),
      countOf("completedAnyway", "Completed, later steps not recorded", "reached"),
    ],
    rows: report.rows.map((r) => {
      const stoppedOnly = (n: number) => (r.wentOn === null ? null : n);
      return {
        id: positionAnchor(r.position),
        cells: {
          position: r.label,
          reached: r.reached,
          fromStart: r.fromStart,
          wentOn: r.wentOn,
          stopped: stoppedOnly(r.stopped),
          abandoned: stoppedOnly(r.endings.abandoned),
          failed: stoppedOnly(r.endings.failed),
          ...Object.fromEntries(EXIT_CHANNELS.map((c) => [`exit${c}`, stoppedOnly(r.endings.exited[c])])),
          inProgress: stoppedOnly(r.endings.inProgress),
          completedAnyway: stoppedOnly(r.endings.completedAnyway),
        },
        links: r.stopped > 0 ? { stopped: explorerLink(r.position) } : undefined,
      };
    }),
  };
}

export function deviceComparisonTable(type: JourneyType, comparison: DeviceComparison): ReportTable {
  return {
    title: `Mobile against desktop: ${journeyLabel(type)}`,
    caption:
      "Per device: the attempts that reached each funnel position, their share of that device's starters, and the share that went on; the last column is mobile's share going on minus desktop's, in percentage points (negative: phones stop more there).",
    columns: [
      col("position", "Funnel position", "text"),
      ...DEVICE_CLASSES.flatMap((d) => [
        col(`${d}Reached`, `${DEVICE_LABELS[d]}: reached`),
        col(`${d}FromStart`, `${DEVICE_LABELS[d]}: of starters`, "percent"),
        col(`${d}WentOn`, `${DEVICE_LABELS[d]}: went on`, "percent"),
      ]),
      col("gap", "Went on, mobile minus desktop (points)", "decimal"),
    ],
    rows: comparison.rows.map((r) => ({
      cells: {
        position: r.label,
        ...Object.fromEntries(
          DEVICE_CLASSES.flatMap((d) => [
            [`${d}Reached`, r.byDevice[d].reached],
            [`${d}FromStart`, r.byDevice[d].fromStart],
            [`${d}WentOn`, r.byDevice[d].stepConversion],
          ]),
        ),
        gap: r.gap === null ? null : percentage(r.gap),
      },
    })),
  };
}

export function durationsTable(type: JourneyType, rows: DurationRow[]): ReportTable {
  return {
    title: `Time to complete: ${journeyLabel(type)}`,
    caption:
      "Median and 90th percentile of the time from one funnel position to the next, along the chain the funnel counted. Times fall in bands about a tenth wide; the band holding the percentile is shown (in CSV files, the band's upper end in seconds).",
    columns: [col("segment", "From → to", "text"), col("measured", "Attempts measured"), col("median", "Median", "band"), col("p90", "90th percentile", "band")],
    rows: rows.map((r) => ({ cells: { segment: r.label, measured: r.measured, median: r.median, p90: r.p90 } })),
  };
}

export function errorsTable(type: JourneyType, rows: ErrorRow[], explorerLink: (errorCode: string) => string): ReportTable {
  return {
    title: `Top errors per step: ${journeyLabel(type)}`,
    caption: "Failed steps (refusals by a business rule, validation errors) by step, with how the attempts that met them ended.",
    columns: [
      col("step", "Step", "text"),
      col("errorCode", "Error", "text"),
      col("events", "Times"),
      col("attempts", "Attempts"),
      col("shareOfReached", "Of attempts reaching the step", "percent"),
      col("completedAnyway", "Then completed"),
      col("exited", "Then exited"),
      col("exitedPhone", "Then phoned"),
      col("abandonedOrFailed", "Then gave up"),
    ],
    rows: rows.map((r) => ({
      cells: {
        step: r.position ? `${r.position}. ${r.step}` : r.step,
        errorCode: r.errorCode || "(no code)",
        events: r.events,
        attempts: r.attempts,
        shareOfReached: r.shareOfReached,
        completedAnyway: r.completedAnyway,
        exited: EXIT_CHANNELS.reduce((sum, c) => sum + r.exited[c], 0),
        exitedPhone: r.exited.PHONE,
        abandonedOrFailed: r.abandonedOrFailed,
      },
      links: { ...(r.position ? { step: `#${positionAnchor(r.position)}` } : {}), ...(r.errorCode ? { errorCode: explorerLink(r.errorCode) } : {}) },
    })),
  };
}

export function trendTable(points: TrendPoint[], scope: string): ReportTable {
  return {
    title: `Trend: ${scope}`,
    caption: "Per period: attempts that started, the share that completed, and the attempts that left for each channel or gave up.",
    columns: [
      col("period", "Period starting", "text"),
      col("entered", "Started"),
      col("completed", "Completed"),
      col("completionRate", "Completion rate", "percent"),
      ...EXIT_CHANNELS.map((c) => col(`exit${c}`, `Exited to ${CHANNEL_LABELS[c].toLowerCase()}`)),
      col("abandoned", "Abandoned"),
      col("failed", "Failed"),
    ],
    rows: points.map((p) => ({
      cells: {
        period: p.period,
        entered: p.entered,
        completed: p.completed,
        completionRate: p.completionRate,
        ...Object.fromEntries(EXIT_CHANNELS.map((c) => [`exit${c}`, p.exits[c]])),
        abandoned: p.abandoned,
        failed: p.failed,
      },
    })),
  };
}

export function followThroughTable(rows: FollowThroughRow[], scope: string): ReportTable {
  return {
    title: `Exit follow-through: ${scope}`,
    caption:
      "Of the attempts that ended in each way, how many were followed by a contact logged by an agent within the link window (through the same channel after an exit to phone, chat, email or social; through any channel after the help centre, an abandonment or a failure), and how many of those contacts ended the customer's need.",
    columns: [
      col("dropOff", "Ended", "text"),
      col("counts", "Contacts counted", "text"),
      col("dropOffs", "Attempts"),
      col("followedUp", "Followed by a contact"),
      col("followUpRate", "Followed (share)", "percent"),
      col("resolved", "Need ended by the contact"),
      col("resolvedRate", "Need ended (share of followed)", "percent"),
      col("contacts", "Contacts"),
      col("contactsPerDropOff", "Contacts per attempt", "decimal"),
    ],
    rows: rows.map((r) => ({
      cells: {
        dropOff: dropOffLabel(r.dropOff),
        counts: r.sameChannelOnly ? "Same channel" : r.dropOff === "HELP_CENTRE" ? "Any channel (self-service has none)" : "Any channel",
        dropOffs: r.dropOffs,
        followedUp: r.followedUp,
        followUpRate: r.followUpRate,
        resolved: r.resolved,
        resolvedRate: r.resolvedRate,
        contacts: r.contacts,
        contactsPerDropOff: r.contactsPerDropOff === null ? null : Math.round(r.contactsPerDropOff * 100) / 100,
      },
    })),
  };
}

const customerKind = (c: CustomerClass) => CUSTOMER_LABELS[c].replace(/ customers$/, "");

export function explorerTable(rows: ExplorerRow[], links: { trail: (journeyId: string) => string; customer: (customerId: string) => string }): ReportTable {
  return {
    title: "Attempts",
    caption: "Individual attempts matching the filter, newest first. Customers are shown by their opaque analytics id only.",
    columns: [
      col("startedAt", "Started", "datetime"),
      col("journey", "Journey", "text"),
      col("device", "Device", "text"),
      col("customerId", "Customer (analytics id)", "id"),
      col("customer", "Customer kind", "text"),
      col("furthest", "Furthest position", "text"),
      col("ending", "Ended", "text"),
      col("errors", "Errors"),
      col("totalSeconds", "Time to complete", "seconds"),
      col("journeyId", "Attempt id", "id"),
    ],
    rows: rows.map((r) => ({
      cells: {
        startedAt: r.startedAt.toISOString(),
        journey: journeyLabel(r.journeyType),
        device: DEVICE_LABELS[r.deviceClass],
        customerId: r.customerId ?? "not signed in",
        customer: customerKind(r.customer),
        furthest: r.level === 0 ? "Never viewed step 1" : funnelPositionLabel(r.journeyType, r.level),
        ending: endingLabel(r.outcome, r.exitChannel, r.exitStep),
        errors: r.errorEvents,
        totalSeconds: r.totalSeconds,
        journeyId: r.journeyId,
      },
      links: { startedAt: links.trail(r.journeyId), ...(r.customerId ? { customerId: links.customer(r.customerId) } : {}) },
    })),
  };
}

export function trailTable(trail: AttemptTrail): ReportTable {
  return {
    title: `Trail of attempt ${trail.journeyId}`,
    caption: "Every event of the attempt in order. Events marked with a funnel position are the ones the funnel counted.",
    columns: [
      col("occurredAt", "When", "datetime"),
      col("offset", "After start", "seconds"),
      col("step", "Step", "text"),
      col("event", "What happened", "text"),
      col("detail", "Error or channel", "text"),
      col("source", "Recorded by", "text"),
      col("countedAs", "Counted as", "text"),
    ],
    rows: trail.steps.map((s) => ({
      cells: {
        occurredAt: s.occurredAt.toISOString(),
        offset: s.offsetSeconds,
        step: s.step,
        event: EVENT_LABELS[s.kind],
        detail: s.errorCode ?? (s.channel ? CHANNEL_LABELS[s.channel] : s.note),
        source: s.source === "SERVER" ? "Server" : "Browser",
        countedAs: s.countedAs ? funnelPositionLabel(trail.journeyType, s.countedAs) : null,
      },
    })),
  };
}

// ---------------------------------------------------------------- display

/**
 * Averages and rates per 100 come out of division ("89.47368421052632" was shown, and exported):
 * one decimal place reads well, two below 1 (0.04 contacts per attempt is not 0). The page and the
 * CSV round alike; the CSV without thousands separators, which a spreadsheet would read as text.
 */
function readableDecimal(value: number, useGrouping: boolean): string {
  return value.toLocaleString("en-GB", { maximumFractionDigits: Math.abs(value) < 1 ? 2 : 1, useGrouping });
}

export function formatCell(value: Cell, format: ColumnFormat): string {
  if (value === null) return "–";
  if (typeof value === "string") return format === "datetime" ? `${value.slice(0, 10)} ${value.slice(11, 16)} UTC` : value;
  switch (format) {
    case "percent":
      return formatPercent(value);
    case "band":
      return formatBand(value);
    case "seconds":
      return formatSeconds(value);
    case "decimal":
      return readableDecimal(value, true);
    default:
      return value.toLocaleString("en-GB");
  }
}

// ---------------------------------------------------------------- CSV

/** Spreadsheet programs run cells that start like a formula; error codes come from browsers. */
function neutralised(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function csvField(value: Cell, format: ColumnFormat): string {
  if (value === null) return "";
  let text: string;
  if (typeof value === "number") {
    if (format === "percent") text = String(percentage(value));
    else if (format === "band") text = String(DURATION_BUCKETS[value]);
    else if (format === "decimal") text = readableDecimal(value, false);
    else text = String(value);
  } else {
    text = neutralised(value);
  }
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvHeader(column: Column): string {
  if (column.format === "percent") return `${column.label} (%)`;
  if (column.format === "band") return `${column.label} (seconds, upper end of band)`;
  return column.label;
}

export function toCsv(table: ReportTable): string {
  const baseLabel = (key: string) => table.columns.find((c) => c.key === key)?.label ?? key;
  const header = table.columns.flatMap((c) => (c.shareOf ? [csvHeader(c), `${c.label} (% of ${baseLabel(c.shareOf).toLowerCase()})`] : [csvHeader(c)]));
  const lines = [header.map((h) => csvField(h, "text")).join(",")];
  for (const row of table.rows) {
    const fields = table.columns.flatMap((c) => {
      const field = csvField(row.cells[c.key] ?? null, c.format);
      return c.shareOf ? [field, csvField(shareIn(row, c), "percent")] : [field];
    });
    lines.push(fields.join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}
