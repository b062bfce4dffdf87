import type { Metadata } from "next";
import { requireStaff } from "@/lib/auth/principal";

export const metadata: Metadata = { title: "Insights" };

export default async function InsightsHome() {
  const analyst = await requireStaff("ANALYST");
  return (
    <div className="stack">
      <h1>Drop-off insights</h1>
      <p className="muted">Signed in as {analyst.name}.</p>
    </div>
  );
}
