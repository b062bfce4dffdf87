import { Rows } from "./rows";

// Prerendered at build time: the static side of the baseline.
export default function StaticPage() {
  return <Rows now="at build time" />;
}
