// How much goodwill an order can still bear, framework-free: what the order bills once its
// cancellations are taken off (its total as the customer's order page and the case say it), less
// everything that has gone back to the customer for it, or is on its way: refunds (goodwill's, a
// problem's, a return's, a waived fee's), store credit, and the money of its returns still under
// way. Goodwill makes up for an order; it never gives back more than the customer is out of pocket
// for it. A refund is also capped by the payment (what is left of it once refunds, cancellations'
// included, went back: lib/payments/refunds.ts).
import { orderBilling } from "@/lib/orders/billing";

type BilledOrder = Parameters<typeof orderBilling>[0];

export type GoodwillCap = { nothingToGrant: true } | { nothingToGrant: false; grantableMinor: number };

/** A refund of the order that has gone or is going back to the card (pending or succeeded). */
export type RefundGiven = { amountMinor: number; reason: string };
/** A return of the order whose money has not moved yet, with what it will give back. */
export type ReturnUnderWay = { resolution: "REFUND" | "STORE_CREDIT" | "EXCHANGE"; refundMinor: number };

// A cancellation's refund is already off the order's bill (orderBilling): counting it again would
// take the cancelled items off twice.
const CANCELLATION_REFUNDS = new Set(["order_cancelled", "lines_cancelled"]);

/** What has gone back to the customer for the order, or will once its returns arrive. */
export function givenBackMinor(given: { refunds: RefundGiven[]; creditMinor: number[]; returnsUnderWay: ReturnUnderWay[] }): number {
  const refunded = given.refunds.filter((r) => !CANCELLATION_REFUNDS.has(r.reason)).reduce((sum, r) => sum + r.amountMinor, 0);
  const credited = given.creditMinor.filter((amount) => amount > 0).reduce((sum, amount) => sum + amount, 0);
  // An exchange sends an item back, not money; a store-credit return's bonus is the portal's own offer, not the order's money.
  const owed = given.returnsUnderWay.filter((r) => r.resolution !== "EXCHANGE").reduce((sum, r) => sum + r.refundMinor, 0);
  return refunded + credited + owed;
}

export function goodwillCap(order: BilledOrder, givenBack: number): GoodwillCap {
  const billing = orderBilling(order);
  // Cancelled in full, an order bills nothing: there is nothing left to make up for on it.
  if (billing.fullyCancelled) return { nothingToGrant: true };
  return { nothingToGrant: false, grantableMinor: Math.max(0, billing.totalMinor - givenBack) };
}
