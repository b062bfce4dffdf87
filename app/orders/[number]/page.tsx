import type { Metadata } from "next";
import Link from "@/components/link";
import { notFound } from "next/navigation";
import { Fragment } from "react";
import { OutcomeNotice } from "@/components/arrival";
import { Assist } from "@/components/assist";
import { ContactUs } from "@/components/contact-us";
import { ForgetNoticeInAddress } from "@/components/notice-once";
import { JourneyOutcomeShown, JourneyStep } from "@/components/journey";
import { ProductThumbnail } from "@/components/product-thumbnail";
import { TaskLink } from "@/components/task-link";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { addressNotice } from "@/lib/http/address-notice";
import { helpOnArrival } from "@/lib/experience/assist";
import { formatDate, formatDateTime } from "@/lib/format/date";
import { formatMoney } from "@/lib/format/money";
import { CANCELLABLE_STATUSES } from "@/lib/orders/cancellation";
import { orderBilling } from "@/lib/orders/billing";
import { findCustomerOrder } from "@/lib/orders/queries";
import { deliveryOutlook, isLate, lateBy, paymentLabel, STATUS_LABEL, trackingUrl } from "@/lib/orders/status";
import { addressLines, type PostalAddress } from "@/lib/addresses/format";
import { cardArrivalWithin } from "@/lib/returns/policy";
import { activePolicy } from "@/lib/returns/policy-store";
import { RETURN_STATUS_LABEL, statusBadgeClass } from "@/lib/returns/status";
import { customerActor } from "@/lib/trail/actor";

export const metadata: Metadata = { title: "Order" };

// `within`: the policy's card arrival time, as the cancellation message says it.
const cancelledNotices = (within: string): Record<string, string> => ({
  all: `Your order is cancelled. Anything you paid goes back to your card ${within}.`,
  one: `That item is cancelled. Anything you paid for it goes back to your card ${within}.`,
  some: `Those items are cancelled. Anything you paid for them goes back to your card ${within}.`,
});
const UPDATED_NOTICES: Record<string, string> = { address: "The new delivery address is saved." };

export default async function OrderPage({ params, searchParams }: { params: Promise<{ number: string }>; searchParams: Promise<{ cancelled?: string; updated?: string }> }) {
  const { number } = await params;
  const notice = await searchParams;
  const principal = await requireCustomer(`/orders/${number}`);
  // A page confirming what the customer just did offers no help: "things have not gone smoothly"
  // read as a rebuke there, and on a phone it pushed the confirmation off the first screen.
  const key = notice.cancelled ?? notice.updated;
  const [order, help] = await Promise.all([
    findCustomerOrder(db(), principal.userId, number),
    key ? null : helpOnArrival(db(), await customerActor(principal), { type: "order_tracking", step: "detail", orderNumber: number }),
  ]);
  if (!order) notFound();
  const zone = principal.timeZone;
  const now = new Date();
  const shipment = order.shipments.at(-1);
  const late = isLate({ ...order, deliveredAt: shipment?.deliveredAt }, now);
  const outlook = deliveryOutlook(order, shipment?.expectedAt, now);
  const tracking = shipment ? trackingUrl(shipment.carrier, shipment.trackingNumber) : null;
  const open = (CANCELLABLE_STATUSES as readonly string[]).includes(order.status);
  const refunding = order.refunds.reduce((sum, refund) => sum + refund.amountMinor, 0);
  const address = order.shippingAddress as PostalAddress;
  const billing = orderBilling(order);
  const cancelled = notice.cancelled ? addressNotice(cancelledNotices(cardArrivalWithin((await activePolicy(db())).rules.refund.cardArrivalBusinessDays)), notice.cancelled) : undefined;
  const message = cancelled ?? addressNotice(UPDATED_NOTICES, notice.updated);

  return (
    <div className="stack">
      {/* Shown as another task's outcome (a cancellation, an address change), the order is not being
          tracked: counting it completed an attempt at tracking the customer never made. */}
      {key ? null : <JourneyStep type="order_tracking" step="detail" />}
      <p>
        <Link href="/orders">← All orders</Link>
      </p>
      <h1>Order <span className="ref">{order.number}</span></h1>
      {message ? (
        <>
          <OutcomeNotice>{message}</OutcomeNotice>
          <ForgetNoticeInAddress params={["cancelled", "updated"]} />
        </>
      ) : null}
      {cancelled ? <JourneyOutcomeShown type="order_cancellation" /> : message ? <JourneyOutcomeShown type="delivery_address_change" /> : null}
      <p>
        <span className={`badge ${late && order.status !== "DELIVERED" ? "late" : order.status === "DELIVERED" ? "done" : ""}`}>{STATUS_LABEL[order.status]}</span>{" "}
        <span className="muted">placed {formatDate(order.placedAt, zone)}</span>
      </p>
      {/* After the order's heading and status: above them, the help was the first thing a customer saw
          (and the page's largest paint), before knowing which order it was about. */}
      {help ? <Assist journey="order_tracking" step="detail" orderNumber={order.number} help={help} /> : null}

      {order.status !== "CANCELLED" && order.status !== "DELIVERED" ? (
        <p className={late ? "notice warn" : "card"} role="status" data-testid="delivery-promise">
          {late ? `This order is late: we promised it for ${formatDate(order.promisedDeliveryAt, zone)}. We are sorry. ` : ""}
          {outlook.kind === "after_payment"
            ? "We send this order once it is paid, and give you its delivery date then."
            : outlook.kind === "expected"
              ? `Expected delivery: ${formatDate(outlook.on, zone)}.`
              : "The carrier has not given a new delivery date yet; we are chasing it."}
          {late ? " If it has not arrived 5 days after the promised date, report it as not received and we will reship or refund it at once." : ""}
        </p>
      ) : null}
      {order.status === "DELIVERED" && shipment?.deliveredAt ? (
        <p className="card">
          Delivered on {formatDate(shipment.deliveredAt, zone)}
          {late ? ` (${lateBy(order.promisedDeliveryAt, shipment.deliveredAt)} — sorry)` : ""}.
        </p>
      ) : null}

      <div className="actions">
        {order.balanceDueMinor > 0 ? <Link href={`/orders/${order.number}/pay`} className="button">Pay {formatMoney(order.balanceDueMinor, order.currency)} now</Link> : null}
        {open ? (
          <>
            <TaskLink journey="order_cancellation" step="detail" href={`/orders/${order.number}/cancel`}>Cancel items</TaskLink>
            <TaskLink journey="delivery_address_change" step="detail" href={`/orders/${order.number}/delivery-address`}>Change delivery address</TaskLink>
          </>
        ) : null}
        {order.status === "DELIVERED" ? <TaskLink journey="return" step="order" href={`/orders/${order.number}/return`}>Return items</TaskLink> : null}
        {order.status === "DELIVERED" || (order.status === "SHIPPED" && late) ? (
          <TaskLink journey="problem_report" step="detail" href={`/orders/${order.number}/problem`}>Report a problem</TaskLink>
        ) : null}
        {order.status !== "PENDING_PAYMENT" && !billing.fullyCancelled ? <Link href={`/orders/${order.number}/invoice`} className="button secondary">Invoice</Link> : null}
        {order.status === "DELIVERED" ? <Link href={`/orders/${order.number}/buy-again`} className="button secondary">Buy again</Link> : null}
      </div>
      {order.status === "SHIPPED" ? <p className="muted">This order has shipped, so it can no longer be cancelled or redirected. Once it arrives you can return what you do not want.</p> : null}

      <section className="card" aria-labelledby="items-heading">
        <h2 id="items-heading">Items</h2>
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Qty</th>
                <th scope="col">Price</th>
              </tr>
            </thead>
            <tbody>
              {order.lines.map((line, index) => (
                <tr key={line.id}>
                  <td>
                    <div className="with-thumbnail">
                      <ProductThumbnail name={line.productName} category={line.category} />
                      <div>
                        {line.productName} <span className="muted small">{line.sku}</span>
                        {billing.lines[index].cancelledQuantity ? (
                          <div className="muted small">
                            {billing.lines[index].cancelledQuantity} cancelled ({formatMoney(billing.lines[index].cancelledMinor, order.currency)} off the total)
                          </div>
                        ) : null}
                        {line.returnedQuantity ? <div className="muted small">{line.returnedQuantity} returned</div> : null}
                      </div>
                    </div>
                  </td>
                  <td>{billing.lines[index].billedQuantity}</td>
                  <td>{formatMoney(line.unitPriceMinor * billing.lines[index].billedQuantity, order.currency)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr><th scope="row" colSpan={2}>Subtotal</th><td>{formatMoney(billing.subtotalMinor, order.currency)}</td></tr>
              <tr><th scope="row" colSpan={2}>Shipping</th><td>{formatMoney(billing.shippingMinor, order.currency)}</td></tr>
              <tr><th scope="row" colSpan={2}>Tax</th><td>{formatMoney(billing.taxMinor, order.currency)}</td></tr>
              <tr><th scope="row" colSpan={2}>Total</th><td><strong>{formatMoney(billing.totalMinor, order.currency)}</strong></td></tr>
            </tfoot>
          </table>
        </div>
        <p className="row" data-testid="payment">
          <span>Payment</span>
          <span>
            {paymentLabel(order)}
            {order.refundedMinor > 0 ? ` · ${formatMoney(order.refundedMinor, order.currency)} refunded` : ""}
            {refunding > 0 ? ` · ${formatMoney(refunding, order.currency)} being refunded` : ""}
            {order.balanceDueMinor > 0 ? ` · ${formatMoney(order.balanceDueMinor, order.currency)} due` : ""}
          </span>
        </p>
      </section>

      <div className="grid">
        <section className="card" aria-labelledby="address-heading">
          <h2 id="address-heading">Delivery address</h2>
          <address>
            {addressLines(address).map((line, i) => (
              <Fragment key={i}>{i ? <br /> : null}{line}</Fragment>
            ))}
          </address>
        </section>
        {order.returns.length ? (
          <section className="card" aria-labelledby="returns-heading">
            <h2 id="returns-heading">Returns</h2>
            <ul className="list">
              {order.returns.map((r) => (
                <li key={r.number} className="row">
                  <Link href={`/returns/${r.number}`}>Return {r.number}</Link>
                  <span className={statusBadgeClass(r.status)}>{RETURN_STATUS_LABEL[r.status]}</span>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </div>

      {shipment ? (
        <section className="card" aria-labelledby="tracking-heading">
          <h2 id="tracking-heading">Tracking</h2>
          <p>
            {shipment.carrier} · tracking number{" "}
            {tracking ? <a href={tracking} rel="noopener noreferrer" target="_blank">{shipment.trackingNumber}<span className="sr-only"> on {shipment.carrier}&apos;s site (opens in a new tab)</span></a> : shipment.trackingNumber}
          </p>
          <ol className="timeline" data-testid="tracking-timeline">
            {shipment.events.map((event) => (
              <li key={event.id}>
                <strong>{event.description}</strong>
                <div className="muted">
                  <time dateTime={event.at.toISOString()}>{formatDateTime(event.at, zone)}</time>
                  {event.location ? ` · ${event.location}` : ""}
                </div>
              </li>
            ))}
          </ol>
        </section>
      ) : order.status !== "CANCELLED" ? (
        <section className="card">
          <h2>Tracking</h2>
          <p className="muted">We are preparing your order. Tracking appears here as soon as it ships.</p>
        </section>
      ) : null}

      <ContactUs journey="order_tracking" step="detail" about={{ orderNumber: order.number }} />
    </div>
  );
}
