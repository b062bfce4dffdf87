// Why an agent's action on a case did nothing, in the agent's words: what happened, and what they
// can do instead. Every code the case's actions can refuse with has its sentence here, keyed by the
// domain functions' own result types, so a new code without one fails the type check. Framework-free.
import type { cancelForCustomer, grantGoodwill, overrideReturnForCustomer, reviewReturnForCase, waiveFeeForCase } from "./agent-actions";
import type { resolveCase } from "./cases";
import { formatMoney } from "@/lib/format/money";

type RefusalOf<Action extends (...args: never[]) => Promise<unknown>> = Extract<Awaited<ReturnType<Action>>, { ok: false }>;

/** A take that found the case no longer open, as the page it reloads reads the case. */
export type TakeRefusal = { ok: false; code: "case_closed" } | { ok: false; code: "taken_by_another"; agentName: string };

export type CaseActionRefusal =
  | RefusalOf<typeof cancelForCustomer>
  | RefusalOf<typeof grantGoodwill>
  | RefusalOf<typeof overrideReturnForCustomer>
  | RefusalOf<typeof waiveFeeForCase>
  | RefusalOf<typeof reviewReturnForCase>
  | RefusalOf<typeof resolveCase>
  | TakeRefusal;

export type CaseRefusalCode = CaseActionRefusal["code"];

/** A refusal with this code, with what it carries (an order's number, an amount). */
export type RefusalWith<Code extends CaseRefusalCode> = CaseActionRefusal & { code: Code };

// Said to a tab left open on a case since resolved, and to a take that came too late.
const CASE_CLOSED = "This case was closed before you acted, so nothing was done. To do more for the customer, log their contact to open a new case.";
const ORDER_CHANGED = "This order's items changed while you were cancelling it (the customer may have cancelled some), so nothing was cancelled. Reload the case and cancel what is left.";

const WORDS: { [Code in CaseRefusalCode]: string | ((refusal: RefusalWith<Code>) => string) } = {
  case_closed: CASE_CLOSED,
  case_already_closed: CASE_CLOSED,
  case_not_found: "This case has no customer to act for any more (their account may have been deleted), so nothing was done. Reload the case to see where it stands.",
  taken_by_another: ({ agentName }) => `${agentName} took this case first, so it stays with them. Ask them before doing anything for the customer.`,
  not_an_agent: "Your account can no longer act for customers, so nothing was done. Ask a manager to check your access.",
  order_not_found: "That order is not one of this customer's, so nothing was done. Choose one of the orders the case lists.",
  order_already_shipped: "This order has shipped, so it can no longer be cancelled. Offer the customer a return instead.",
  order_already_cancelled: "This order is already cancelled (the customer or another agent got there first), so nothing more was cancelled. Reload the case to see what was refunded.",
  invalid_line: ORDER_CHANGED,
  quantity_too_high: ORDER_CHANGED,
  order_cancelled: ({ orderNumber }) => `Order ${orderNumber} was cancelled in full, so there is nothing to grant against it. Nothing was granted.`,
  refund_exceeds_payment: ({ refundableMinor, currency }) =>
    `At most ${formatMoney(refundableMinor, currency)} is left to refund on this order, so nothing was refunded. Refund less, or grant store credit instead.`,
  goodwill_exceeds_order: ({ grantableMinor, currency }) =>
    `Goodwill for this order can be at most ${formatMoney(grantableMinor, currency)}: its total once cancelled items are taken off, less what has gone back to the customer for it (refunds, store credit, returns under way). Nothing was granted. More needs a manager.`,
  rule_not_overridable: "That rule cannot be set aside from a case, so nothing was changed. Choose one of the rules listed, or ask a manager.",
  return_not_found: "This case is about no return, so there is no return fee to waive. Nothing was changed.",
  return_closed: "This return is closed (declined, cancelled or exchanged), so it has no fee to waive. To make up for the fee, grant goodwill instead.",
  already_overridden: "That fee has already been waived on this return, so nothing more was waived. Reload the case to see what the customer gets back.",
  no_fee: "This return has no more fees to waive (one may just have been waived), so nothing was changed. Reload the case to see what the customer gets back.",
  no_return_to_review: "This case is about no return held for checking, so nothing was decided.",
  not_held_for_review: "This return has already been decided, so your decision was not recorded. Reload the case to see what was decided.",
};

/** Every code an agent's action on a case can be refused with. */
export const CASE_REFUSAL_CODES = Object.keys(WORDS) as CaseRefusalCode[];

/** The sentence an agent reads for a refused action: what happened, and what they can do. */
export function refusalWords(refusal: CaseActionRefusal): string {
  const words = WORDS[refusal.code] as string | ((refusal: CaseActionRefusal) => string);
  return typeof words === "string" ? words : words(refusal);
}
