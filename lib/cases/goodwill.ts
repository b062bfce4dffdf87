// How much goodwill store credit an order can still bear, framework-free: what the order bills once
// its cancellations are taken off (its total as the customer's order page and the case say it),
// less the goodwill credit already given for it. A refund is capped by the payment instead (what
// is left of it once refunds, cancellations' included, went back: lib/payments/refunds.ts).
import { orderBilling } from "@/lib/orders/billing";

type BilledOrder = Parameters<typeof orderBilling>[0];

export type GoodwillCap = { nothingToGrant: true } | { nothingToGrant: false; creditableMinor: number };

export function goodwillCreditCap(order: BilledOrder, goodwillCreditGivenMinor: number): GoodwillCap {
  const billing = orderBilling(order);
  // Cancelled in full, an order bills nothing: there is nothing left to make up for on it.
  if (billing.fullyCancelled) return { nothingToGrant: true };
  return { nothingToGrant: false, creditableMinor: Math.max(0, billing.totalMinor - goodwillCreditGivenMinor) };
}
