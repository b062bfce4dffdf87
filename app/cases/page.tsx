import type { Metadata } from "next";
import { requireCustomer } from "@/lib/auth/principal";
import { customerCases } from "@/lib/cases/cases";
import { caseTopic } from "@/lib/cases/topic";
import { db } from "@/lib/db/client";
import { formatDate } from "@/lib/format/date";

export const metadata: Metadata = { title: "Help requests" };

const STATUS = { OPEN: "Waiting for us", IN_PROGRESS: "Someone is on it", RESOLVED: "Resolved", CLOSED: "Closed" } as const;

export default async function CasesPage() {
  const principal = await requireCustomer("/cases");
  const cases = await customerCases(db(), principal.userId);
  return (
    <div className="stack">
      <h1>Help requests</h1>
      {cases.length === 0 ? (
        <p className="card muted">You have not asked us for help. If you ever need a person, “Talk to a person” is on every page.</p>
      ) : (
        <ul className="list card" data-testid="cases">
          {cases.map((c) => (
            <li key={c.number} className="stack">
              <div className="row">
                <strong>Case {c.number}</strong>
                <span className={`badge ${c.status === "RESOLVED" || c.status === "CLOSED" ? "done" : ""}`}>{STATUS[c.status]}</span>
              </div>
              <div>{caseTopic(c.reason)}</div>
              <span className="muted small">Opened {formatDate(c.createdAt, principal.timeZone)}{c.closedAt ? ` · resolved ${formatDate(c.closedAt, principal.timeZone)}` : ""}</span>
              {c.outcome ? <p>{c.outcome}</p> : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
