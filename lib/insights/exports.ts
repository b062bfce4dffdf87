// Every analyst table as CSV, by name, from the same query string as its page: the route handler
// in app/insights/export only checks who is asking and sends the file.
import { z } from "zod";
import { effortRows, effortTable, wentWrongRows, wentWrongTable } from "./effort";
import { EXPLORER_EXPORT_LIMIT, parseExplorerFilter } from "./explorer";
import { interventionLiftTable, overridesTable } from "./help-and-overrides";
import { first, parseInsightsFilter, type SearchParams } from "./filters";
import { noticeLiftTable } from "./notice-lift";
import { loadExplorer, loadFollowThrough, loadJourney, loadOverview, loadTrail, loadTrend } from "./pages";
import type { SqlClient } from "./refresh";
import { rollupSource } from "./rollup-source";
import { toCsv, type ReportTable } from "./tables";
import { verbatimComments } from "./voice";
import { parseTriggerScope, triggerEntries, triggerEntriesTable, triggersReport, triggersTable, triggerTrendTable } from "./triggers";

export const EXPORTS = ["overview", "funnel", "devices", "durations", "errors", "trend", "follow-through", "attempts", "trail", "help", "notices", "overrides", "triggers", "trigger-detail", "trigger-trend", "leave-comments", "effort", "went-wrong", "effort-comments"] as const;
export type ExportName = (typeof EXPORTS)[number];

export type CsvFile = { filename: string; body: string };

/** Null when the name is unknown or the table needs something the query string lacks. */
export async function exportCsv(db: SqlClient, name: string, params: SearchParams): Promise<CsvFile | null> {
  const parsedName = z.enum(EXPORTS).safeParse(name);
  if (!parsedName.success) return null;
  const table = await exportTable(db, parsedName.data, params);
  if (!table) return null;
  const { filter } = parseInsightsFilter(params);
  const scope = parsedName.data === "trail" ? (first(params, "journeyId") ?? "") : `${filter.journeyType ? `${filter.journeyType}-` : ""}${filter.from}-to-${filter.to}`;
  return { filename: `waymark-${parsedName.data}-${scope.replace(/[^a-z0-9_-]/gi, "")}.csv`, body: toCsv(table) };
}

async function exportTable(db: SqlClient, name: ExportName, params: SearchParams): Promise<ReportTable | null> {
  const { filter, granularity } = parseInsightsFilter(params);
  const source = rollupSource(db);
  switch (name) {
    case "overview":
      return (await loadOverview(source, filter)).table;
    case "funnel":
    case "devices":
    case "durations":
    case "errors":
      return filter.journeyType ? (await loadJourney(source, filter.journeyType, filter)).tables[name] : null;
    case "trend":
      return (await loadTrend(source, filter, granularity)).table;
    case "follow-through":
      return (await loadFollowThrough(source, filter)).table;
    case "help":
      return interventionLiftTable(db, filter);
    case "notices":
      return noticeLiftTable(db, filter);
    case "overrides":
      return overridesTable(db, filter);
    case "triggers":
      return triggersTable(await triggersReport(db, filter), filter);
    case "trigger-detail": {
      const scope = parseTriggerScope(first(params, "reason") ?? "", params);
      return scope ? triggerEntriesTable(await triggerEntries(db, filter, scope), scope) : null;
    }
    case "trigger-trend":
      return triggerTrendTable(await triggersReport(db, filter));
    case "leave-comments":
      return verbatimComments(db, filter, ["EXIT_REASON"]);
    case "effort":
      return effortTable(await effortRows(db, filter));
    case "went-wrong":
      return wentWrongTable(await wentWrongRows(db, filter));
    case "effort-comments":
      return verbatimComments(db, filter, ["EFFORT", "WENT_WRONG"]);
    case "attempts": {
      const explorer = parseExplorerFilter(filter, params);
      return (await loadExplorer(db, explorer.filter, null, EXPLORER_EXPORT_LIMIT)).table;
    }
    case "trail": {
      const journeyId = first(params, "journeyId");
      return journeyId && journeyId.length <= 64 ? ((await loadTrail(db, journeyId))?.table ?? null) : null;
    }
  }
}
