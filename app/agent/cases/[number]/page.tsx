import { randomUUID } from "node:crypto";
import { formatPhone } from "@/lib/accounts/phone";
import type { Metadata } from "next";
import Link from "@/components/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { OutcomeNotice } from "@/components/arrival";
import { ForgetNoticeInAddress } from "@/components/notice-once";
import { SubmitButton } from "@/components/form";
import { requireStaff } from "@/lib/auth/principal";
import { caseNumberFrom } from "@/lib/cases/case-number";
import { caseDetail } from "@/lib/cases/cases";
import { caseOutcomeNotice } from "@/lib/cases/outcome";
import { db } from "@/lib/db/client";
import { partsAddingUp, signedPoints } from "@/lib/experience/risk";
import { formatDate, formatDateTime, STORE_TIME_ZONE } from "@/lib/format/date";
import { formatMoney } from "@/lib/format/money";
import { CASE_ACTIONS_DONE, CASE_CHANNEL_LABEL, CASE_STATUS_LABEL, isCaseOpen, orderAndReturn, ruleSetAsideBy, ruleSetAsideHeading } from "@/lib/cases/labels";
import { STATUS_LABEL } from "@/lib/orders/status";
import { endingLabel, journeyLabel, stepLabel } from "@/lib/trail/labels";
import { JourneyTimeline } from "@/components/journey-timeline";
import { cancelForCustomerAction, goodwillAction, resolveCaseAction, returnOverrideAction, reviewReturnAction, takeCaseAction, waiveFeeAction } from "./actions";
import { OVERRIDE_LABEL } from "@/lib/returns/overrides";
import { CancelForCustomerForm, GoodwillForm, ResolveCaseForm, ReturnOverrideForm, ReviewReturnForm, WaiveReturnFeeForm } from "./case-forms";
import { caseTopic, noStepsWords } from "@/lib/cases/topic";
import { RETURN_STATUS_LABEL } from "@/lib/returns/status";

export const metadata: Metadata = { title: "Case" };

// Staff read every case in the store's zone (with the zone named), whoever the customer is.
const time = (d: Date) => formatDateTime(d, STORE_TIME_ZONE);

// What the agent just did, said on the page it reloads; anything else in the address says nothing.
const doneSchema = z.enum(CASE_ACTIONS_DONE).optional().catch(undefined);
const aboutSchema = z.string().regex(/^[A-Za-z0-9-]{1,64}$/).optional().catch(undefined);

export default async function CasePage({ params, searchParams }: { params: Promise<{ number: string }>; searchParams: Promise<{ done?: string; about?: string }> }) {
  const agent = await requireStaff("AGENT");
  const { number } = await params;
  const query = await searchParams;
  const done = doneSchema.parse(query.done);
  if (caseNumberFrom(number) !== number) notFound();
  const detail = await caseDetail(db(), number);
  if (!detail) notFound();
  const { case: item, history, journey, otherJourneys, orders, about, returns, returnToReview, feeToWaive, contacts, overrides } = detail;
  const subject = orderAndReturn(about);
  const riskParts = item.riskScore === null ? [] : partsAddingUp(item.riskScore, item.riskFactors);
  const open = isCaseOpen(item.status);
  const doneAbout = aboutSchema.parse(query.about);
  const doneNotice = done ? await caseOutcomeNotice(db(), { done, about: doneAbout, found: item, agentId: agent.userId }) : null;
  const cancellable = orders.filter((o) => o.status === "PROCESSING" || o.status === "PENDING_PAYMENT");

  return (
    <div className="stack">
      <p><Link href="/agent">← Queue</Link></p>
      <h1>Case {item.number}</h1>
      {doneNotice ? (
        <>
          <OutcomeNotice key={`${done}:${doneAbout}`}>{doneNotice}</OutcomeNotice>
          <ForgetNoticeInAddress params={["done", "about"]} />
        </>
      ) : null}
      <p>
        <span className="badge">{CASE_STATUS_LABEL[item.status]}</span>{" "}
        {/* Who has it, as the queue says: a take that lost to another agent's shows whose it is. */}
        {item.status === "IN_PROGRESS" ? <><span data-testid="case-agent">with {item.assignedToId === agent.userId ? "you" : (item.assignedTo?.name ?? "an agent")}</span>{" · "}</> : null}
        <span className="muted">{CASE_CHANNEL_LABEL[item.channel]} · opened {time(item.createdAt)} · {caseTopic(item.reason)}</span>
      </p>
      {subject ? <p data-testid="case-subject">About {subject}</p> : null}
      {item.status === "OPEN" ? (
        <form action={takeCaseAction.bind(null, item.number)}>
          <SubmitButton pendingLabel="Taking…">Take this case</SubmitButton>
        </form>
      ) : null}
      {item.outcome ? <p className="notice ok" data-testid="case-outcome">Outcome: {item.outcome}</p> : null}
      {history.length ? (
        <ul className="list" data-testid="case-history">
          {history.map((h) => <li key={h.at.toISOString()}>{h.text} <span className="muted small">{time(h.at)}</span></li>)}
        </ul>
      ) : null}

      <div className="grid">
        <section className="card" aria-labelledby="customer-heading">
          <h2 id="customer-heading">Customer</h2>
          {item.user ? (
            <p>
              {item.user.name}<br />
              <span className="muted">{item.user.email}</span><br />
              <span className="muted small">customer since {formatDate(item.user.createdAt, STORE_TIME_ZONE)} · id {item.user.analyticsId}</span>
            </p>
          ) : (
            <p className="muted">Account deleted.</p>
          )}
          {item.callbackPhone ? (
            <p data-testid="callback-phone">
              <strong>Call back on <a href={`tel:${item.callbackPhone}`}>{formatPhone(item.callbackPhone)}</a></strong>
            </p>
          ) : null}
        </section>
        <section className="card" aria-labelledby="risk-heading">
          <h2 id="risk-heading">Experience risk: {item.riskScore ?? "–"}</h2>
          {riskParts.length ? (
            <>
              <ul data-testid="risk-parts">{riskParts.map((part) => <li key={part.code}>{part.label} <span className="muted">{signedPoints(part.points)}</span></li>)}</ul>
              <p className="muted small">Together: {item.riskScore}.</p>
            </>
          ) : (
            <p className="muted">No warning signs when the case was opened.</p>
          )}
        </section>
      </div>

      <section className="card" aria-labelledby="trail-heading">
        <h2 id="trail-heading">What the customer was doing</h2>
        {journey ? (
          <JourneyTimeline journey={journey} time={time} testId="case-trail" />
        ) : (
          <p className="muted">{noStepsWords(item.channel)}</p>
        )}
        {otherJourneys.length ? (
          <>
            <h3>Other recent tasks</h3>
            <ul className="list">
              {otherJourneys.map((j) => (
                <li key={j.id} className="row">
                  <span>{journeyLabel(j.type)}: {stepLabel(j.type, j.lastStep)}</span>
                  <span className="muted small">{endingLabel(j.outcome, j.exitChannel)} · {time(j.lastActivityAt)}</span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      <section className="card" aria-labelledby="orders-heading">
        <h2 id="orders-heading">Orders</h2>
        {orders.length === 0 ? <p className="muted">No orders.</p> : (
          <ul className="list">
            {orders.map((o) => (
              <li key={o.id} className="row">
                <span>{o.number} · {formatDate(o.placedAt, STORE_TIME_ZONE)} · {formatMoney(o.totalMinor, o.currency)}</span>
                <span className="badge">{STATUS_LABEL[o.status]}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      {returns.length ? (
        <section className="card" aria-labelledby="returns-heading">
          <h2 id="returns-heading">Returns</h2>
          <ul className="list">
            {returns.map((r) => (
              <li key={r.id} className="row">
                <span>{r.number} · order {r.order.number} · {formatDate(r.createdAt, STORE_TIME_ZONE)} · {formatMoney(r.refundMinor, r.currency)}</span>
                <span className="badge">{RETURN_STATUS_LABEL[r.status]}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {contacts.length ? (
        <section className="card" aria-labelledby="contacts-heading">
          <h2 id="contacts-heading">Contacts</h2>
          <ul className="list">
            {contacts.map((c) => (
              <li key={c.id}>
                <div className="row">
                  <span>{CASE_CHANNEL_LABEL[c.channel]} · {caseTopic(c.reason)}</span>
                  <span className="muted small">{time(c.createdAt)}{c.journeyId ? " · linked to a left task" : ""}</span>
                </div>
                {c.note ? <p className="contact-note">{c.note}</p> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {overrides.length ? (
        <section className="card" aria-labelledby="overrides-heading">
          <h2 id="overrides-heading">Rules set aside</h2>
          <ul className="list">
            {overrides.map((o) => (
              <li key={o.id}>
                <strong>{ruleSetAsideHeading(o)}</strong> — {o.justification}
                <div className="muted small">{ruleSetAsideBy(o)} · {time(o.createdAt)}</div>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {open && item.user ? (
        <>
          {returnToReview ? <ReviewReturnForm action={reviewReturnAction.bind(null, item.number)} returnNumber={returnToReview} why={caseTopic(item.reason)} /> : null}
          {feeToWaive ? <WaiveReturnFeeForm action={waiveFeeAction.bind(null, item.number)} returnNumber={feeToWaive.returnNumber} fee={formatMoney(feeToWaive.feeMinor, feeToWaive.currency)} /> : null}
          {cancellable.length ? <CancelForCustomerForm action={cancelForCustomerAction.bind(null, item.number)} orders={cancellable.map((o) => o.number)} about={about.orderNumber} /> : null}
          <GoodwillForm action={goodwillAction.bind(null, item.number)} orders={orders.filter((o) => o.status !== "PENDING_PAYMENT").map((o) => o.number)} about={about.orderNumber} requestKey={randomUUID()} />
          {orders.some((o) => o.status === "DELIVERED") ? (
            <ReturnOverrideForm
              action={returnOverrideAction.bind(null, item.number)}
              orders={orders.filter((o) => o.status === "DELIVERED").map((o) => o.number)}
              about={about.orderNumber}
              rules={Object.entries(OVERRIDE_LABEL).map(([value, label]) => ({ value, label }))}
            />
          ) : null}
          <ResolveCaseForm action={resolveCaseAction.bind(null, item.number)} />
        </>
      ) : null}
    </div>
  );
}
