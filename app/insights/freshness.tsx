// How current the numbers are: the rollups are refreshed from the trail every few seconds.
import Link from "@/components/link";
import { db } from "@/lib/db/client";
import { BACKLOG_COUNT_CAP, refreshBacklog } from "@/lib/insights/refresh";
import { countOf } from "@/lib/format/plural";
import { formatSeconds } from "@/lib/insights/durations";

export async function Freshness() {
  const { waiting, behindSeconds } = await refreshBacklog(db());
  return (
    <p className="muted small" data-testid="freshness">
      {waiting === 0
        ? "Up to date: every trail event stored so far is counted. New events are counted within seconds."
        : `${waiting > BACKLOG_COUNT_CAP ? `More than ${countOf(BACKLOG_COUNT_CAP, "change is", "changes are")}` : countOf(waiting, "change is", "changes are")} waiting to be counted (the oldest for ${formatSeconds(behindSeconds)}).`}{" "}
      Days are UTC. <Link href="/insights/definitions">How we count</Link>
    </p>
  );
}
