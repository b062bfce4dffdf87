// CSV of any analyst table. Route handlers sit outside the insights layout, so the role is checked
// here: everyone but an analyst gets the same 404 as the pages give them.
import { currentPrincipal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { exportCsv } from "@/lib/insights/exports";
import type { SearchParams } from "@/lib/insights/filters";

const notFound = () => new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });

export async function GET(request: Request, { params }: { params: Promise<{ table: string }> }) {
  const principal = await currentPrincipal();
  if (principal?.role !== "ANALYST") return notFound();
  const { table } = await params;
  const query: SearchParams = Object.fromEntries(new URL(request.url).searchParams);
  const file = await exportCsv(db(), table, query);
  if (!file) return notFound();
  return new Response(file.body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": "no-store",
    },
  });
}
