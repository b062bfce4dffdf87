// What a customer reads when a payment or a card change did not go through: what happened, that
// nothing was charged, and what to do next. Keyed by Stripe's decline and error codes.
import type { BalanceRefusal } from "./balance";

const DECLINES: Record<string, string> = {
  insufficient_funds: "Your bank declined the payment because of insufficient funds. Nothing was charged. Try another card.",
  expired_card: "That card has expired, so nothing was charged. Pay with another card.",
  incorrect_cvc: "The security code was not accepted, so nothing was charged. Try again on the secure payment page.",
  authentication_required: "Your bank wants you to approve this payment, so nothing was charged yet. Pay on the secure payment page, where you can approve it.",
  stripe_unavailable: "We could not reach our payment provider, so nothing was charged. Please try again in a few minutes.",
  checkout_closed: "This payment page was closed because you started another payment, so nothing was charged on it.",
  checkout_expired: "The secure payment page expired before a payment was made, so nothing was charged. You can start again.",
};

export function paymentFailureMessage(code: string | null): string {
  return (code && DECLINES[code]) ?? "Your bank declined the payment, so nothing was charged. Try another card, or ask your bank why it was declined.";
}

export const BALANCE_REFUSALS: Record<BalanceRefusal, string> = {
  not_found: "We could not find that order in your account. Nothing was charged.",
  nothing_due: "There is nothing left to pay on this order, so nothing was charged.",
  in_progress: "A payment for this order is already on its way. Wait for it to finish before paying again; we will not charge you twice.",
  card_not_found: "That card is no longer saved in your account. Nothing was charged. Choose another way to pay.",
  unavailable: "We could not reach our payment provider, so nothing was charged. Please try again in a few minutes.",
  already_paid: "This balance was just paid on the secure payment page. We are confirming it with your bank; this page updates in a moment.",
};

export const CARD_CHANGE_REFUSALS = {
  not_found: "We could not find that card in your account. It may have been removed already; nothing was changed.",
  unavailable: "We could not reach our payment provider, so nothing was changed. Please try again in a few minutes.",
} as const;
