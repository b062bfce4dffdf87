import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Fragment } from "react";
import { PrintButton } from "@/components/print-button";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { formatDate } from "@/lib/format/date";
import { formatMoney } from "@/lib/format/money";
import { invoicePayments, orderBilling } from "@/lib/orders/billing";
import { findCustomerOrder } from "@/lib/orders/queries";
import Link from "@/components/link";
import { addressLines, type PostalAddress } from "@/lib/addresses/format";

export const metadata: Metadata = { title: "Invoice" };

// A print-ready invoice: the browser's "Save as PDF" gives the PDF.
export default async function InvoicePage({ params }: { params: Promise<{ number: string }> }) {
  const { number } = await params;
  const principal = await requireCustomer(`/orders/${number}/invoice`);
  const order = await findCustomerOrder(db(), principal.userId, number);
  if (!order || order.status === "PENDING_PAYMENT") notFound();
  const address = order.shippingAddress as PostalAddress;
  const money = (minor: number) => formatMoney(minor, order.currency);
  const billing = orderBilling(order);
  const payments = invoicePayments({ ...order, refundingMinor: order.refunds.reduce((sum, refund) => sum + refund.amountMinor, 0) });
  // Nothing was sent and everything paid goes back, so there is nothing to bill: no invoice, and no
  // credit note either, as it would credit an invoice that bills nothing.
  if (billing.fullyCancelled) {
    return (
      <article className="card stack" aria-labelledby="invoice-heading">
        <h1 id="invoice-heading">No invoice for order {order.number}</h1>
        <p>This order was cancelled before it was sent, so nothing is billed and there is no invoice. Anything you paid is refunded to your card.</p>
        <p><Link href={`/orders/${order.number}`}>Back to the order</Link></p>
      </article>
    );
  }
  return (
    <article className="invoice card stack" aria-labelledby="invoice-heading">
      <div className="row">
        <h1 id="invoice-heading">Invoice {order.number.replace("WM-", "INV-")}</h1>
        <PrintButton />
      </div>
      <div className="grid">
        <div>
          <strong>Waymark Retail Ltd</strong>
          <br />1 Harbour Street, Bristol BS1 4XX, GB
          <br />VAT GB123456789
        </div>
        <div>
          <strong>Billed to</strong>
          {addressLines(address).map((line, i) => (
            <Fragment key={i}><br />{line}</Fragment>
          ))}
        </div>
        <div>
          Order {order.number}
          <br />Date {formatDate(order.placedAt, principal.timeZone)}
        </div>
      </div>
      {/* On a phone each line becomes a small card (four amounts side by side did not fit). */}
      <table className="stack-table invoice-lines">
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">Qty</th>
            <th scope="col">Unit price</th>
            <th scope="col">Tax</th>
            <th scope="col">Amount</th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((line, index) => {
            const billed = billing.lines[index];
            return (
              <tr key={line.id}>
                <td>
                  {line.productName} ({line.sku})
                  {billed.cancelledQuantity ? <div className="muted small">{billed.cancelledQuantity} cancelled, not billed ({money(billed.cancelledMinor)} off the total)</div> : null}
                </td>
                <td data-label="Qty">{billed.billedQuantity}</td>
                <td data-label="Unit price">{money(line.unitPriceMinor)}</td>
                <td data-label="Tax">{money(billed.taxMinor)}</td>
                <td data-label="Amount">{money(billed.amountMinor)}</td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr><th scope="row" colSpan={4}>Subtotal</th><td>{money(billing.subtotalMinor)}</td></tr>
          <tr><th scope="row" colSpan={4}>Shipping</th><td>{money(billing.shippingMinor)}</td></tr>
          <tr><th scope="row" colSpan={4}>Tax</th><td>{money(billing.taxMinor)}</td></tr>
          <tr><th scope="row" colSpan={4}>Total</th><td><strong>{money(billing.totalMinor)}</strong></td></tr>
          {payments.map((row) => (
            <tr key={row.label}><th scope="row" colSpan={4}>{row.label}</th><td>{row.amountMinor < 0 ? `−${money(-row.amountMinor)}` : money(row.amountMinor)}</td></tr>
          ))}
        </tfoot>
      </table>
    </article>
  );
}
