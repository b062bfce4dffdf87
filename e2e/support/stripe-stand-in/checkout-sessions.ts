// Checkout Sessions: POST /v1/checkout/sessions (payment or setup mode), POST …/:id/expire, and
// completing one as the customer would on the hosted page.
import type { StandInObjects } from "./objects";
import type { StandInPaymentIntents } from "./payment-intents";
import type { StandInWebhooks } from "./webhooks";
import { TEST_CARDS, type Params, type StripeObject, type TestCard } from "./types";
import { allowOnly, invalid, isRecord, metadataOf, nestedMetadata, optionalString, requiredInteger, requiredString, StripeApiError } from "./wire";

export function createCheckoutSessions(
  { objects, now, newId, store, find, paymentMethodObject, paymentIntentObject, publicSession }: StandInObjects,
  { emit }: StandInWebhooks,
  { charge }: StandInPaymentIntents,
  /** Where the stand-in listens, known once it does: the hosted page's address. */
  publicUrl: () => string,
) {
  function createCheckoutSession(params: Params): StripeObject {
    allowOnly(params, [
      "mode", "customer", "success_url", "cancel_url", "line_items", "metadata", "client_reference_id", "payment_intent_data",
      "setup_intent_data", "allowed_payment_method_types", "currency", "expand", "locale", "expires_at",
    ]);
    const mode = requiredString(params, "mode");
    if (mode !== "payment" && mode !== "setup") throw invalid(`Invalid mode: must be one of payment, setup or subscription`, "mode", "parameter_invalid_string");
    const successUrl = requiredString(params, "success_url");
    const customer = optionalString(params, "customer");
    if (customer) find(customer, "customer", "customer");
    let amountTotal: number | null = null;
    let currency = optionalString(params, "currency");
    let description = "";
    if (mode === "payment") {
      const items = params.line_items;
      if (!Array.isArray(items) || items.length === 0) throw invalid("Missing required param: line_items.", "line_items", "parameter_missing");
      amountTotal = 0;
      items.forEach((item: unknown, index) => {
        const param = `line_items[${index}]`;
        if (!isRecord(item)) throw invalid("Invalid object", param, "parameter_invalid_string");
        allowOnly(item, ["price_data", "quantity"], param);
        const quantity = requiredInteger(item, "quantity", param);
        const price = item.price_data;
        if (!isRecord(price)) throw invalid(`Missing required param: ${param}[price_data].`, `${param}[price_data]`, "parameter_missing");
        allowOnly(price, ["currency", "unit_amount", "product_data"], `${param}[price_data]`);
        const unitAmount = requiredInteger(price, "unit_amount", `${param}[price_data]`);
        const itemCurrency = requiredString(price, "currency", `${param}[price_data]`);
        const product = price.product_data;
        if (!isRecord(product) || typeof product.name !== "string" || product.name === "") throw invalid(`Missing required param: ${param}[price_data][product_data][name].`, `${param}[price_data][product_data][name]`, "parameter_missing");
        if (currency && currency !== itemCurrency) throw invalid("All line items must use the same currency.", `${param}[price_data][currency]`, "parameter_invalid_string");
        currency = itemCurrency;
        amountTotal = (amountTotal ?? 0) + unitAmount * quantity;
        description ||= product.name;
      });
    } else {
      if (params.line_items !== undefined) throw invalid("You cannot pass `line_items` in `setup` mode.", "line_items", "parameter_unknown");
      if (!currency && params.allowed_payment_method_types === undefined) throw invalid("Missing required param: currency.", "currency", "parameter_missing");
    }
    const id = newId("cs_test");
    const expiresAt = params.expires_at !== undefined ? requiredInteger(params, "expires_at") : now() + 24 * 3600;
    return store({
      id,
      object: "checkout.session",
      mode,
      status: "open",
      payment_status: mode === "setup" ? "no_payment_required" : "unpaid",
      customer: customer ?? null,
      client_reference_id: optionalString(params, "client_reference_id"),
      metadata: metadataOf(params),
      success_url: successUrl,
      cancel_url: optionalString(params, "cancel_url"),
      url: `${publicUrl()}/_hosted/checkout/${id}`,
      amount_total: amountTotal,
      currency: currency ?? null,
      setup_intent: null,
      payment_intent: null,
      created: now(),
      expires_at: expiresAt,
      livemode: false,
      // Not Stripe fields: what the hosted page needs to finish the session.
      stand_in: { description, payment_intent_metadata: nestedMetadata(params, "payment_intent_data"), setup_intent_metadata: nestedMetadata(params, "setup_intent_data") },
    });
  }

  function expireCheckoutSession(session: StripeObject): StripeObject {
    if (session.status !== "open") throw new StripeApiError(400, "invalid_request_error", 'Only Checkout Sessions with a status in ["open"] can be expired.', { code: "checkout_session_not_open" });
    Object.assign(session, { status: "expired", url: null });
    emit("checkout.session.expired", publicSession(session));
    return session;
  }

  function completeCheckout(sessionId: string, card: TestCard = "visa"): string | null {
    const session = find(sessionId, "checkout.session", "session");
    if (session.status !== "open") throw new StripeApiError(400, "invalid_request_error", "This Checkout Session is no longer open.");
    const extra = session.stand_in as { payment_intent_metadata: Params; setup_intent_metadata: Params };
    const request = { id: null, idempotencyKey: null };
    if (session.mode === "setup") {
      const declined = TEST_CARDS[card].outcome === "declined";
      const pm = paymentMethodObject(card, declined ? null : (session.customer as string | null));
      const si: StripeObject = store({ id: newId("seti"), object: "setup_intent", status: declined ? "requires_payment_method" : "succeeded", customer: session.customer, payment_method: pm.id, usage: "off_session", metadata: extra.setup_intent_metadata, created: now(), livemode: false, last_setup_error: null });
      session.setup_intent = si.id;
      if (declined) {
        si.last_setup_error = { type: "card_error", code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." };
        emit("setup_intent.setup_failed", si, request);
        return null;
      }
      emit("setup_intent.succeeded", si, request);
    } else {
      let pi = typeof session.payment_intent === "string" ? objects.get(session.payment_intent) : undefined;
      pi ??= store(paymentIntentObject({ amount: session.amount_total as number, currency: session.currency as string, customer: session.customer as string | null, payment_method: null, metadata: extra.payment_intent_metadata, status: "requires_payment_method" }));
      session.payment_intent = pi.id;
      if (charge(pi, paymentMethodObject(card, null), request)) return null;
      session.payment_status = "paid";
    }
    Object.assign(session, { status: "complete", url: null });
    emit("checkout.session.completed", publicSession(session), request);
    return String(session.success_url).replaceAll("{CHECKOUT_SESSION_ID}", session.id);
  }

  return { createCheckoutSession, expireCheckoutSession, completeCheckout };
}

export type StandInCheckoutSessions = ReturnType<typeof createCheckoutSessions>;
