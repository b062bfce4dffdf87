import { Rows } from "../rows";

// Rendered on every request: the dynamic side of the baseline.
export const dynamic = "force-dynamic";

export default function DynamicPage() {
  return <Rows now={new Date().toISOString()} />;
}
