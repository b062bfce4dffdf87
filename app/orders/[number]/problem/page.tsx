import type { Metadata } from "next";
import Link from "@/components/link";
import { notFound } from "next/navigation";
import { AnswerHeading } from "@/components/answer-heading";
import { OutcomeNotice } from "@/components/arrival";
import { Assist } from "@/components/assist";
import { ContactUs } from "@/components/contact-us";
import { JourneyOutcomeShown, JourneyStep } from "@/components/journey";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { helpOnArrival } from "@/lib/experience/assist";
import { formatDate } from "@/lib/format/date";
import { formatMoney } from "@/lib/format/money";
import { PROBLEM_KIND_LABEL, PROBLEM_KINDS, problemOutcomeCopy } from "@/lib/orders/problem-policy";
import { ALREADY_REPORTED, assessProblem, problemAnswerOnRecord, problemSelectionSchema, type ProblemAnswer } from "@/lib/orders/problems";
import { findCustomerOrder } from "@/lib/orders/queries";
import { cardArrivalWithin } from "@/lib/returns/policy";
import { activePolicy } from "@/lib/returns/policy-store";
import { customerActor } from "@/lib/trail/actor";
import { resolveProblemAction } from "./actions";
import { ResolutionForm } from "./resolution-form";

export const metadata: Metadata = { title: "Report a problem" };
const ANSWER_HEADING = "decision-heading";

const REFUSED: Record<string, string> = {
  not_shipped_yet: "This order has not shipped yet. You can still cancel it or change its delivery address from the order page.",
  not_delivered_yet: "This order has not been delivered yet. If it is late, choose “It has not arrived”.",
  order_cancelled: "This order is cancelled, so there is nothing to put right.",
  nothing_affected: "Choose the items the problem is about.",
  already_reported: ALREADY_REPORTED,
};
const AGENT_REASON: Record<string, string> = {
  carrier_confirmed_delivery: "The carrier recorded this parcel as delivered, so one of our team will look into where it went.",
  high_value: "For an order of this value, one of our team checks the details personally.",
  repeated_reports: "As this is not the first problem recently, one of our team will look at it personally.",
};

export default async function ProblemPage({ params, searchParams }: { params: Promise<{ number: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { number } = await params;
  const query = await searchParams;
  const principal = await requireCustomer(`/orders/${number}/problem`);
  const order = await findCustomerOrder(db(), principal.userId, number);
  if (!order) notFound();

  // The refund's arrival time as the policy (and the message the customer gets) says it.
  const within = cardArrivalWithin((await activePolicy(db())).rules.refund.cardArrivalBusinessDays);
  // An answer the order has no outcome for (an address anyone could write) is the report's own page.
  const resolved = firstOf(query.resolved);
  const answer = resolved ? await problemAnswerOnRecord(db(), { order, resolved, caseNumber: firstOf(query.case), replacement: firstOf(query.replacement) }) : null;
  if (answer) return <Resolved order={order.number} answer={answer} within={within} />;

  const selection = problemSelectionSchema.safeParse({ kind: query.kind, lineIds: ([] as string[]).concat(query.line ?? []) });
  const [decision, help] = await Promise.all([
    selection.success ? assessProblem(db(), principal.userId, order.number, selection.data) : null,
    helpOnArrival(db(), await customerActor(principal), { type: "problem_report", step: "problem", orderNumber: order.number }),
  ]);

  return (
    <div className="stack">
      <p><Link href={`/orders/${order.number}`}>← Order {order.number}</Link></p>
      <h1>Report a problem with order <span className="ref">{order.number}</span></h1>
      <JourneyStep type="problem_report" step="problem" />
      <Assist journey="problem_report" step="problem" orderNumber={order.number} help={help} />
      {/* The answer's address names its heading, so the browser shows it as the page loads (components/arrival.tsx). */}
      <form method="get" action={`#${ANSWER_HEADING}`} className="card stack">
        <fieldset className="stack">
          <legend>What went wrong?</legend>
          {PROBLEM_KINDS.map((kind) => (
            <label key={kind} className="choice">
              <input type="radio" name="kind" value={kind} defaultChecked={selection.success && selection.data.kind === kind} required /> {PROBLEM_KIND_LABEL[kind]}
            </label>
          ))}
        </fieldset>
        <fieldset className="stack">
          <legend>Which items? <span className="muted">(not needed if nothing arrived)</span></legend>
          {order.lines.map((line) => (
            <label key={line.id} className="choice">
              <input type="checkbox" name="line" value={line.id} defaultChecked={selection.success && selection.data.lineIds.includes(line.id)} /> {line.productName} × {line.quantity}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="button secondary">See what we can do</button>
      </form>

      {decision && selection.success ? (
        <section className="card stack" aria-live="polite" aria-labelledby={ANSWER_HEADING}>
          <AnswerHeading id={ANSWER_HEADING}>What we can do</AnswerHeading>
          {decision.kind === "refused" ? (
            <>
              <JourneyStep type="problem_report" step="problem" action="failed" errorCode={decision.code} />
              <p className="notice warn">
                {decision.code === "too_early" && decision.availableFrom
                  ? `Parcels sometimes take a few extra days. If it has not arrived by ${formatDate(decision.availableFrom, principal.timeZone)}, come back and we will reship or refund it straight away.`
                  : REFUSED[decision.code]}
              </p>
            </>
          ) : (
            <>
              <JourneyStep type="problem_report" step="resolution" />
              {decision.kind === "agent" ? <p>{AGENT_REASON[decision.code]} We will reply within one working day, by your preferred channel. Everything you told us here comes with it: you will not have to explain it again.</p> : null}
              <ResolutionForm
                action={resolveProblemAction.bind(null, order.number)}
                kind={selection.data.kind}
                lineIds={selection.data.lineIds}
                options={
                  decision.kind === "agent"
                    ? []
                    : decision.resolutions.map((r) => ({
                        value: r,
                        label:
                          r === "RESHIP"
                            ? "Send a replacement, free, within 3 days"
                            : r === "REFUND"
                              ? `Refund ${formatMoney(decision.amountMinor, order.currency)} to your card (shows ${within})`
                              : `Store credit of ${formatMoney(decision.amountMinor + decision.creditBonusMinor, order.currency)}, available now (includes a ${formatMoney(decision.creditBonusMinor, order.currency)} bonus)`,
                      }))
                }
              />
            </>
          )}
        </section>
      ) : null}
      <ContactUs journey="problem_report" step={decision && decision.kind !== "refused" ? "resolution" : "problem"} about={{ orderNumber: order.number }} />
    </div>
  );
}

const firstOf = (value: string | string[] | undefined) => (typeof value === "string" ? value : undefined);

function Resolved({ order, answer: { resolved, ...facts }, within }: { order: string; answer: ProblemAnswer; within: string }) {
  const { headline, detail } = problemOutcomeCopy(resolved, { ...facts, within });
  return (
    <div className="stack">
      <h1>{headline}</h1>
      <OutcomeNotice>{detail}</OutcomeNotice>
      <JourneyOutcomeShown type="problem_report" />
      <p><Link href={`/orders/${order}`} className="button secondary">Back to the order</Link></p>
    </div>
  );
}
