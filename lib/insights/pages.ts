// What each analyst page loads, as one function per page: the pages render it, the CSV exports
// take their tables from it, and bench/insights.ts times exactly these (every page's queries).
import type { JourneyType } from "@/lib/trail/journeys";
import { journeyLabel } from "@/lib/trail/labels";
import { attemptTrail, exploreAttempts, explorerQuery, type Cursor, type ExplorerFilter } from "./explorer";
import { filterQuery, type Granularity, type InsightsFilter } from "./filters";
import type { SqlClient } from "./refresh";
import { deviceComparison, durationsReport, errorsReport, followThroughReport, funnelReport, overviewReport, trendReport } from "./reports";
import type { InsightsSource } from "./source";
import {
  deviceComparisonTable,
  durationsTable,
  errorsTable,
  explorerTable,
  followThroughTable,
  funnelTable,
  overviewTable,
  trailTable,
  trendTable,
} from "./tables";

export const journeyPath = (type: JourneyType, filter: InsightsFilter) => `/insights/journeys/${type}?${filterQuery({ ...filter, journeyType: null })}`;
export const explorerPath = (filter: InsightsFilter, extra: Record<string, string | number | null> = {}) => `/insights/explorer?${filterQuery(filter, extra)}`;

export async function loadOverview(source: InsightsSource, filter: InsightsFilter) {
  const counts = await source.attempts({ ...filter, journeyType: null }, { dims: ["journeyType", "deviceClass", "level", "outcome", "exitChannel"] });
  const rows = overviewReport(counts);
  return { rows, table: overviewTable(rows, (type) => journeyPath(type, filter)) };
}

export async function loadJourney(source: InsightsSource, type: JourneyType, filter: InsightsFilter) {
  const scoped = { ...filter, journeyType: type };
  const [levels, byDevice, durations, errors] = await Promise.all([
    source.attempts(scoped, { dims: ["level", "outcome", "exitChannel"], includeNotEntered: true }),
    // The comparison is across devices, so it ignores the device filter.
    source.attempts({ ...scoped, device: null }, { dims: ["deviceClass", "level", "outcome", "exitChannel"] }),
    source.durations(scoped, []),
    source.errors(scoped),
  ]);
  const funnel = funnelReport(type, levels);
  const comparison = deviceComparison(type, byDevice);
  const durationRows = durationsReport(type, durations);
  const errorRows = errorsReport(type, errors, funnel);
  return {
    funnel,
    comparison,
    durations: durationRows,
    errors: errorRows,
    tables: {
      funnel: funnelTable(funnel, (level) => explorerPath(scoped, { reached: level })),
      devices: deviceComparisonTable(type, comparison),
      durations: durationsTable(type, durationRows),
      errors: errorsTable(type, errorRows, (code) => explorerPath(scoped, { error: code })),
    },
  };
}

export async function loadTrend(source: InsightsSource, filter: InsightsFilter, granularity: Granularity) {
  const counts = await source.attempts(filter, { dims: ["period", "completed", "outcome", "exitChannel"], granularity });
  const points = trendReport(counts, filter, granularity);
  return { points, table: trendTable(points, scopeLabel(filter)) };
}

export async function loadFollowThrough(source: InsightsSource, filter: InsightsFilter) {
  const rows = followThroughReport(await source.attempts(filter, { dims: ["outcome", "exitChannel"] }));
  return { rows, table: followThroughTable(rows, scopeLabel(filter)) };
}

export async function loadExplorer(db: SqlClient, filter: ExplorerFilter, cursor: Cursor | null, pageSize?: number) {
  const page = await exploreAttempts(db, filter, cursor, pageSize);
  const table = explorerTable(page.rows, { trail: trailPath, customer: (customerId) => explorerPath({ ...filter, journeyType: null }, { customerId }) });
  return { ...page, table, nextLink: page.next ? explorerPath(filter, { ...explorerQuery(filter), after: page.next }) : null };
}

export async function loadTrail(db: SqlClient, journeyId: string) {
  const trail = await attemptTrail(db, journeyId);
  return trail ? { trail, table: trailTable(trail) } : null;
}

export const trailPath = (journeyId: string) => `/insights/explorer/${encodeURIComponent(journeyId)}`;

export function scopeLabel(filter: InsightsFilter): string {
  return filter.journeyType ? journeyLabel(filter.journeyType) : "All journeys";
}
