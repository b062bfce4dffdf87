import type { Metadata } from "next";
import { requireStaff } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { filterQuery, parseInsightsFilter, type SearchParams } from "@/lib/insights/filters";
import { triggersReport, triggersTable, triggerTrendTable } from "@/lib/insights/triggers";
import { verbatimComments } from "@/lib/insights/voice";
import { FilterForm } from "../filter-form";
import { ReportTableView } from "../report-table";

export const metadata: Metadata = { title: "Why customers leave · Insights" };
export const dynamic = "force-dynamic";

export default async function WhyCustomersLeave({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireStaff("ANALYST");
  const { filter, problems } = parseInsightsFilter(await searchParams);
  const [report, comments] = await Promise.all([triggersReport(db(), filter), verbatimComments(db(), filter, ["EXIT_REASON"])]);
  return (
    <div className="stack">
      <h1>Why customers leave</h1>
      <p className="muted">The triggers that send customers to the phone, chat, email or social media: what they told us as they left each step, and the contacts that followed.</p>
      <FilterForm action="/insights/triggers" filter={filter} withJourney problems={problems} />
      <ReportTableView table={triggersTable(report, filter)} csvHref={`/insights/export/triggers?${filterQuery(filter)}`} testId="triggers-table" />
      <ReportTableView table={triggerTrendTable(report)} csvHref={`/insights/export/trigger-trend?${filterQuery(filter)}`} testId="trigger-trend-table" />
      <ReportTableView table={comments} csvHref={`/insights/export/leave-comments?${filterQuery(filter)}`} testId="leave-comments-table" />
    </div>
  );
}
