import type { Metadata } from "next";
import { requireStaff } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { filterQuery, parseInsightsFilter, type SearchParams } from "@/lib/insights/filters";
import { interventionLiftTable, overridesTable } from "@/lib/insights/help-and-overrides";
import { noticeLiftTable } from "@/lib/insights/notice-lift";
import { FilterForm } from "../filter-form";
import { ReportTableView } from "../report-table";

export const metadata: Metadata = { title: "Help and overrides · Insights" };
export const dynamic = "force-dynamic";

export default async function HelpAndOverrides({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireStaff("ANALYST");
  const { filter, problems } = parseInsightsFilter(await searchParams);
  const [lift, notices, overrides] = await Promise.all([interventionLiftTable(db(), filter), noticeLiftTable(db(), filter), overridesTable(db(), filter)]);
  return (
    <div className="stack">
      <h1>Help in place and overrides</h1>
      <p className="muted">Whether offering help in place, and telling customers before they ask, beats the hold-out groups that never get it, and which business rules agents set aside.</p>
      <FilterForm action="/insights/help" filter={filter} withJourney problems={problems} />
      {lift.rows.length ? <ReportTableView table={lift} csvHref={`/insights/export/help?${filterQuery(filter)}`} testId="help-table" /> : <p className="card muted">No help was offered in this period.</p>}
      {notices.rows.length ? <ReportTableView table={notices} csvHref={`/insights/export/notices?${filterQuery(filter)}`} testId="notices-table" /> : <p className="card muted">No proactive notice was due in this period.</p>}
      {overrides.rows.length ? <ReportTableView table={overrides} csvHref={`/insights/export/overrides?${filterQuery(filter)}`} testId="overrides-table" /> : <p className="card muted">No rule was set aside in this period.</p>}
    </div>
  );
}
