// What an order bills once cancellations are taken off, for the order page and the invoice. A
// cancelled quantity is credited at its price and its share of the line's tax, the same amount the
// cancellation gave back, so the invoice, the order page and the refund agree to the penny.

type BilledLineInput = { id: string; quantity: number; cancelledQuantity: number; unitPriceMinor: number; taxMinor: number };
type BilledOrderInput = { status: string; subtotalMinor: number; shippingMinor: number; taxMinor: number; totalMinor: number; lines: BilledLineInput[] };

/** A line's tax for `quantity` of its units, in minor units (the line's tax is for all of them). */
export function lineTaxShare(line: { quantity: number; taxMinor: number }, quantity: number): number {
  return Math.round((line.taxMinor * quantity) / line.quantity);
}

export function orderBilling(order: BilledOrderInput) {
  // The back office can cancel a whole order without marking its lines: all of it is cancelled.
  const ordered = order.status === "CANCELLED" ? order.lines.map((line) => ({ ...line, cancelledQuantity: line.quantity })) : order.lines;
  const lines = ordered.map((line) => {
    const billedQuantity = line.quantity - line.cancelledQuantity;
    const cancelledTaxMinor = lineTaxShare(line, line.cancelledQuantity);
    const cancelledMinor = line.unitPriceMinor * line.cancelledQuantity + cancelledTaxMinor;
    const taxMinor = line.taxMinor - cancelledTaxMinor;
    return { id: line.id, billedQuantity, cancelledQuantity: line.cancelledQuantity, taxMinor, amountMinor: line.unitPriceMinor * billedQuantity + taxMinor, cancelledMinor };
  });
  const fullyCancelled = lines.every((line) => line.billedQuantity === 0);
  const cancelledPriceMinor = ordered.reduce((sum, line) => sum + line.unitPriceMinor * line.cancelledQuantity, 0);
  const cancelledTaxMinor = ordered.reduce((sum, line) => sum + lineTaxShare(line, line.cancelledQuantity), 0);
  // Cancelling everything also gives back the shipping charge (lib/orders/cancellation.ts).
  const shippingMinor = fullyCancelled ? 0 : order.shippingMinor;
  const cancelledMinor = cancelledPriceMinor + cancelledTaxMinor + (order.shippingMinor - shippingMinor);
  return {
    lines,
    fullyCancelled,
    subtotalMinor: order.subtotalMinor - cancelledPriceMinor,
    shippingMinor,
    taxMinor: order.taxMinor - cancelledTaxMinor,
    /** What the cancellations took off the order's original total. */
    cancelledMinor,
    totalMinor: order.totalMinor - cancelledMinor,
  };
}

/** A row under the invoice's total; a negative amount is money going back to the customer. */
export type PaymentRow = { label: string; amountMinor: number };

/**
 * What the invoice lists under its total, in the order a customer adds it up: what they paid, then
 * what went back to their card (or is on its way there), so paid less refunded is what they are
 * out of pocket. A refund is listed only when money went back: items cancelled before the order was
 * paid for were never paid, so they are only off the total. A lone "Refunded" row right under the
 * total, already net of the cancelled items, read as money refunded on top of it.
 */
export function invoicePayments(order: { paidMinor: number; refundedMinor: number; refundingMinor: number }): PaymentRow[] {
  const rows: PaymentRow[] = [];
  if (order.paidMinor > 0) rows.push({ label: "Paid", amountMinor: order.paidMinor });
  if (order.refundedMinor > 0) rows.push({ label: "Refunded to your card", amountMinor: -order.refundedMinor });
  if (order.refundingMinor > 0) rows.push({ label: "Being refunded to your card", amountMinor: -order.refundingMinor });
  return rows;
}
