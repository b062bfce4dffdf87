// PaymentIntents and charges: POST /v1/payment_intents (confirmed off-session with a saved card),
// POST /v1/payment_intents/:id/cancel, and the charge a test card succeeds or fails with.
import type { StandInObjects } from "./objects";
import type { StandInWebhooks } from "./webhooks";
import { TEST_CARDS, type Context, type Params, type Reply, type StripeObject, type TestCard } from "./types";
import { allowOnly, invalid, metadataOf, optionalBoolean, optionalString, requiredInteger, requiredString, StripeApiError } from "./wire";

export function createPaymentIntents({ options, objects, now, newId, store, find, adoptPaymentIntent, paymentIntentObject, ok }: StandInObjects, { emit }: StandInWebhooks) {
  /** Charges a card: a succeeded PaymentIntent with its charge, or a declined one and the error to answer. */
  function charge(pi: StripeObject, paymentMethod: StripeObject, request: { id: string | null; idempotencyKey: string | null }): StripeApiError | null {
    pi.payment_method = paymentMethod.id;
    const outcome = TEST_CARDS[paymentMethod.test_card as TestCard].outcome;
    if (outcome !== "succeeds") {
      pi.status = "requires_payment_method";
      pi.last_payment_error = { type: "card_error", code: "card_declined", decline_code: "generic_decline", message: "Your card was declined.", payment_method: structuredClone(paymentMethod) };
      emit("payment_intent.payment_failed", pi, request);
      return new StripeApiError(402, "card_error", "Your card was declined.", { code: "card_declined", decline_code: "generic_decline", payment_intent: structuredClone(pi) });
    }
    const chargeObject = store({ id: newId("ch"), object: "charge", amount: pi.amount, amount_refunded: 0, refunded: false, currency: pi.currency, payment_intent: pi.id, status: "succeeded", created: now() });
    Object.assign(pi, { status: "succeeded", amount_received: pi.amount, latest_charge: chargeObject.id, last_payment_error: null });
    emit("payment_intent.succeeded", pi, request);
    return null;
  }

  function createPaymentIntent(params: Params, request: Context["request"]): Reply {
    allowOnly(params, ["amount", "currency", "customer", "payment_method", "confirm", "off_session", "automatic_payment_methods", "metadata", "description", "capture_method", "expand", "return_url"]);
    const amount = requiredInteger(params, "amount");
    if (amount < 1) throw invalid("This value must be greater than or equal to 1.", "amount", "amount_too_small");
    const currency = requiredString(params, "currency");
    if (!/^[a-z]{3}$/.test(currency)) throw invalid(`Invalid currency: ${currency}. Stripe currently supports these currencies: gbp, eur, usd, …`, "currency", "parameter_invalid_string");
    const customerId = optionalString(params, "customer");
    if (customerId) find(customerId, "customer", "customer");
    const confirm = optionalBoolean(params, "confirm");
    const offSession = optionalBoolean(params, "off_session");
    if (offSession && !confirm) throw invalid("`off_session` can only be used when `confirm` is true.", "off_session", "parameter_invalid_string");
    const pmId = optionalString(params, "payment_method");
    const pm = pmId ? find(pmId, "payment_method", "payment_method") : null;
    if (pm && customerId && pm.customer !== customerId) {
      throw new StripeApiError(400, "invalid_request_error", `The provided PaymentMethod ${pm.id} does not belong to the Customer ${customerId}.`, { code: "payment_method_unexpected_state", param: "payment_method" });
    }
    if (confirm && !pm) throw invalid("You cannot confirm this PaymentIntent because it's missing a payment method.", "payment_method", "payment_intent_unexpected_state");
    const pi = store(paymentIntentObject({ amount, currency, customer: customerId ?? null, payment_method: pm?.id ?? null, metadata: metadataOf(params), status: "requires_payment_method" }));
    emit("payment_intent.created", pi, request);
    if (!confirm || !pm) return ok(pi);
    const declined = charge(pi, pm, request);
    if (declined) throw declined;
    return ok(pi);
  }

  function cancelPaymentIntent(id: string, params: Params, request: Context["request"]): StripeObject {
    allowOnly(params, ["cancellation_reason", "expand"]);
    const pi = objects.get(id) ?? (options.adoptPaymentIntentPrefix && id.startsWith(options.adoptPaymentIntentPrefix) ? Object.assign(adoptPaymentIntent(id), { status: "requires_capture", amount_received: 0 }) : find(id, "payment_intent", "intent"));
    const cancellable = ["requires_payment_method", "requires_capture", "requires_confirmation", "requires_action", "processing"];
    if (!cancellable.includes(pi.status as string)) {
      throw new StripeApiError(400, "invalid_request_error", `You cannot cancel this PaymentIntent because it has a status of ${String(pi.status)}. Only a PaymentIntent with one of the following statuses may be canceled: ${cancellable.join(", ")}.`, { code: "payment_intent_unexpected_state", payment_intent: structuredClone(pi) });
    }
    Object.assign(pi, { status: "canceled", cancellation_reason: optionalString(params, "cancellation_reason") ?? null, canceled_at: now() });
    emit("payment_intent.canceled", pi, request);
    return pi;
  }

  return { charge, createPaymentIntent, cancelPaymentIntent };
}

export type StandInPaymentIntents = ReturnType<typeof createPaymentIntents>;
