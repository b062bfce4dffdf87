import type { Metadata } from "next";
import Link from "@/components/link";
import { requireStaff } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { ENDINGS, parseExplorerFilter, explorerQuery, type Ending } from "@/lib/insights/explorer";
import { filterQuery, parseInsightsFilter, type SearchParams } from "@/lib/insights/filters";
import { funnelLength, funnelPositionLabel } from "@/lib/insights/funnel";
import { loadExplorer } from "@/lib/insights/pages";
import { CHANNEL_LABELS } from "@/lib/trail/labels";
import type { ExitChannel } from "@/lib/trail/journeys";
import { FilterForm } from "../filter-form";
import { Freshness } from "../freshness";
import { ReportTableView } from "../report-table";

export const metadata: Metadata = { title: "Journey explorer · Insights" };
export const dynamic = "force-dynamic";

const ENDING_LABELS: Record<Ending, string> = {
  COMPLETED: "Completed",
  IN_PROGRESS: "Still in progress",
  ABANDONED: "Abandoned",
  FAILED: "Failed (abandoned after an error)",
  ...(Object.fromEntries(Object.entries(CHANNEL_LABELS).map(([channel, label]) => [channel, `Exited to ${label.toLowerCase()}`])) as Record<ExitChannel, string>),
};

export default async function Explorer({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireStaff("ANALYST");
  const params = await searchParams;
  const base = parseInsightsFilter(params);
  const { filter, cursor, problems } = parseExplorerFilter(base.filter, params);
  const { rows, table, nextLink } = await loadExplorer(db(), filter, cursor);
  const type = filter.journeyType;
  return (
    <div className="stack">
      <h1>Journey explorer</h1>
      <p className="muted">Individual attempts, newest first, and each one&apos;s trail step by step. Customers appear by their opaque analytics id only: no names, emails or other personal data.</p>
      <FilterForm action="/insights/explorer" filter={filter} withJourney problems={[...base.problems, ...problems]}>
        <div className="field">
          <label htmlFor="filter-ending">Ended</label>
          <select id="filter-ending" name="ending" defaultValue={filter.ending ?? ""}>
            <option value="">Any way</option>
            {ENDINGS.map((e) => (
              <option key={e} value={e}>{ENDING_LABELS[e]}</option>
            ))}
          </select>
        </div>
        {type ? (
          <div className="field">
            <label htmlFor="filter-reached">Furthest position</label>
            <select id="filter-reached" name="reached" defaultValue={filter.reached ?? ""}>
              <option value="">Any</option>
              <option value="0">Never viewed step 1</option>
              {Array.from({ length: funnelLength(type) }, (_, i) => (
                <option key={i + 1} value={i + 1}>{funnelPositionLabel(type, i + 1)}</option>
              ))}
            </select>
          </div>
        ) : (
          <div className="field">
            <label htmlFor="filter-reached">Furthest position</label>
            <input id="filter-reached" name="reached" type="number" min={0} max={20} inputMode="numeric" defaultValue={filter.reached ?? ""} aria-describedby="filter-reached-hint" />
            <span id="filter-reached-hint" className="hint">0: never viewed step 1. Pick a journey to choose by step name.</span>
          </div>
        )}
        <div className="field">
          <label htmlFor="filter-error">Error code</label>
          <input id="filter-error" name="error" maxLength={64} defaultValue={filter.errorCode ?? ""} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="filter-customer-id">Customer analytics id</label>
          <input id="filter-customer-id" name="customerId" maxLength={36} defaultValue={filter.customerId ?? ""} autoComplete="off" spellCheck={false} />
        </div>
      </FilterForm>
      <Freshness />
      {rows.length === 0 ? (
        <div className="card">
          <p>{cursor ? "No older attempts match these filters." : "No attempt matches these filters in this period."} <Link href="/insights/explorer">Start again</Link></p>
        </div>
      ) : (
        <section aria-labelledby="attempts" className="stack">
          <h2 id="attempts">{cursor ? "Older attempts" : "Most recent attempts"}</h2>
          <ReportTableView table={table} csvHref={`/insights/export/attempts?${filterQuery(filter, explorerQuery(filter))}`} testId="explorer-table" />
          <nav aria-label="Pages of attempts" className="row pager">
            {cursor ? <Link href={`/insights/explorer?${filterQuery(filter, explorerQuery(filter))}`}>Newest attempts</Link> : <span />}
            {nextLink ? <Link href={nextLink}>Older attempts</Link> : <span className="muted small">No older attempts.</span>}
          </nav>
        </section>
      )}
    </div>
  );
}
