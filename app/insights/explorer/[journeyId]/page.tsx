import type { Metadata } from "next";
import Link from "@/components/link";
import { notFound } from "next/navigation";
import { requireStaff } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { CONTACT_REASONS } from "@/lib/contacts/contacts";
import { formatSeconds } from "@/lib/insights/durations";
import { DEVICE_LABELS } from "@/lib/insights/filters";
import { funnelLength, funnelPositionLabel } from "@/lib/insights/funnel";
import { loadTrail } from "@/lib/insights/pages";
import { endingLabel, journeyLabel } from "@/lib/trail/labels";
import { ReportTableView } from "../../report-table";

export const metadata: Metadata = { title: "Attempt · Insights" };
export const dynamic = "force-dynamic";

const reasonLabel = (reason: string) => (Object.hasOwn(CONTACT_REASONS, reason) ? CONTACT_REASONS[reason as keyof typeof CONTACT_REASONS] : reason);
const utc = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;

export default async function AttemptTrailPage({ params }: { params: Promise<{ journeyId: string }> }) {
  await requireStaff("ANALYST");
  const { journeyId } = await params;
  const found = journeyId.length <= 64 ? await loadTrail(db(), journeyId) : null;
  if (!found) notFound();
  const { trail, table } = found;
  return (
    <div className="stack">
      <p className="back-link"><Link href={`/insights/explorer?journey=${trail.journeyType}`}>Journey explorer</Link></p>
      <h1>{journeyLabel(trail.journeyType)}: one attempt</h1>
      <dl className="card facts" data-testid="attempt-facts">
        <div><dt>Customer (analytics id)</dt><dd>{trail.customerId ?? "Not signed in"}</dd></div>
        <div><dt>Device</dt><dd>{DEVICE_LABELS[trail.deviceClass]}</dd></div>
        <div><dt>Started</dt><dd>{utc(trail.startedAt)}</dd></div>
        <div><dt>Ended</dt><dd>{endingLabel(trail.outcome, trail.exitChannel)}{trail.endedAt ? `, ${utc(trail.endedAt)}` : ""}</dd></div>
        <div>
          <dt>Funnel</dt>
          <dd>{trail.level === 0 ? "Never viewed step 1: not counted in the funnel" : `Reached ${funnelPositionLabel(trail.journeyType, trail.level)} of ${funnelLength(trail.journeyType)} positions`}</dd>
        </div>
      </dl>
      <section aria-labelledby="trail" className="stack">
        <h2 id="trail">Trail</h2>
        <ReportTableView table={table} csvHref={`/insights/export/trail?journeyId=${encodeURIComponent(trail.journeyId)}`} testId="trail-table" />
      </section>
      <section aria-labelledby="contacts" className="stack">
        <h2 id="contacts">Contacts linked to this attempt</h2>
        {trail.contacts.length === 0 ? (
          <p className="muted">No agent logged a contact for this attempt.</p>
        ) : (
          <ul className="card list" data-testid="attempt-contacts">
            {trail.contacts.map((c, i) => (
              <li key={i}>
                {c.channel.toLowerCase()} about “{reasonLabel(c.reason)}”
                {trail.endedAt ? `, ${formatSeconds(Math.max(0, Math.round((c.createdAt.getTime() - trail.endedAt.getTime()) / 1000)))} after the attempt ended` : ""}:{" "}
                {c.resolvedNeed ? <span className="badge done">ended the need</span> : <span className="badge">need not ended</span>}
                {c.note ? <p className="contact-note">{c.note}</p> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
