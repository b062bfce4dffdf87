import type { Metadata } from "next";
import Link from "@/components/link";
import { TableScroll } from "@/components/table-scroll";
import { requireStaff } from "@/lib/auth/principal";
import { redirect } from "next/navigation";
import { z } from "zod";
import { caseQueue, findCaseNumber } from "@/lib/cases/cases";
import { db } from "@/lib/db/client";
import { partsAddingUp, raisingSignals, riskLevel } from "@/lib/experience/risk";
import { countOf } from "@/lib/format/plural";
import { CASE_CHANNEL_LABEL } from "@/lib/cases/labels";
import { caseTopic } from "@/lib/cases/topic";

// The queue's colours follow the thresholds help in place acts on (RISK_CONFIG), not numbers of its own.
const RISK_BADGE = { high: "failed", medium: "late", low: "" } as const;

export const metadata: Metadata = { title: "Agent desk" };
export const dynamic = "force-dynamic";

function waiting(minutes: number) {
  return minutes < 60 ? `${minutes} min` : minutes < 48 * 60 ? `${Math.round(minutes / 60)} h` : countOf(Math.round(minutes / 1440), "day");
}

// A number typed into "Find a case"; anything longer is no case number.
const searchSchema = z.object({ case: z.string().trim().max(100).optional().catch(undefined) });

export default async function AgentHome({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const agent = await requireStaff("AGENT");
  const typed = searchSchema.parse(await searchParams).case;
  // A case the customer quotes, open or long closed: the queue lists only open ones.
  const found = typed ? await findCaseNumber(db(), typed) : null;
  if (found) redirect(`/agent/cases/${found}`);
  const queue = await caseQueue(db());
  return (
    <div className="stack">
      <h1>Agent desk</h1>
      <p className="muted">Signed in as {agent.name}. Cases from every channel, most at risk and longest waiting first.</p>
      <div className="actions">
        <Link href="/frontline" className="button">Customers in a task now</Link>
        <Link href="/agent/contacts" className="button">Log an inbound contact</Link>
        <Link href="/agent/health" className="button secondary">Integration health</Link>
        <Link href="/agent/outbox" className="button secondary">Undelivered messages</Link>
      </div>
      <form className="card stack" role="search" method="get">
        <div className="field">
          <label htmlFor="case-search">Find a case</label>
          <span className="hint" id="case-search-hint">The number the customer gives, such as CS-12A9E8BC, open or closed.</span>
          <input id="case-search" name="case" defaultValue={typed} aria-describedby="case-search-hint" />
        </div>
        <button className="button secondary" type="submit">Open the case</button>
      </form>
      {typed ? <p className="notice warn" role="status">No case has the number “{typed}”.</p> : null}
      <h2>Queue</h2>
      {queue.length === 0 ? (
        <p className="card muted">No open cases. Nice.</p>
      ) : (
        <TableScroll className="card" label="Open cases">
          <table data-testid="case-queue">
            <thead>
              <tr>
                <th scope="col">Case</th>
                <th scope="col">Customer</th>
                <th scope="col">Channel</th>
                <th scope="col">Reason</th>
                <th scope="col">Risk</th>
                <th scope="col">Waiting</th>
              </tr>
            </thead>
            <tbody>
              {queue.map((c) => {
                const top = raisingSignals(partsAddingUp(c.riskScore, c.riskFactors))[0];
                return (
                  <tr key={c.id}>
                    <td>
                      <Link href={`/agent/cases/${c.number}`}>{c.number}</Link>
                      {c.status === "IN_PROGRESS" ? <div className="muted small">with {c.assignedTo?.name ?? "an agent"}</div> : null}
                    </td>
                    <td>{c.user?.name ?? "Deleted customer"}</td>
                    <td>{CASE_CHANNEL_LABEL[c.channel]}</td>
                    <td>{caseTopic(c.reason)}</td>
                    <td>
                      <span className={`badge ${RISK_BADGE[riskLevel(c.riskScore ?? 0)]}`}>{c.riskScore ?? "–"}</span>
                      {top ? <div className="muted small">{top.label}</div> : null}
                    </td>
                    <td>{waiting(c.waitingMinutes)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
    </div>
  );
}
