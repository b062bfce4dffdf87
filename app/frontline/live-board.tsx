"use client";
// The live board: rows from the server-sent feed, redrawn as each snapshot arrives.
import Link from "@/components/link";
import { useActionState, useEffect, useState } from "react";
import { FormMessage, SubmitButton } from "@/components/form";
import { TableScroll } from "@/components/table-scroll";
import type { LiveRow } from "@/lib/frontline/live";
import { formatSeconds } from "@/lib/insights/durations";
import { unnamedAttemptBy } from "@/lib/frontline/whose";
import { IDLE } from "@/lib/http/form-state";
import { reachOutAction } from "./actions";

const DEVICE = { MOBILE: "Phone", TABLET: "Tablet", DESKTOP: "Computer" } as const;

/** `trailsAt`: where each attempt's trail is, for the viewer's role ("/agent/attempts"). */
export function LiveBoard({ canReachOut, trailsAt }: { canReachOut: boolean; trailsAt: string }) {
  const [rows, setRows] = useState<LiveRow[] | null>(null);
  const [connected, setConnected] = useState(true);
  useEffect(() => {
    const feed = new EventSource("/api/frontline/live");
    feed.onmessage = (message) => {
      setConnected(true);
      setRows((JSON.parse(message.data) as { rows: LiveRow[] }).rows);
    };
    // EventSource reconnects by itself; the board says so meanwhile.
    feed.onerror = () => setConnected(false);
    return () => feed.close();
  }, []);
  if (rows === null) return <p className="muted" role="status">Connecting…</p>;
  return (
    <div className="stack">
      {connected ? null : <p className="notice warn" role="status">Reconnecting to the live feed…</p>}
      <TableScroll className="card" label="Attempts in progress">
        <table data-testid="live-table">
          <caption className="sr-only">Attempts in progress, stuck customers first</caption>
          <thead>
            <tr>
              <th scope="col">Task and customer</th>
              <th scope="col">Step</th>
              <th scope="col">Device</th>
              <th scope="col">Time on step</th>
              <th scope="col">Why flagged</th>
              <th scope="col">Act</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={6} className="muted">Nobody is in a task right now.</td>
              </tr>
            ) : (
              rows.map((row) => (
                <tr key={row.journeyId} data-journey-id={row.journeyId} className={row.flags.length ? "stuck" : undefined}>
                  <th scope="row">
                    <Link href={`${trailsAt}/${encodeURIComponent(row.journeyId)}`}>{row.journey}</Link>
                    <div className="small" data-testid="live-customer">{row.customerName ?? (row.customerId ? null : unnamedAttemptBy(row.accountDeleted))}</div>
                    {row.portal ? (
                      <div className={row.portal.inView ? "small" : "small muted"} data-testid="live-presence">
                        {row.portal.inView ? "On the portal now" : `Away from the portal for ${formatSeconds(Math.floor(row.portal.awaySeconds / 60) * 60)}`}
                      </div>
                    ) : null}
                  </th>
                  <td>{row.step}</td>
                  <td>{DEVICE[row.device]}</td>
                  <td>{formatSeconds(row.secondsOnStep)}</td>
                  <td>
                    {row.flags.length ? row.flags.map((f) => f.label).join("; ") : <span className="muted">–</span>}
                    {row.risk !== null && !row.flags.some((f) => f.code === "high_risk") ? (
                      <div className="muted small" data-testid="risk-why">
                        Risk {row.risk}
                        {row.riskWhy ? `: ${row.riskWhy}` : ""} ({row.riskSource === "model" ? "learned model" : "hand-set weights"})
                      </div>
                    ) : null}
                  </td>
                  <td>{canReachOut && row.customerId ? <ReachOut row={row} /> : row.reachOut ? reachOutLabel(row.reachOut) : null}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </TableScroll>
    </div>
  );
}

function reachOutLabel(status: NonNullable<LiveRow["reachOut"]>): string {
  return { OFFERED: "Help offered", SHOWN: "Offer on screen", ACCEPTED: "Accepted help", DECLINED: "Declined help" }[status];
}

function ReachOut({ row }: { row: LiveRow }) {
  const [state, formAction] = useActionState(reachOutAction, IDLE);
  if (row.reachOut) {
    // A customer who accepted waits for a person: the agent goes on from the case the offer opened.
    return (
      <span>
        {reachOutLabel(row.reachOut)}
        {row.caseNumber ? <> · <Link href={`/agent/cases/${row.caseNumber}`}>Case {row.caseNumber}</Link></> : null}
      </span>
    );
  }
  return (
    <form action={formAction}>
      <input type="hidden" name="journeyId" value={row.journeyId} />
      <FormMessage state={state} />
      <SubmitButton pendingLabel="Offering…">Offer help</SubmitButton>
    </form>
  );
}
