import type { Metadata } from "next";
import Link from "@/components/link";
import { notFound } from "next/navigation";
import { OutcomeNotice } from "@/components/arrival";
import { ContactUs } from "@/components/contact-us";
import { ForgetNoticeInAddress } from "@/components/notice-once";
import { ProductThumbnail } from "@/components/product-thumbnail";
import { JourneyOutcomeShown, JourneyStep } from "@/components/journey";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { formatDate, formatDateTime } from "@/lib/format/date";
import { formatMoney } from "@/lib/format/money";
import { renderCodePng } from "@/lib/returns/label-pdf";
import { overrideLabel } from "@/lib/returns/overrides";
import { cardArrivalWithin, REASON_LABEL, RESOLUTION_LABEL, type ReturnReason } from "@/lib/returns/policy";
import { policyVersion } from "@/lib/returns/policy-store";
import { cancelRefusal, customerReturn } from "@/lib/returns/returns";
import {
  cancelledParcel,
  cancelledParcelNotice,
  feeCharged,
  historyLabel,
  METHOD_NOUN,
  moneyState,
  parcelCameAnyway,
  pickupCollection,
  RETURN_STATUS_LABEL,
  REVIEW_WITHIN,
  statusBadgeClass,
  waitingForCarrier,
  type MoneyState,
} from "@/lib/returns/status";
import { RefreshWhileWaiting } from "./refresh-while-waiting";

export const metadata: Metadata = { title: "Return" };

export default async function ReturnPage({ params, searchParams }: { params: Promise<{ number: string }>; searchParams: Promise<{ submitted?: string; cancelled?: string }> }) {
  const { number } = await params;
  const { submitted, cancelled } = await searchParams;
  const principal = await requireCustomer(`/returns/${number}`);
  const ret = await customerReturn(db(), principal.userId, number);
  if (!ret) notFound();

  const money = (minor: number) => formatMoney(minor, ret.currency);
  const bankDays = (await policyVersion(db(), ret.policyVersion)).rules.refund.cardArrivalBusinessDays;
  const settledAt = ret.history.findLast((h) => h.to === ret.status)?.at;
  const waitingForLabel = ret.status === "APPROVED" && !ret.carrierCode;
  const parcel = cancelledParcel(ret);
  const qr = ret.status === "APPROVED" && ret.method === "DROP_OFF" && ret.carrierCode ? (await renderCodePng(ret.carrierCode)).toString("base64") : null;
  const timeline = [
    ...ret.history.map((h) => ({ key: h.id, at: h.at, text: historyLabel(h) })),
    ...ret.overrides.map((o, i) => ({ key: `override-${i}`, at: o.createdAt, text: `${overrideLabel(o.rule)} by our team` })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());

  return (
    <div className="stack">
      {submitted || cancelled ? null : <JourneyStep type="return_tracking" step="detail" />}
      <p>
        <Link href="/returns">← All returns</Link>
      </p>
      <h1>Return <span className="ref">{ret.number}</span></h1>
      {submitted ? (
        <OutcomeNotice>
          {ret.status === "HELD_FOR_REVIEW" ? "Your return is submitted. One of our team checks it first; this page shows what comes next." : "Your return is submitted. Everything you need to send it back is on this page."}
        </OutcomeNotice>
      ) : null}
      {cancelled ? <OutcomeNotice>Your return is cancelled. Nothing is charged.</OutcomeNotice> : null}
      {submitted || cancelled ? <ForgetNoticeInAddress params={["submitted", "cancelled"]} /> : null}
      {/* After the heading and the confirmation it asks about: rendered first, it sat above the title. */}
      {submitted ? <JourneyOutcomeShown type="return" /> : cancelled ? <JourneyOutcomeShown type="return_cancellation" /> : null}
      <p>
        <span className={statusBadgeClass(ret.status)} data-testid="return-status">{RETURN_STATUS_LABEL[ret.status]}</span>{" "}
        <span className="muted">for order <Link href={`/orders/${ret.order.number}`}>{ret.order.number}</Link> · requested {formatDate(ret.createdAt, principal.timeZone)}</span>
      </p>

      {parcel ? (
        <>
          <p className={`notice ${parcelCameAnyway(parcel) ? "warn" : "ok"}`} role="status" data-testid="carrier-call-off">{cancelledParcelNotice(parcel, ret.method)}</p>
          {parcel === "pending" ? <RefreshWhileWaiting /> : null}
        </>
      ) : null}

      {ret.status === "HELD_FOR_REVIEW" ? (
        <p className="notice warn" role="status">One of our team is checking this return, {REVIEW_WITHIN}. You get your {METHOD_NOUN[ret.method]} here as soon as it is approved.</p>
      ) : null}

      {ret.status === "APPROVED" ? (
        <section className="card stack" aria-labelledby="send-heading" data-testid="send-back">
          <h2 id="send-heading">Send it back</h2>
          {waitingForLabel ? (
            <>
              <p className="notice warn" role="status">{waitingForCarrier(ret.method)}</p>
              <RefreshWhileWaiting />
            </>
          ) : ret.method === "DROP_OFF" ? (
            <>
              <p>Take the parcel to any parcel shop and show this code; they print the label for you.</p>
              <p className="drop-off-code">Drop-off code: <strong data-testid="drop-off-code">{ret.carrierCode}</strong></p>
              {/* An inline data URL made on the server: nothing for next/image to optimise or fetch. */}
              {/* eslint-disable-next-line @next/next/no-img-element */}
              {qr ? <img src={`data:image/png;base64,${qr}`} alt={`QR code for drop-off code ${ret.carrierCode}`} width={160} height={160} className="qr" /> : null}
              <p><a className="button secondary" href={`/returns/${ret.number}/label`} download>Download the drop-off slip (PDF)</a></p>
            </>
          ) : (
            <>
              <p>
                {ret.method === "PICKUP" ? `${pickupCollection(ret.pickupDate)} Print the label and stick it on the parcel.` : "Print the label, stick it on the parcel and hand it to the carrier or a parcel shop."} Tracking number <strong>{ret.carrierCode}</strong>.
              </p>
              <p><a className="button" href={`/returns/${ret.number}/label`} download>Download your label (PDF)</a></p>
            </>
          )}
        </section>
      ) : null}
      {cancelRefusal(ret.status, ret.refunds.length) === null ? (
        <p><Link href={`/returns/${ret.number}/cancel`}>Changed your mind? Cancel this return</Link></p>
      ) : null}

      <section className="card stack" aria-labelledby="money-heading" data-testid="return-money">
        <h2 id="money-heading">{RESOLUTION_LABEL[ret.resolution]}</h2>
        <MoneyLine state={moneyState(ret)} money={money} settledAt={settledAt} bankArrival={cardArrivalWithin(bankDays)} zone={principal.timeZone} />
        {feeCharged(ret) ? <p className="muted">After a {money(feeCharged(ret))} return shipping fee.</p> : null}
      </section>

      <section className="card" aria-labelledby="items-heading">
        <h2 id="items-heading">Items</h2>
        <ul className="list">
          {ret.lines.map((line) => (
            <li key={line.id} className="with-thumbnail">
              <ProductThumbnail name={line.orderLine.productName} category={line.orderLine.category} />
              <div>
                <strong>{line.quantity} × {line.orderLine.productName}</strong> <span className="muted">{line.orderLine.variant.label}</span>
                <div className="muted">{REASON_LABEL[line.reason as ReturnReason] ?? line.reason}{line.note ? ` — “${line.note}”` : ""}</div>
                {line.exchangeVariantId ? <div>Exchange for: {ret.exchangeLabels.get(line.exchangeVariantId)}</div> : null}
                {line.photoPath ? <a href={`/returns/${ret.number}/photos/${line.id}`} target="_blank" rel="noreferrer">Your photo</a> : null}
              </div>
            </li>
          ))}
        </ul>
      </section>

      <section className="card" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Progress</h2>
        <ol className="timeline" data-testid="return-timeline">
          {timeline.map((entry) => (
            <li key={entry.key}>
              <strong>{entry.text}</strong>
              <div className="muted"><time dateTime={entry.at.toISOString()}>{formatDateTime(entry.at, principal.timeZone)}</time></div>
            </li>
          ))}
        </ol>
      </section>

      {/* After a return is submitted its attempt is over: leaving from here is not leaving the task. */}
      {submitted ? <ContactUs about={{ returnNumber: ret.number }} /> : <ContactUs journey="return_tracking" step="detail" about={{ returnNumber: ret.number }} />}
    </div>
  );
}

function MoneyLine({ state, money, settledAt, bankArrival, zone }: { state: MoneyState; money: (minor: number) => string; settledAt: Date | undefined; bankArrival: string; zone: string | null }) {
  const on = settledAt ? ` on ${formatDate(settledAt, zone)}` : "";
  switch (state.kind) {
    case "none":
      return <p>Nothing to pay back: this return was {state.because === "DECLINED" ? "declined" : "cancelled"}.</p>;
    case "refund_on_receipt":
      return <p>{money(state.amountMinor)} goes back to your original payment method as soon as your return reaches our warehouse.</p>;
    case "refund_pending":
      return <p><strong>Refund pending: {money(state.amountMinor)}</strong>. We have asked for it to go back to your original payment method; your bank shows it {bankArrival}.</p>;
    case "refund_failed":
      return <p className="notice error">We could not refund {money(state.amountMinor)} to your card. Our team has been told and will sort it out; you do not need to do anything.</p>;
    case "refunded":
      return <p><strong>Refunded {money(state.amountMinor)}</strong>{on}. Your bank shows it {bankArrival}.</p>;
    case "credit_on_receipt":
      return <p>{money(state.amountMinor + state.bonusMinor)} store credit{state.bonusMinor ? ` (including a ${money(state.bonusMinor)} bonus)` : ""} is added to your account as soon as your return reaches our warehouse.</p>;
    case "credited":
      return <p><strong>{money(state.amountMinor + state.bonusMinor)} store credit added</strong>{on}. <Link href="/returns">See your balance</Link>.</p>;
    case "exchange_on_receipt":
      return <p>We send your replacement as soon as your return reaches our warehouse.</p>;
    case "exchanged":
      return <p><strong>Your replacement is on its way.</strong></p>;
  }
}
