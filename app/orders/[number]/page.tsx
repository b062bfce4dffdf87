import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ContactUs } from "@/components/contact-us";
import { JourneyStep } from "@/components/journey";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { formatDate, formatMoney } from "@/lib/format/money";
import { findCustomerOrder } from "@/lib/orders/queries";
import { isLate, STATUS_LABEL } from "@/lib/orders/status";

export const metadata: Metadata = { title: "Order" };

export default async function OrderPage({ params }: { params: Promise<{ number: string }> }) {
  const { number } = await params;
  const principal = await requireCustomer(`/orders/${number}`);
  if (!/^WM-\d{6}$/.test(number)) notFound();
  const order = await findCustomerOrder(db(), principal.userId, number);
  if (!order) notFound();
  const shipment = order.shipments.at(-1);
  const late = isLate({ ...order, deliveredAt: shipment?.deliveredAt }, new Date());

  return (
    <div className="stack">
      <JourneyStep type="order_tracking" step="detail" />
      <h1>Order {order.number}</h1>
      <p>
        <span className={`badge ${late ? "late" : ""}`}>{STATUS_LABEL[order.status]}</span> <span className="muted">placed {formatDate(order.placedAt)}</span>
      </p>
      {late && order.status !== "DELIVERED" ? (
        <p className="notice warn" role="status">
          This order is late: we promised it for {formatDate(order.promisedDeliveryAt)}. It is still on its way; if it has not arrived within 5 days of that date you can report it as not received.
        </p>
      ) : null}
      <section className="card">
        <h2>Items</h2>
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
              {order.lines.map((line) => (
                <tr key={line.id}>
                  <td>{line.productName}</td>
                  <td>{line.quantity}</td>
                  <td>{formatMoney(line.unitPriceMinor * line.quantity, order.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="row">
          <span>Total</span>
          <strong>{formatMoney(order.totalMinor, order.currency)}</strong>
        </p>
      </section>
      {shipment ? (
        <section className="card">
          <h2>Tracking</h2>
          <p>
            {shipment.carrier} · {shipment.trackingNumber} · expected {formatDate(shipment.expectedAt)}
          </p>
          <ol className="timeline">
            {shipment.events.map((event) => (
              <li key={event.id}>
                <strong>{event.description}</strong>
                <div className="muted">
                  {formatDate(event.at)}
                  {event.location ? ` · ${event.location}` : ""}
                </div>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      <ContactUs journey="order_tracking" step="detail" />
    </div>
  );
}
