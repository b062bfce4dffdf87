import type { Metadata } from "next";
import Link from "@/components/link";
import { notFound } from "next/navigation";
import { DeviceChart } from "@/components/charts/device-chart";
import { DurationChart } from "@/components/charts/duration-chart";
import { FunnelChart } from "@/components/charts/funnel-chart";
import { requireStaff } from "@/lib/auth/principal";
import { formatPercent } from "@/lib/format/percent";
import { db } from "@/lib/db/client";
import { DURATION_BUCKETS } from "@/lib/insights/durations";
import { filterQuery, parseInsightsFilter, type SearchParams } from "@/lib/insights/filters";
import { explorerPath, loadJourney } from "@/lib/insights/pages";
import { rollupSource } from "@/lib/insights/rollup-source";
import { journeyLabel } from "@/lib/trail/labels";
import { isJourneyType } from "@/lib/trail/journeys";
import { FilterForm } from "../../filter-form";
import { Freshness } from "../../freshness";
import { ReportTableView } from "../../report-table";
import { countOf, plural } from "@/lib/format/plural";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ type: string }>; searchParams: Promise<SearchParams> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { type } = await params;
  return { title: isJourneyType(type) ? `${journeyLabel(type)} · Insights` : "Insights" };
}

export default async function JourneyInsights({ params, searchParams }: Props) {
  await requireStaff("ANALYST");
  const { type } = await params;
  if (!isJourneyType(type)) notFound();
  const { filter, problems } = parseInsightsFilter(await searchParams);
  const scoped = { ...filter, journeyType: type };
  const { funnel, comparison, durations, tables } = await loadJourney(rollupSource(db()), type, filter);
  const csv = (table: string) => `/insights/export/${table}?${filterQuery(scoped)}`;
  const upper = (bucket: number | null) => (bucket === null ? null : DURATION_BUCKETS[bucket]);
  const gap = comparison.widestGap;
  return (
    <div className="stack">
      <p className="back-link"><Link href={`/insights?${filterQuery(filter)}`}>All journeys</Link></p>
      <h1>{journeyLabel(type)}</h1>
      <FilterForm action={`/insights/journeys/${type}`} filter={filter} problems={problems} />
      <Freshness />
      <div className="grid insights-summary" data-testid="journey-summary">
        <div className="card"><span className="muted small">Started</span><strong>{funnel.entered.toLocaleString("en-GB")}</strong></div>
        <div className="card"><span className="muted small">Completed</span><strong>{funnel.completed.toLocaleString("en-GB")}</strong></div>
        <div className="card"><span className="muted small">Completion rate</span><strong>{formatPercent(funnel.completionRate)}</strong></div>
      </div>
      <p className="actions">
        <Link href={`/insights/trends?${filterQuery(scoped)}`}>Trend of this journey</Link>
        <Link href={explorerPath(scoped)}>Its attempts in the explorer</Link>
      </p>
      {funnel.notEntered > 0 ? (
        <p className="muted small">
          {countOf(funnel.notEntered, "more attempt")} never viewed step 1 (for example a deep link into a later step); like PostHog, the funnel leaves {plural(funnel.notEntered, "it", "them")} out.{" "}
          <Link href={explorerPath(scoped, { reached: 0 })}>See them</Link>
        </p>
      ) : null}
      {funnel.entered === 0 ? (
        <div className="card"><p>No attempt at this task started in this period{filter.device || filter.customer ? " for these filters" : ""}. Try a longer period.</p></div>
      ) : (
        <>
          <section aria-labelledby="funnel" className="stack">
            <h2 id="funnel">Funnel</h2>
            <figure className="card chart">
              <FunnelChart
                title={`Funnel of ${journeyLabel(type)}`}
                data={funnel.rows.map((r) => ({ label: r.label, wentOn: r.wentOn ?? 0, stopped: r.stopped, completed: r.wentOn === null ? r.reached : 0 }))}
              />
              <figcaption className="muted small">Attempts reaching each position, split into those that went on and those that stopped there. The table below gives the same numbers and how the stops ended.</figcaption>
            </figure>
            <ReportTableView table={tables.funnel} csvHref={csv("funnel")} testId="funnel-table" />
          </section>

          <section aria-labelledby="devices" className="stack">
            <h2 id="devices">Mobile against desktop</h2>
            {gap ? (
              <p data-testid="widest-gap">
                Phones fall behind most after <strong>{gap.label}</strong>: {formatPercent(gap.byDevice.MOBILE.stepConversion)} of mobile attempts went on, against{" "}
                {formatPercent(gap.byDevice.DESKTOP.stepConversion)} on desktop.
              </p>
            ) : (
              <p>Mobile attempts go on at least as often as desktop ones at every step{filter.customer ? " for these customers" : ""}.</p>
            )}
            <p className="muted small">This comparison always shows every device, whatever the device filter says.</p>
            <figure className="card chart">
              <DeviceChart
                title={`Share of starters reaching each position of ${journeyLabel(type)}, by device`}
                data={comparison.rows.map((r) => ({ label: r.label, MOBILE: r.byDevice.MOBILE.fromStart, TABLET: r.byDevice.TABLET.fromStart, DESKTOP: r.byDevice.DESKTOP.fromStart }))}
              />
              <figcaption className="muted small">Each device&apos;s share of its starters that reached each position. The table below gives the same numbers.</figcaption>
            </figure>
            <ReportTableView table={tables.devices} csvHref={csv("devices")} testId="devices-table" />
          </section>

          <section aria-labelledby="durations" className="stack">
            <h2 id="durations">Time to complete</h2>
            <figure className="card chart">
              <DurationChart title={`Time per step of ${journeyLabel(type)}`} data={durations.map((d) => ({ label: d.label, median: upper(d.median), p90: upper(d.p90) }))} />
              <figcaption className="muted small">Median and 90th percentile (upper end of the band holding each). The table below gives the same numbers.</figcaption>
            </figure>
            <ReportTableView table={tables.durations} csvHref={csv("durations")} testId="durations-table" />
          </section>

          <section aria-labelledby="errors" className="stack">
            <h2 id="errors">Top errors per step</h2>
            <ReportTableView table={tables.errors} csvHref={csv("errors")} testId="errors-table" />
          </section>
        </>
      )}
    </div>
  );
}
