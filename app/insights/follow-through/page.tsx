import type { Metadata } from "next";
import { FollowThroughChart } from "@/components/charts/follow-through-chart";
import { requireStaff } from "@/lib/auth/principal";
import { env } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { filterQuery, parseInsightsFilter, type SearchParams } from "@/lib/insights/filters";
import { loadFollowThrough, scopeLabel } from "@/lib/insights/pages";
import { rollupSource } from "@/lib/insights/rollup-source";
import { dropOffLabel } from "@/lib/insights/tables";
import { countOf } from "@/lib/format/plural";
import { FilterForm } from "../filter-form";
import { Freshness } from "../freshness";
import { ReportTableView } from "../report-table";

export const metadata: Metadata = { title: "Exit follow-through · Insights" };
export const dynamic = "force-dynamic";

export default async function FollowThrough({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireStaff("ANALYST");
  const { filter, problems } = parseInsightsFilter(await searchParams);
  const { rows, table } = await loadFollowThrough(rollupSource(db()), filter);
  const contacts = rows.reduce((sum, r) => sum + r.contacts, 0);
  const dropOffs = rows.reduce((sum, r) => sum + r.dropOffs, 0);
  return (
    <div className="stack">
      <h1>Exit follow-through</h1>
      <p className="muted">
        What each drop-off costs in contacts: of the attempts that left for a channel (or gave up), how many were followed by a contact an agent logged within {env().CONTACT_LINK_WINDOW_HOURS} hours, and how
        many of those contacts ended the customer&apos;s need. The help centre has no contact channel: it is self-service, so a contact through any channel after it means it did not help.
      </p>
      <FilterForm action="/insights/follow-through" filter={filter} withJourney problems={problems} />
      <Freshness />
      {dropOffs === 0 ? (
        <div className="card"><p>No attempt left for another channel or gave up in this period for these filters.</p></div>
      ) : (
        <section aria-labelledby="follow-through" className="stack">
          <h2 id="follow-through">{scopeLabel(filter)}</h2>
          <p>
            {countOf(dropOffs, "drop-off")} led to {countOf(contacts, "logged contact")}.
          </p>
          <figure className="card chart">
            <FollowThroughChart
              title={`Contacts after drop-offs: ${scopeLabel(filter)}`}
              data={rows.filter((r) => r.dropOffs > 0).map((r) => ({ label: dropOffLabel(r.dropOff), resolved: r.resolved, unresolved: r.followedUp - r.resolved, none: r.dropOffs - r.followedUp }))}
            />
            <figcaption className="muted small">Share of each kind of drop-off followed by a contact that ended the need, by one that did not, and by none. The table below gives the same numbers.</figcaption>
          </figure>
          <ReportTableView table={table} csvHref={`/insights/export/follow-through?${filterQuery(filter)}`} testId="follow-through-table" />
        </section>
      )}
    </div>
  );
}
