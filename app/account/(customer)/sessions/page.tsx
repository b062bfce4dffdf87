import type { Metadata } from "next";
import { ContactUs } from "@/components/contact-us";
import { ForgetNoticeInAddress } from "@/components/notice-once";
import { JourneyOutcomeShown, JourneyStep } from "@/components/journey";
import { listLiveSessions } from "@/lib/accounts/sessions";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { formatDate, formatDateTime } from "@/lib/format/date";
import { describeUserAgent } from "@/lib/http/device";
import { BackToAccount } from "@/app/account/_components/back-link";
import { SignOutOthersForm, SignOutSessionForm } from "./session-forms";
import { countOf } from "@/lib/format/plural";

export const metadata: Metadata = { title: "Signed-in devices" };

const DEVICE_LABEL: Record<string, string> = { MOBILE: "Phone", TABLET: "Tablet", DESKTOP: "Computer" };

function lastSeen(date: Date, now: Date, zone: string | null) {
  const minutes = Math.round((now.getTime() - date.getTime()) / 60_000);
  if (minutes < 10) return "active now";
  return `last seen ${formatDateTime(date, zone)}`;
}

export default async function SessionsPage({ searchParams }: { searchParams: Promise<{ ended?: string }> }) {
  const principal = await requireCustomer("/account/sessions");
  const ended = Number((await searchParams).ended);
  const outcome = Number.isInteger(ended) && ended >= 0 && ended < 1000;
  const sessions = await listLiveSessions(db(), principal.userId);
  const now = new Date();
  const others = sessions.filter((s) => s.id !== principal.sessionId);
  return (
    <div className="stack">
      {/* The list shown as the outcome starts no attempt: the next starts when the customer acts here. */}
      {outcome ? <JourneyOutcomeShown type="session_management" key={crypto.randomUUID()} /> : <JourneyStep type="session_management" step="list" />}
      <BackToAccount />
      <h1>Signed-in devices</h1>
      {outcome ? (
        <>
          <p className="notice ok" role="status" data-testid="form-message">
            {ended === 0 ? "No other device was signed in." : `Signed out of ${countOf(ended, "other device")}. You are still signed in here.`}
          </p>
          <ForgetNoticeInAddress params={["ended"]} />
        </>
      ) : null}
      <p className="muted">Devices where your account is signed in right now. If you do not recognise one, sign it out and change your password.</p>
      <ul className="list card" aria-label="Signed-in devices">
        {sessions.map((session) => {
          const current = session.id === principal.sessionId;
          const name = `${describeUserAgent(session.userAgent)} · ${DEVICE_LABEL[session.deviceClass ?? "DESKTOP"] ?? "Device"}`;
          return (
            <li key={session.id} className="row" data-testid="session">
              <span>
                <strong>{name}</strong> {current ? <span className="badge done">This device</span> : null}
                <br />
                <span className="muted">
                  {current ? "active now" : lastSeen(session.lastSeenAt, now, principal.timeZone)} · signed in {formatDate(session.createdAt, principal.timeZone)}
                </span>
              </span>
              {current ? null : <SignOutSessionForm sessionId={session.id} which={name} />}
            </li>
          );
        })}
      </ul>
      {others.length === 0 ? <p className="muted">No other device is signed in.</p> : <SignOutOthersForm count={others.length} />}
      <ContactUs journey="session_management" step="list" />
    </div>
  );
}
