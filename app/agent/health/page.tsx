import type { Metadata } from "next";
import Link from "@/components/link";
import { TableScroll } from "@/components/table-scroll";
import { requireStaff } from "@/lib/auth/principal";
import { env } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { DOWN_AFTER_MINUTES, formatAge, integrationsHealth, type Configured, type HealthState } from "@/lib/integrations/health";
import { describeRiskModel, latestRiskModel } from "@/lib/experience/models";
import { DUTIES } from "@/lib/jobs/duties";
import { assessJobs, dutyRuns, spanWords } from "@/lib/jobs/health";
import { workerSightings } from "@/lib/jobs/workers";

export const metadata: Metadata = { title: "Integration health" };
export const dynamic = "force-dynamic";

const STATE: Record<HealthState, { label: string; badge: string }> = {
  ok: { label: "OK", badge: "done" },
  degraded: { label: "Degraded", badge: "warn" },
  down: { label: "Down", badge: "failed" },
  not_configured: { label: "Not configured", badge: "" },
};
const CONFIGURED: Record<Configured, string> = { yes: "Yes", no: "No", invalid: "Invalid", unknown: "Unknown topic" };

export default async function IntegrationHealthPage() {
  await requireStaff("AGENT");
  const now = new Date();
  const [integrations, workers, runs, riskModel] = await Promise.all([
    integrationsHealth(db(), env(), now),
    workerSightings(db(), env().WORKER_HEARTBEAT_SECONDS, now),
    dutyRuns(db(), DUTIES),
    latestRiskModel(db()),
  ]);
  const risk = describeRiskModel(riskModel);
  const jobs = assessJobs(workers, runs, now);
  const troubled = integrations.filter((i) => i.state === "down" || i.state === "degraded");
  const attention = [...(jobs.state === "ok" ? [] : ["background work"]), ...troubled.map((i) => i.name)];
  return (
    <div className="stack">
      <p className="back-link">
        <Link href="/agent">← Agent desk</Link>
      </p>
      <h1>Integration health</h1>
      <p className="muted">
        Customers never wait for these services: what they trigger is queued and sent when the service answers, with retries. Down means attempts have failed for at least{" "}
        {DOWN_AFTER_MINUTES} minutes. Checked at {now.toISOString().slice(11, 16)} UTC · <Link href="/agent/health">Refresh</Link> · <Link href="/agent/outbox">Undelivered messages</Link>
      </p>
      <p className={`notice ${attention.length ? "warn" : "ok"}`} role="status" data-testid="overall-status">
        {attention.length ? `Needs attention: ${attention.join(", ")}.` : "The workers are running and every configured integration is delivering."}
      </p>
      <h2>Workers</h2>
      <p className={`notice ${jobs.state === "ok" ? "ok" : "warn"}`} role="status" data-testid="workers-status">
        {jobs.reason}
      </p>
      {workers.length ? (
        <ul className="muted small" data-testid="workers">
          {workers.map((worker) => (
            <li key={worker.name} data-alive={worker.alive}>
              {worker.name}: {worker.alive ? "alive" : "gone"}, last seen {formatAge(worker.lastSeenAt, now)} ago, started {formatAge(worker.startedAt, now)} ago
            </li>
          ))}
        </ul>
      ) : null}
      <TableScroll className="card" label="Background duties">
        <table className="stack-table" data-testid="duties">
          <caption className="sr-only">Each background duty and its next run</caption>
          <thead>
            <tr>
              <th scope="col">Duty</th>
              <th scope="col">State</th>
              <th scope="col">Runs every</th>
            </tr>
          </thead>
          <tbody>
            {jobs.duties.map((duty) => (
              <tr key={duty.name} data-duty={duty.name}>
                <th scope="row">{duty.name}</th>
                <td data-label="State">
                  <span className={`badge ${STATE[duty.state].badge}`}>{STATE[duty.state].label}</span>
                  <div className="muted small">{duty.note}</div>
                </td>
                <td data-label="Runs every">{spanWords(duty.everyMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <h2>Risk score</h2>
      <p className={`notice ${risk.learned ? "ok" : "warn"}`} role="status" data-testid="risk-model">
        {risk.text}
      </p>
      <h2>Integrations</h2>
      <TableScroll className="card" label="Integrations">
        <table className="stack-table" data-testid="integration-health">
          <caption className="sr-only">State and queue of each integration</caption>
          <thead>
            <tr>
              <th scope="col">Integration</th>
              <th scope="col">Configured</th>
              <th scope="col">State</th>
              <th scope="col">Pending</th>
              <th scope="col">Retrying</th>
              <th scope="col">Oldest undelivered</th>
              <th scope="col">Dead letters</th>
            </tr>
          </thead>
          <tbody>
            {integrations.map((integration) => (
              <tr key={integration.key} data-integration={integration.key}>
                <th scope="row">{integration.name}</th>
                <td data-label="Configured">{CONFIGURED[integration.configured]}</td>
                <td data-label="State">
                  <span className={`badge ${STATE[integration.state].badge}`}>{STATE[integration.state].label}</span>
                  <div className="muted small">{integration.reason}</div>
                  {integration.lastError && integration.state !== "ok" ? <div className="muted small">Last error: {integration.lastError}</div> : null}
                </td>
                <td data-label="Pending">{integration.queued - integration.failing}</td>
                <td data-label="Retrying">{integration.failing}</td>
                <td data-label="Oldest undelivered">{formatAge(integration.oldestQueuedAt, now)}</td>
                <td data-label="Dead letters">
                  {integration.dead > 0 && integration.topics.length ? (
                    <Link href={`/agent/outbox?${new URLSearchParams(integration.topics.map((t) => ["topic", t])).toString()}`}>{integration.dead}</Link>
                  ) : (
                    integration.dead
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </div>
  );
}
