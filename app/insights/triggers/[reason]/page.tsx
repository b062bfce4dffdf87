import type { Metadata } from "next";
import Link from "@/components/link";
import { notFound } from "next/navigation";
import { requireStaff } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { filterQuery, parseInsightsFilter, type SearchParams } from "@/lib/insights/filters";
import { parseTriggerScope, triggerEntries, triggerEntriesTable } from "@/lib/insights/triggers";
import { ReportTableView } from "../../report-table";

export const metadata: Metadata = { title: "A trigger, opened · Insights" };
export const dynamic = "force-dynamic";

export default async function OneTrigger({ params, searchParams }: { params: Promise<{ reason: string }>; searchParams: Promise<SearchParams> }) {
  await requireStaff("ANALYST");
  const query = await searchParams;
  const scope = parseTriggerScope((await params).reason, query);
  if (!scope) notFound();
  const { filter } = parseInsightsFilter(query);
  const table = triggerEntriesTable(await triggerEntries(db(), filter, scope), scope);
  return (
    <div className="stack">
      <p className="back-link"><Link href={`/insights/triggers?${filterQuery(filter)}`}>Why customers leave</Link></p>
      <h1>{table.title}</h1>
      <p className="muted">Who left with this reason and the contacts it caused, in the period and on the device of the report you came from.</p>
      <ReportTableView table={table} csvHref={`/insights/export/trigger-detail?${filterQuery(filter, { reason: scope.reason, step: scope.step })}`} testId="trigger-entries-table" />
    </div>
  );
}
