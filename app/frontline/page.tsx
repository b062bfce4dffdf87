import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { frontlineViewer } from "@/lib/frontline/access";
import { STUCK_RULES } from "@/lib/frontline/live";
import { LiveBoard } from "./live-board";

export const metadata: Metadata = { title: "Live: customers in a task now" };
export const dynamic = "force-dynamic";

export default async function FrontlinePage() {
  const viewer = await frontlineViewer();
  if (!viewer) notFound();
  return (
    <div className="stack">
      <h1>Customers in a task now</h1>
      <p className="muted">
        Updated live. Customers who look stuck come first: the same step failing {STUCK_RULES.sameStepFailures} times or more, more than {STUCK_RULES.longDwellSeconds / 60} minutes on one
        step, a form refused {STUCK_RULES.validationErrors} times, or a risk score of {STUCK_RULES.riskAt} or more.
      </p>
      {/* Each attempt leads to its whole trail: an agent's page of it, or the analyst's explorer. */}
      <LiveBoard canReachOut={viewer.role === "AGENT"} trailsAt={viewer.role === "AGENT" ? "/agent/attempts" : "/insights/explorer"} />
    </div>
  );
}
