import { Rows } from "../rows";

// Rendered on every request: the dynamic side of the baseline. `?rows=N` (1 to 1000) renders N rows
// instead of 25, for the benchmark's "as large as the portal page" comparison; the yardstick is 25.
export const dynamic = "force-dynamic";

export default async function DynamicPage({ searchParams }) {
  const rows = Number((await searchParams).rows);
  return <Rows now={new Date().toISOString()} count={Number.isInteger(rows) && rows >= 1 && rows <= 1000 ? rows : 25} />;
}
