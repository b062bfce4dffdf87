import type { Metadata } from "next";
import Link from "@/components/link";
import { notFound } from "next/navigation";
import { ContactUs } from "@/components/contact-us";
import { JourneyOutcomeShown, JourneyStep } from "@/components/journey";
import { RefreshWhilePending } from "@/components/payments/refresh-while-pending";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { formatMoney } from "@/lib/format/money";
import { STATUS_LABEL } from "@/lib/orders/status";
import { balancePaymentView } from "@/lib/payments/balance";
import { paymentFailureMessage } from "@/lib/payments/messages";

export const metadata: Metadata = { title: "Your payment" };

// Where the customer lands after paying (from the hosted page through ./return, or with the saved
// card). The order only moves once Stripe confirms the money; until then this page says so and
// refreshes. A decline on the hosted page never shows here: the customer saw it there and may have
// paid with another card since.
export default async function BalancePaymentPage({ params }: { params: Promise<{ number: string; paymentId: string }> }) {
  const { number, paymentId } = await params;
  const principal = await requireCustomer(`/orders/${number}/pay/${encodeURIComponent(paymentId)}`);
  const view = await balancePaymentView(db(), principal.userId, number, paymentId);
  if (!view) notFound();
  const { payment, order, stage } = view;
  const amount = formatMoney(payment.amountMinor, payment.currency);

  return (
    <div className="stack">
      <JourneyStep type="balance_payment" step="confirmation" />
      <p className="back-link">
        <Link href={`/orders/${order.number}`}>← Order {order.number}</Link>
      </p>
      <h1>{stage === "paid" ? "Payment received" : stage === "failed" ? "Payment not taken" : "Your payment"}</h1>
      {stage === "paid" ? (
        <>
          <p className="notice ok" role="status" data-testid="payment-status">
            Thank you: we received {amount}. Your order is now <strong>{STATUS_LABEL[order.status]}</strong>.
          </p>
          <JourneyOutcomeShown type="balance_payment" />
        </>
      ) : stage === "failed" ? (
        <p className="notice error" role="status" data-testid="payment-status">
          {paymentFailureMessage(payment.failureCode)}
        </p>
      ) : stage === "pending_retry" ? (
        <RefreshWhilePending everyMs={5000} slowMessage={`Payment pending: ${amount}. We are still trying to reach our payment provider and will keep trying; you do not need to pay again.`}>
          Payment pending: {amount}. We could not reach our payment provider just now and will keep trying automatically. You do not need to pay again; this page updates when it goes through.
        </RefreshWhilePending>
      ) : (
        <RefreshWhilePending slowMessage="Your bank is taking longer than usual to confirm the payment. You do not need to pay again; your order updates as soon as it is confirmed.">
          Confirming your payment of {amount} with your bank…
        </RefreshWhilePending>
      )}
      <p className="actions">
        <Link href={`/orders/${order.number}`} className="button secondary">View order {order.number}</Link>
        {stage === "failed" && order.balanceDueMinor > 0 ? (
          <Link href={`/orders/${order.number}/pay`} className="button">Try again</Link>
        ) : null}
      </p>
      <ContactUs journey="balance_payment" step="confirmation" about={{ orderNumber: order.number }} />
    </div>
  );
}
