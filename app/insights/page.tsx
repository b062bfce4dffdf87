import type { Metadata } from "next";
import { DeviceChart } from "@/components/charts/device-chart";
import { requireStaff } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { filterQuery, parseInsightsFilter, type SearchParams } from "@/lib/insights/filters";
import { loadOverview } from "@/lib/insights/pages";
import { rollupSource } from "@/lib/insights/rollup-source";
import { journeyLabel } from "@/lib/trail/labels";
import { FilterForm } from "./filter-form";
import { Freshness } from "./freshness";
import { ReportTableView } from "./report-table";

export const metadata: Metadata = { title: "Insights" };
export const dynamic = "force-dynamic";

export default async function InsightsHome({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireStaff("ANALYST");
  const { filter, problems } = parseInsightsFilter(await searchParams);
  const { rows, table } = await loadOverview(rollupSource(db()), filter);
  const started = rows.reduce((sum, r) => sum + r.entered, 0);
  const active = rows.filter((r) => r.entered > 0);
  return (
    <div className="stack">
      <h1>Drop-off insights</h1>
      <p className="muted">Where customers stop in each self-service task, on which device, and which channel they turn to instead. Pick a journey for its funnel, errors and timings.</p>
      <FilterForm action="/insights" filter={filter} problems={problems} />
      <Freshness />
      {started === 0 ? (
        <div className="card">
          <p>No attempt started a task in this period{filter.device || filter.customer ? " for these filters" : ""}. Try a longer period.</p>
        </div>
      ) : (
        <>
          <section aria-labelledby="completion-by-device" className="stack">
            <h2 id="completion-by-device">Completion rate by device</h2>
            <figure className="card chart">
              <DeviceChart
                title="Completion rate per journey on mobile, tablet and desktop"
                data={active.map((r) => ({ label: journeyLabel(r.journeyType), ...r.rateByDevice }))}
              />
              <figcaption className="muted small">Share of the attempts started on each device that completed. The table below gives the same numbers.</figcaption>
            </figure>
          </section>
          <section aria-labelledby="journeys" className="stack">
            <h2 id="journeys">Journeys</h2>
            <ReportTableView table={table} csvHref={`/insights/export/overview?${filterQuery(filter)}`} testId="overview-table" />
          </section>
        </>
      )}
    </div>
  );
}
