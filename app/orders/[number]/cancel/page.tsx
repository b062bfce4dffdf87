import type { Metadata } from "next";
import Link from "@/components/link";
import { notFound } from "next/navigation";
import { Assist } from "@/components/assist";
import { ContactUs } from "@/components/contact-us";
import { JourneyStep } from "@/components/journey";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { helpOnArrival } from "@/lib/experience/assist";
import { formatMoney } from "@/lib/format/money";
import { CANCELLABLE_STATUSES } from "@/lib/orders/cancellation";
import { whyNotCancellable } from "@/lib/orders/status";
import { findCustomerOrder } from "@/lib/orders/queries";
import { activePolicy } from "@/lib/returns/policy-store";
import { cardArrivalWithin, describeReturnCosts } from "@/lib/returns/policy";
import { customerActor } from "@/lib/trail/actor";
import { cancelOrderAction } from "./actions";
import { CancelForm } from "./cancel-form";

export const metadata: Metadata = { title: "Cancel an order" };

export default async function CancelPage({ params }: { params: Promise<{ number: string }> }) {
  const { number } = await params;
  const principal = await requireCustomer(`/orders/${number}/cancel`);
  const [order, help] = await Promise.all([
    findCustomerOrder(db(), principal.userId, number),
    helpOnArrival(db(), await customerActor(principal), { type: "order_cancellation", step: "lines", orderNumber: number }),
  ]);
  if (!order) notFound();
  const cancellable = (CANCELLABLE_STATUSES as readonly string[]).includes(order.status);
  const { rules } = await activePolicy(db());
  const returnCosts = cancellable || order.status === "CANCELLED" ? null : describeReturnCosts(rules, order.currency, (minor) => formatMoney(minor, order.currency));
  const lines = order.lines
    .map((l) => ({ id: l.id, name: l.productName, open: l.quantity - l.cancelledQuantity - l.returnedQuantity, price: formatMoney(l.unitPriceMinor, order.currency) }))
    .filter((l) => l.open > 0);

  return (
    <div className="stack">
      <p><Link href={`/orders/${order.number}`}>← Order {order.number}</Link></p>
      <h1>Cancel items from order <span className="ref">{order.number}</span></h1>
      <Assist journey="order_cancellation" step="lines" orderNumber={order.number} help={help} />
      {cancellable ? (
        <>
          <JourneyStep type="order_cancellation" step="lines" />
          <p className="muted">
            Choose what you no longer want. {order.paidMinor > 0 ? `What you paid for it goes back to your card ${cardArrivalWithin(rules.refund.cardArrivalBusinessDays)}.` : "You will not be charged for it."}
          </p>
          <CancelForm action={cancelOrderAction.bind(null, order.number)} lines={lines} orderHref={`/orders/${order.number}`} />
        </>
      ) : (
        <>
          <JourneyStep type="order_cancellation" step="lines" action="failed" errorCode={order.status === "CANCELLED" ? "order_already_cancelled" : "order_already_shipped"} />
          <div className="notice warn" role="status">
            {whyNotCancellable(order.status)}
          </div>
          {returnCosts ? <p data-testid="return-costs">{returnCosts}</p> : null}
          <p className="actions">
            {order.status === "DELIVERED" ? <Link href={`/orders/${order.number}/return`} className="button">Start a return</Link> : null}
            <Link href={`/orders/${order.number}`} className="button secondary">Back to the order</Link>
          </p>
        </>
      )}
      <ContactUs journey="order_cancellation" step="lines" about={{ orderNumber: order.number }} />
    </div>
  );
}
