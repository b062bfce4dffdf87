// What the agent just did on a case, said at the top of the page it reloads (?done=…&about=…),
// with its figures read from the case as it now is: an address typed or kept with ?done= says
// nothing the case does not bear out (an order not cancelled, an override of another customer's).
import type { Db } from "@/lib/db/client";
import { formatMoney } from "@/lib/format/money";
import { countOf } from "@/lib/format/plural";
import { overrideLabel } from "@/lib/returns/overrides";
import type { Method } from "@/lib/returns/policy";
import { METHOD_NOUN } from "@/lib/returns/status";
import { caseActionNotice, type CaseActionDone, type CASE_STATUS_LABEL } from "./labels";

type CaseNow = { id: string; number: string; userId: string | null; returnId: string | null; status: keyof typeof CASE_STATUS_LABEL; assignedToId: string | null; assignedTo: { name: string } | null };

/** "Order WM-209300 cancelled: 3 items. £81.60 is being refunded to the customer's card." */
export function cancelledWords(order: { number: string; items: number; currency: string; refundedMinor: number; releasedMinor: number }): string {
  const money =
    order.refundedMinor > 0
      ? `${formatMoney(order.refundedMinor, order.currency)} is being refunded to the customer's card.`
      : order.releasedMinor > 0
        ? `The ${formatMoney(order.releasedMinor, order.currency)} held on the customer's card is released; nothing was charged.`
        : "Nothing had been paid, so nothing is refunded.";
  return `Order ${order.number} cancelled: ${countOf(order.items, "item")}. ${money} The customer has been told.`;
}

/** "Return window extended for the next return of WM-209300: the customer can now return it in the portal. Your reason: “…”" */
export function setAsideWords(override: { rule: string; orderNumber: string; justification: string }): string {
  return `${overrideLabel(override.rule)} for the next return of ${override.orderNumber}: the customer can now return it in the portal. Your reason: “${override.justification}”`;
}

/** What the check of a held return found: accepted, or declined with the reason the customer reads. */
export function checkedWords(checked: { returnNumber: string; status: string; method: Method; note: string | null }): string | null {
  if (checked.status === "DECLINED") return `Return ${checked.returnNumber} declined and the case resolved. The customer has been told why${checked.note ? `: “${checked.note}”` : "."}`;
  if (checked.status === "HELD_FOR_REVIEW" || checked.status === "CANCELLED") return null;
  return `Return ${checked.returnNumber} accepted and the case resolved: the customer is sent their ${METHOD_NOUN[checked.method]} once the carrier has booked it.`;
}

/** "Return fee waived on return RT-100042: the customer now gets £20.00 back, and has been told. Your reason: “…”" */
export function feeWaivedWords(waived: { returnNumber: string; currency: string; refundMinor: number; resolution: string; justification: string }): string {
  const back = `${formatMoney(waived.refundMinor, waived.currency)}${waived.resolution === "STORE_CREDIT" ? " in store credit" : ""}`;
  return `Return fee waived on return ${waived.returnNumber}: the customer now gets ${back} back, and has been told. Your reason: “${waived.justification}”`;
}

/** "Store credit of £7.50 granted against order WM-209300 and recorded as an override. The customer has been told." */
export function goodwillWords(grant: { kind: "REFUND" | "STORE_CREDIT"; orderNumber: string; amountMinor: number; currency: string }): string {
  const amount = formatMoney(grant.amountMinor, grant.currency);
  // Credit is the customer's at once, and they are told so; a refund is told once it reaches their card.
  return grant.kind === "REFUND"
    ? `Refund of ${amount} to the customer's card granted against order ${grant.orderNumber} and recorded as an override. The customer is told once it reaches their card.`
    : `Store credit of ${amount} granted against order ${grant.orderNumber} and recorded as an override. The customer has been told.`;
}

/** The goodwill refund or credit with this id, given from this case to its customer; null for any other. */
async function goodwillGranted(db: Db, grantId: string, found: { number: string; userId: string }) {
  const reason = `goodwill:${found.number}`;
  const refund = await db.refund.findFirst({ where: { id: grantId, reason, order: { userId: found.userId } }, select: { amountMinor: true, currency: true, order: { select: { number: true } } } });
  if (refund) return goodwillWords({ kind: "REFUND", orderNumber: refund.order.number, amountMinor: refund.amountMinor, currency: refund.currency });
  const credit = await db.storeCreditEntry.findFirst({ where: { id: grantId, reason, userId: found.userId }, select: { amountMinor: true, currency: true, orderId: true } });
  const order = credit?.orderId ? await db.order.findUnique({ where: { id: credit.orderId }, select: { number: true } }) : null;
  return credit && order ? goodwillWords({ kind: "STORE_CREDIT", orderNumber: order.number, amountMinor: credit.amountMinor, currency: credit.currency }) : null;
}

export async function caseOutcomeNotice(db: Db, input: { done: CaseActionDone; about: string | undefined; found: CaseNow; agentId: string }): Promise<string | null> {
  const { done, about, found } = input;
  if (done === "taken" || done === "resolved") return caseActionNotice(done, found, input.agentId);
  if (done === "checked") {
    if (!found.returnId) return null;
    const checked = await db.return.findUnique({ where: { id: found.returnId }, select: { number: true, status: true, method: true, history: { where: { to: { in: ["APPROVED", "DECLINED"] } }, orderBy: { at: "desc" }, take: 1, select: { note: true } } } });
    return checked ? checkedWords({ returnNumber: checked.number, status: checked.status, method: checked.method, note: checked.history[0]?.note || null }) : null;
  }
  if (done === "fee-waived") {
    if (!found.returnId) return null;
    const waived = await db.policyOverride.findFirst({
      where: { caseId: found.id, returnId: found.returnId, rule: { startsWith: "fee:" } },
      orderBy: { createdAt: "desc" },
      select: { justification: true, return: { select: { number: true, currency: true, refundMinor: true, resolution: true } } },
    });
    return waived?.return ? feeWaivedWords({ returnNumber: waived.return.number, currency: waived.return.currency, refundMinor: waived.return.refundMinor, resolution: waived.return.resolution, justification: waived.justification }) : null;
  }
  if (!about || !found.userId) return null;
  if (done === "goodwill") return goodwillGranted(db, about, { number: found.number, userId: found.userId });
  if (done === "cancelled") {
    const order = await db.order.findFirst({
      where: { number: about, userId: found.userId, status: "CANCELLED" },
      select: { number: true, currency: true, totalMinor: true, paymentStatus: true, stripePaymentIntentId: true, lines: { select: { cancelledQuantity: true } }, refunds: { where: { reason: "order_cancelled" }, select: { amountMinor: true } } },
    });
    if (!order) return null;
    const refundedMinor = order.refunds.reduce((sum, r) => sum + r.amountMinor, 0);
    // An authorisation never captured is released, not refunded (cancelOrderLines).
    const releasedMinor = order.paymentStatus === "AUTHORIZED" && order.stripePaymentIntentId ? order.totalMinor : 0;
    return cancelledWords({ number: order.number, items: order.lines.reduce((sum, l) => sum + l.cancelledQuantity, 0), currency: order.currency, refundedMinor, releasedMinor });
  }
  const override = await db.policyOverride.findFirst({ where: { id: about, caseId: found.id }, select: { rule: true, orderId: true, justification: true } });
  const order = override?.orderId ? await db.order.findUnique({ where: { id: override.orderId }, select: { number: true } }) : null;
  return override && order ? setAsideWords({ rule: override.rule, orderNumber: order.number, justification: override.justification }) : null;
}
