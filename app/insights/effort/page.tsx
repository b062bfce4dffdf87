import type { Metadata } from "next";
import { requireStaff } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { effortRows, effortTable, wentWrongRows, wentWrongTable } from "@/lib/insights/effort";
import { filterQuery, parseInsightsFilter, type SearchParams } from "@/lib/insights/filters";
import { verbatimComments } from "@/lib/insights/voice";
import { FilterForm } from "../filter-form";
import { ReportTableView } from "../report-table";

export const metadata: Metadata = { title: "How hard it felt · Insights" };
export const dynamic = "force-dynamic";

export default async function HowHardItFelt({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireStaff("ANALYST");
  const { filter, problems } = parseInsightsFilter(await searchParams);
  const [effort, wentWrong, comments] = await Promise.all([effortRows(db(), filter), wentWrongRows(db(), filter), verbatimComments(db(), filter, ["EFFORT", "WENT_WRONG"])]);
  return (
    <div className="stack">
      <h1>How hard it felt</h1>
      <p className="muted">What customers said at the end of a task and after a step failed, per journey and step, on phones and on computers.</p>
      <FilterForm action="/insights/effort" filter={filter} withJourney problems={problems} />
      <ReportTableView table={effortTable(effort)} csvHref={`/insights/export/effort?${filterQuery(filter)}`} testId="effort-table" />
      <ReportTableView table={wentWrongTable(wentWrong)} csvHref={`/insights/export/went-wrong?${filterQuery(filter)}`} testId="went-wrong-table" />
      <ReportTableView table={comments} csvHref={`/insights/export/effort-comments?${filterQuery(filter)}`} testId="effort-comments-table" />
    </div>
  );
}
