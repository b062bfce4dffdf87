import type { ReactNode } from "react";
import { requireStaff } from "@/lib/auth/principal";
import { InsightsNav } from "./insights-nav";
import "./insights.css";

// The role check sits in the layout, above any loading boundary, so the 404 is a real 404 status.
// Each page checks again before it reads anything: Next.js renders a page alongside its layout, and
// a page that relied on the layout's check streamed its data into the 404's body.
export default async function InsightsLayout({ children }: { children: ReactNode }) {
  await requireStaff("ANALYST");
  return (
    <div className="stack insights-page">
      <InsightsNav />
      {children}
    </div>
  );
}
