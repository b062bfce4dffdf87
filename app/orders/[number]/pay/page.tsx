import crypto from "node:crypto";
import type { Metadata } from "next";
import Link from "@/components/link";
import { notFound } from "next/navigation";
import { ContactUs } from "@/components/contact-us";
import { JourneyStep } from "@/components/journey";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { formatMoney } from "@/lib/format/money";
import { latestBalancePayment } from "@/lib/payments/balance";
import { paymentFailureMessage } from "@/lib/payments/messages";
import { cardLabel, defaultSavedCard } from "@/lib/payments/payment-methods";
import { stripeConfig } from "@/lib/payments/stripe";
import { PayOnHostedPageForm, PayWithSavedCardForm } from "./pay-forms";

export const metadata: Metadata = { title: "Pay the balance" };

export default async function PayBalancePage({ params, searchParams }: { params: Promise<{ number: string }>; searchParams: Promise<{ cancelled?: string }> }) {
  const { number } = await params;
  const { cancelled } = await searchParams;
  const principal = await requireCustomer(`/orders/${number}/pay`);
  const order = await db().order.findFirst({ where: { number, userId: principal.userId }, select: { number: true, status: true, balanceDueMinor: true, currency: true } });
  if (!order) notFound();
  const [card, latest] = await Promise.all([defaultSavedCard(db(), principal.userId), latestBalancePayment(db(), principal.userId, number)]);
  const available = stripeConfig() !== null;
  const due = order.balanceDueMinor > 0 && order.status !== "CANCELLED";
  const inFlight = latest?.status === "PENDING" && !latest.stripeId?.startsWith("cs_") ? latest : null;
  const amount = formatMoney(order.balanceDueMinor, order.currency);

  return (
    <div className="stack">
      <JourneyStep type="balance_payment" step="detail" />
      {cancelled ? <JourneyStep type="balance_payment" step="hosted_page" action="failed" errorCode="cancelled_on_hosted_page" /> : null}
      <p className="back-link">
        <Link href={`/orders/${order.number}`}>← Order {order.number}</Link>
      </p>
      <h1>Pay the balance on order <span className="ref">{order.number}</span></h1>
      {cancelled ? (
        <p className="notice warn" role="status">
          You left the secure payment page, so nothing was charged.
        </p>
      ) : null}
      {!due ? (
        <p className="notice ok" role="status" data-testid="nothing-due">
          There is nothing left to pay on this order.
        </p>
      ) : inFlight ? (
        <p className="notice warn" role="status">
          A payment for this order is on its way. <Link href={`/orders/${order.number}/pay/${inFlight.id}`}>See where it stands</Link>; you will not be charged twice.
        </p>
      ) : (
        <>
          {latest?.status === "FAILED" && !cancelled ? (
            <p className="notice error" role="status">
              Your last payment did not go through. {paymentFailureMessage(latest.failureCode)}
            </p>
          ) : null}
          <section className="card stack" aria-labelledby="due-heading">
            <h2 id="due-heading">Amount due</h2>
            <p className="amount-due" data-testid="amount-due">{amount}</p>
            {!available ? (
              <p className="notice warn" role="status">
                Card payments are not available right now. Please try again later, or contact us and we will help you pay.
              </p>
            ) : (
              <div className="stack">
                {card ? (
                  <PayWithSavedCardForm orderNumber={order.number} attemptId={crypto.randomUUID()} cardId={card.id}>
                    Pay {amount} with {cardLabel(card)}
                  </PayWithSavedCardForm>
                ) : null}
                <PayOnHostedPageForm orderNumber={order.number} attemptId={crypto.randomUUID()} primary={!card}>
                  {card ? "Pay with another card" : `Pay ${amount}`} on the secure payment page
                </PayOnHostedPageForm>
                <p className="muted small">
                  The secure payment page belongs to our payment provider, Stripe; Waymark never sees your card number.{" "}
                  <Link href="/account/payment-methods">Manage your saved cards</Link>.
                </p>
              </div>
            )}
          </section>
        </>
      )}
      <ContactUs journey="balance_payment" step="detail" about={{ orderNumber: order.number }} />
    </div>
  );
}
