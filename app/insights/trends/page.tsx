import type { Metadata } from "next";
import { TrendChart } from "@/components/charts/trend-chart";
import { requireStaff } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { filterQuery, parseInsightsFilter, type SearchParams } from "@/lib/insights/filters";
import { loadTrend, scopeLabel } from "@/lib/insights/pages";
import { rollupSource } from "@/lib/insights/rollup-source";
import { FilterForm } from "../filter-form";
import { Freshness } from "../freshness";
import { ReportTableView } from "../report-table";

export const metadata: Metadata = { title: "Trends · Insights" };
export const dynamic = "force-dynamic";

export default async function Trends({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireStaff("ANALYST");
  const { filter, granularity, problems } = parseInsightsFilter(await searchParams);
  const { points, table } = await loadTrend(rollupSource(db()), filter, granularity);
  const started = points.reduce((sum, p) => sum + p.entered, 0);
  return (
    <div className="stack">
      <h1>Trends</h1>
      <p className="muted">Completion rate and exits to each channel per {granularity}, so a team can see whether a change helped. Each attempt counts on the day it started the task.</p>
      <FilterForm action="/insights/trends" filter={filter} withJourney granularity={granularity} problems={problems} />
      <Freshness />
      {started === 0 ? (
        <div className="card"><p>No attempt started in this period for these filters. Try a longer period.</p></div>
      ) : (
        <section aria-labelledby="trend" className="stack">
          <h2 id="trend">{scopeLabel(filter)}, per {granularity}</h2>
          <figure className="card chart">
            <TrendChart
              title={`Completion rate and exits per ${granularity}: ${scopeLabel(filter)}`}
              data={points.map((p) => ({ period: p.period, completionRate: p.completionRate, ...p.exits }))}
            />
            <figcaption className="muted small">Bars: attempts that left for each channel. Line: share of the attempts started that completed (right axis). The table below gives the same numbers.</figcaption>
          </figure>
          <ReportTableView table={table} csvHref={`/insights/export/trend?${filterQuery(filter, { every: granularity })}`} testId="trend-table" />
        </section>
      )}
    </div>
  );
}
