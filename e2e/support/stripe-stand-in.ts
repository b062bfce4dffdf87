// A stand-in Stripe API server for tests (plain node:http). NOT Stripe, and not stripe-mock.
//
// It checks OUR side of the contract: that Waymark, through the real `stripe` SDK, calls the
// endpoints it relies on with parameters Stripe accepts (form-encoded with bracket nesting, no
// unknown parameters, idempotency keys on money-moving calls), and that Waymark copes with Stripe's
// answers: its error objects and HTTP codes (400/402/404, 401 without a key, 503 or a dropped
// connection in an outage), idempotent replays, hosted Checkout pages that redirect back, and
// signed webhooks that arrive after the redirect. It does NOT reproduce Stripe's behaviour: its
// messages are approximations, there is no fraud screening, 3-D Secure, currency rules, balance,
// Connect or pagination, and passing against it says nothing about Stripe itself. The live
// test-mode check (tests/stripe-live/) is the place for that.
//
// Implemented: POST /v1/customers, GET|POST /v1/customers/:id, POST /v1/checkout/sessions,
// GET /v1/checkout/sessions/:id, POST /v1/checkout/sessions/:id/expire, GET /v1/setup_intents/:id,
// GET /v1/payment_methods/:id, POST /v1/payment_methods/:id/detach, POST /v1/payment_intents,
// GET /v1/payment_intents/:id, POST /v1/payment_intents/:id/cancel, POST /v1/refunds,
// GET /v1/refunds/:id; `expand[]` of one level on all of them.
//
// Hosted pages: GET /_hosted/checkout/:id shows the session with test cards (one is declined);
// POST completes it, redirects to success_url ({CHECKOUT_SESSION_ID} filled in) and then delivers
// the signed webhooks. The "Cancel" link goes to cancel_url.
//
// Test cards: visa (4242) and mastercard (4444) succeed; charge_declined (0341) saves but declines
// every later charge; declined (0002) is declined at once.
//
// Where it is stricter or simpler than Stripe, on purpose: success_url is required; refunds
// succeed at once; PaymentIntents whose id starts with --adopt-prefix (payments the demo seed
// pretends were taken before the stand-in started) exist on first use, succeeded for 100,000.00.
//
// Run standalone (Playwright webServer):
//   npx tsx e2e/support/stripe-stand-in.ts --port 12111 --webhook-url http://127.0.0.1:3100/api/stripe/webhook --webhook-secret whsec_…
// From Vitest:  const stripe = await startStripeStandIn({ port: 0 });
//
// Inspection and control, under `/_` and never affected by outage mode:
//   GET /_health · GET /_requests · DELETE /_requests · GET /_events · GET /_webhooks · GET /_objects/:id
//   POST /_control/down {"down": true|false, "how": "503"|"reset"} · POST /_control/drop-responses {"count": n}
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import Stripe from "stripe";
import { isRunDirectly, readBody, sendJson, sleep } from "./stand-in-http";

export interface StripeStandInOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Where signed webhooks are POSTed; without it events are only recorded (see events()). */
  webhookUrl?: string;
  webhookSecret?: string;
  /** Pause before each webhook delivery, so a page can be seen waiting for it. */
  webhookDelayMs?: number;
  /** PaymentIntent ids with this prefix exist on first use (see the header). */
  adoptPaymentIntentPrefix?: string;
}

export type StripeObject = { id: string; object: string } & Record<string, unknown>;

export type StandInEvent = {
  id: string;
  object: "event";
  api_version: string;
  created: number;
  data: { object: StripeObject };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
};

export interface RecordedStripeRequest {
  method: string;
  path: string;
  idempotencyKey: string | null;
  stripeVersion: string | null;
  params: Record<string, unknown>;
  /** The HTTP status answered; 0 when the connection was dropped (outage "reset"). */
  status: number;
  /** Answered from the idempotency store: the same key and parameters as an earlier request. */
  replayed: boolean;
  receivedAt: string;
}

export interface WebhookDelivery {
  eventId: string;
  type: string;
  attempts: number;
  /** The last HTTP status, or null when the portal could not be reached. */
  status: number | null;
  deliveredAt: string | null;
}

export type OutageMode = false | "503" | "reset";

export const TEST_CARDS = {
  visa: { brand: "visa", last4: "4242", label: "Visa ending 4242", outcome: "succeeds" },
  mastercard: { brand: "mastercard", last4: "4444", label: "Mastercard ending 4444", outcome: "succeeds" },
  charge_declined: { brand: "visa", last4: "0341", label: "Visa ending 0341 (saves, later charges declined)", outcome: "charges_declined" },
  declined: { brand: "visa", last4: "0002", label: "Visa ending 0002 (declined)", outcome: "declined" },
} as const;
export type TestCard = keyof typeof TEST_CARDS;

export interface StripeStandIn {
  url: string;
  port: number;
  requests(): RecordedStripeRequest[];
  events(): StandInEvent[];
  webhookDeliveries(): WebhookDelivery[];
  object(id: string): StripeObject | undefined;
  setDown(mode: OutageMode): void;
  /** Executes the next `count` API requests, then drops the connection instead of answering. */
  dropResponses(count: number): void;
  /** A card the customer saved earlier, attached without going through a hosted page. */
  attachTestCard(customerId: string, card?: TestCard): StripeObject;
  /** Acts as the customer on the hosted page; returns where Stripe would redirect (null when declined). */
  completeCheckout(sessionId: string, card?: TestCard): string | null;
  /** Resolves when every queued webhook has been delivered (or given up). */
  webhooksSettled(): Promise<void>;
  clear(): void;
  close(): Promise<void>;
}

/** Stripe's error object, answered as `{ error: { … } }`. */
class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: "invalid_request_error" | "card_error" | "api_error" | "idempotency_error",
    message: string,
    readonly details: { code?: string; param?: string; decline_code?: string; payment_intent?: StripeObject; setup_intent?: StripeObject } = {},
    /** Validation failures happen before "execution begins", so Stripe does not save them for replay. */
    readonly saveForReplay = true,
  ) {
    super(message);
  }
  body() {
    return { error: { type: this.type, message: this.message, ...this.details, doc_url: this.details.code ? `https://stripe.com/docs/error-codes/${this.details.code.replaceAll("_", "-")}` : undefined } };
  }
}

type Params = Record<string, unknown>;
type Reply = { status: number; body: unknown };
type SavedReply = Reply & { fingerprint: string };

const ADOPTED_AMOUNT = 10_000_000;
const MAX_WEBHOOK_ATTEMPTS = 5;
const OUTAGE_ANSWER_DELAY_MS = 50;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

export async function startStripeStandIn(options: StripeStandInOptions = {}): Promise<StripeStandIn> {
  const host = options.host ?? "127.0.0.1";
  const webhookDelayMs = options.webhookDelayMs ?? 0;
  const signer = new Stripe("sk_test_stand_in_signer");
  const objects = new Map<string, StripeObject>();
  const idempotent = new Map<string, SavedReply>();
  const recorded: RecordedStripeRequest[] = [];
  const events: StandInEvent[] = [];
  const deliveries: WebhookDelivery[] = [];
  let deliveryChain: Promise<void> = Promise.resolve();
  let down: OutageMode = false;
  let responsesToDrop = 0;
  let publicUrl = "";

  const now = () => Math.floor(Date.now() / 1000);
  const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString("base64url").replace(/[-_]/g, "x")}`;
  const store = <T extends StripeObject>(object: T): T => {
    objects.set(object.id, object);
    return object;
  };

  // ------------------------------------------------------------------ events and webhooks

  function emit(type: string, object: StripeObject, request: { id: string | null; idempotencyKey: string | null } = { id: null, idempotencyKey: null }) {
    const event: StandInEvent = {
      id: newId("evt"),
      object: "event",
      api_version: Stripe.API_VERSION,
      created: now(),
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: options.webhookUrl ? 1 : 0,
      request: { id: request.id, idempotency_key: request.idempotencyKey },
      type,
    };
    events.push(event);
    if (options.webhookUrl && options.webhookSecret) {
      const url = options.webhookUrl;
      const secret = options.webhookSecret;
      deliveryChain = deliveryChain.then(() => deliver(event, url, secret));
    }
  }

  async function deliver(event: StandInEvent, url: string, secret: string) {
    const delivery: WebhookDelivery = { eventId: event.id, type: event.type, attempts: 0, status: null, deliveredAt: null };
    deliveries.push(delivery);
    if (webhookDelayMs > 0) await sleep(webhookDelayMs);
    const payload = JSON.stringify(event, null, 2);
    while (delivery.attempts < MAX_WEBHOOK_ATTEMPTS) {
      delivery.attempts += 1;
      try {
        // Signed at each attempt, as Stripe does: a retry carries a fresh timestamp.
        const signature = signer.webhooks.generateTestHeaderString({ payload, secret });
        const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json; charset=utf-8", "stripe-signature": signature }, body: payload });
        delivery.status = response.status;
        await response.arrayBuffer();
        if (response.ok) {
          delivery.deliveredAt = new Date().toISOString();
          return;
        }
      } catch {
        delivery.status = null;
      }
      await sleep(250 * 2 ** (delivery.attempts - 1));
    }
  }

  // ------------------------------------------------------------------ objects

  function find(id: string, object: string, param = "id"): StripeObject {
    const found = objects.get(id);
    if (found && found.object === object) return found;
    if (object === "payment_intent" && options.adoptPaymentIntentPrefix && id.startsWith(options.adoptPaymentIntentPrefix)) return adoptPaymentIntent(id);
    throw new StripeApiError(404, "invalid_request_error", `No such ${object}: '${id}'`, { code: "resource_missing", param });
  }

  function adoptPaymentIntent(id: string): StripeObject {
    const charge = store({ id: newId("ch"), object: "charge", amount: ADOPTED_AMOUNT, amount_refunded: 0, refunded: false, currency: "gbp", payment_intent: id, status: "succeeded", created: now() });
    return store(paymentIntentObject({ id, amount: ADOPTED_AMOUNT, currency: "gbp", customer: null, payment_method: null, metadata: {}, status: "succeeded", latestCharge: charge.id }));
  }

  function paymentMethodObject(card: TestCard, customer: string | null): StripeObject {
    const { brand, last4 } = TEST_CARDS[card];
    return store({
      id: newId("pm"),
      object: "payment_method",
      type: "card",
      card: { brand, display_brand: brand, last4, exp_month: 12, exp_year: new Date().getUTCFullYear() + 3, funding: "credit", country: "GB", fingerprint: `fp_${last4}` },
      billing_details: { address: null, email: null, name: null, phone: null },
      customer,
      created: now(),
      livemode: false,
      metadata: {},
      test_card: card,
    });
  }

  function paymentIntentObject(input: { id?: string; amount: number; currency: string; customer: string | null; payment_method: string | null; metadata: Params; status: string; latestCharge?: string | null }): StripeObject {
    return {
      id: input.id ?? newId("pi"),
      object: "payment_intent",
      amount: input.amount,
      amount_received: input.status === "succeeded" ? input.amount : 0,
      currency: input.currency,
      customer: input.customer,
      payment_method: input.payment_method,
      metadata: input.metadata,
      status: input.status,
      latest_charge: input.latestCharge ?? null,
      last_payment_error: null,
      capture_method: "automatic_async",
      confirmation_method: "automatic",
      cancellation_reason: null,
      canceled_at: null,
      created: now(),
      livemode: false,
    };
  }

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

  // ------------------------------------------------------------------ API routes

  type Context = { params: Params; request: { id: string; idempotencyKey: string | null } };

  function route(method: string, path: string, context: Context): Reply {
    const { params } = context;
    const segments = path.split("/").slice(2); // "", "v1", …
    const [resource, id, action] = segments;
    const key = `${method} ${resource}${id ? "/:id" : ""}${action ? `/${action}` : ""}`;
    switch (key) {
      case "POST customers":
        return ok(createCustomer(params));
      case "GET customers/:id":
        return ok(find(id, "customer"));
      case "POST customers/:id":
        return ok(updateCustomer(find(id, "customer"), params));
      case "GET setup_intents/:id":
        return ok(find(id, "setup_intent", "intent"));
      case "GET payment_methods/:id":
        return ok(find(id, "payment_method", "payment_method"));
      case "POST payment_methods/:id/detach":
        return ok(detachPaymentMethod(find(id, "payment_method", "payment_method")));
      case "POST payment_intents":
        return createPaymentIntent(params, context.request);
      case "GET payment_intents/:id":
        return ok(find(id, "payment_intent", "intent"));
      case "POST payment_intents/:id/cancel":
        return ok(cancelPaymentIntent(id, params, context.request));
      case "POST refunds":
        return ok(createRefund(params, context.request));
      case "GET refunds/:id":
        return ok(find(id, "refund", "refund"));
    }
    if (resource === "checkout" && id === "sessions") {
      const [, , sessionId, sessionAction] = segments;
      if (method === "POST" && !sessionId) return ok(createCheckoutSession(params));
      if (method === "GET" && sessionId && !sessionAction) return ok(find(sessionId, "checkout.session", "session"));
      if (method === "POST" && sessionId && sessionAction === "expire") return ok(expireCheckoutSession(find(sessionId, "checkout.session", "session")));
    }
    throw new StripeApiError(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`, {}, false);
  }

  function createCustomer(params: Params): StripeObject {
    allowOnly(params, ["email", "name", "metadata", "description", "expand"]);
    return store({
      id: newId("cus"),
      object: "customer",
      email: optionalString(params, "email"),
      name: optionalString(params, "name"),
      description: optionalString(params, "description"),
      metadata: metadataOf(params),
      invoice_settings: { default_payment_method: null, custom_fields: null, footer: null, rendering_options: null },
      created: now(),
      livemode: false,
    });
  }

  function updateCustomer(customer: StripeObject, params: Params): StripeObject {
    allowOnly(params, ["email", "name", "metadata", "description", "invoice_settings", "expand"]);
    const settings = params.invoice_settings;
    if (settings !== undefined) {
      if (!isRecord(settings)) throw invalid("Invalid object", "invoice_settings", "parameter_invalid_string");
      allowOnly(settings, ["default_payment_method"], "invoice_settings");
      const pmId = settings.default_payment_method;
      if (typeof pmId === "string" && pmId !== "") {
        const pm = objects.get(pmId);
        if (!pm || pm.object !== "payment_method" || pm.customer !== customer.id) {
          throw new StripeApiError(400, "invalid_request_error", `The customer does not have a payment method with the ID ${pmId}. The payment method must be attached to the customer.`, { code: "resource_missing", param: "invoice_settings[default_payment_method]" });
        }
      }
      (customer.invoice_settings as Params).default_payment_method = pmId === "" ? null : (pmId ?? null);
    }
    for (const field of ["email", "name", "description"] as const) if (params[field] !== undefined) customer[field] = optionalString(params, field);
    if (params.metadata !== undefined) customer.metadata = { ...(customer.metadata as Params), ...metadataOf(params) };
    return customer;
  }

  function detachPaymentMethod(pm: StripeObject): StripeObject {
    if (!pm.customer) throw new StripeApiError(400, "invalid_request_error", "The payment method you provided is not attached to a customer so detachment is impossible.", { code: "payment_method_unexpected_state" });
    const customer = objects.get(pm.customer as string);
    const settings = customer?.invoice_settings as Params | undefined;
    if (settings?.default_payment_method === pm.id) settings.default_payment_method = null;
    pm.customer = null;
    return pm;
  }

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
      url: `${publicUrl}/_hosted/checkout/${id}`,
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

  function createRefund(params: Params, request: Context["request"]): StripeObject {
    allowOnly(params, ["payment_intent", "charge", "amount", "reason", "metadata", "expand"]);
    const piId = optionalString(params, "payment_intent");
    if (!piId) throw invalid("Missing required param: payment_intent.", "payment_intent", "parameter_missing");
    const pi = find(piId, "payment_intent", "payment_intent");
    const chargeObject = pi.status === "succeeded" && typeof pi.latest_charge === "string" ? objects.get(pi.latest_charge) : undefined;
    if (!chargeObject) throw new StripeApiError(400, "invalid_request_error", `This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, { code: "charge_not_refundable", param: "payment_intent" });
    const remaining = (chargeObject.amount as number) - (chargeObject.amount_refunded as number);
    if (remaining <= 0) throw new StripeApiError(400, "invalid_request_error", `Charge ${chargeObject.id} has already been refunded.`, { code: "charge_already_refunded" });
    const amount = params.amount === undefined ? remaining : requiredInteger(params, "amount");
    if (amount < 1) throw invalid("Invalid positive integer", "amount", "parameter_invalid_integer");
    if (amount > remaining) {
      const money = (minor: number) => new Intl.NumberFormat("en-GB", { style: "currency", currency: String(pi.currency).toUpperCase() }).format(minor / 100);
      throw new StripeApiError(400, "invalid_request_error", `Refund amount (${money(amount)}) is greater than unrefunded amount on charge (${money(remaining)})`, { code: "amount_too_large", param: "amount" });
    }
    const reason = optionalString(params, "reason");
    if (reason && !["duplicate", "fraudulent", "requested_by_customer"].includes(reason)) throw invalid("Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer", "reason", "parameter_invalid_string");
    chargeObject.amount_refunded = (chargeObject.amount_refunded as number) + amount;
    chargeObject.refunded = chargeObject.amount_refunded === chargeObject.amount;
    const refund = store({
      id: newId("re"),
      object: "refund",
      amount,
      charge: chargeObject.id,
      currency: pi.currency,
      payment_intent: pi.id,
      reason: reason ?? null,
      metadata: metadataOf(params),
      status: "succeeded",
      failure_reason: null,
      created: now(),
    });
    emit("refund.created", refund, request);
    emit("charge.refunded", chargeObject, request);
    return refund;
  }

  // ------------------------------------------------------------------ hosted Checkout

  function publicSession(session: StripeObject): StripeObject {
    const { stand_in: _standIn, ...rest } = session;
    return rest as StripeObject;
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

  function hostedPage(session: StripeObject, error: string | null): string {
    const payment = session.mode === "payment";
    const description = (session.stand_in as { description: string }).description;
    const amount = payment ? new Intl.NumberFormat("en-GB", { style: "currency", currency: String(session.currency).toUpperCase() }).format((session.amount_total as number) / 100) : "";
    const cards = (Object.keys(TEST_CARDS) as TestCard[]).filter((card) => payment ? card !== "charge_declined" : true);
    const title = payment ? `Pay ${amount}` : "Save a card";
    const closed = session.status !== "open";
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Stripe stand-in</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f6f8fa;color:#1a1f36}main{max-width:440px;margin:0 auto;padding:16px}
.banner{background:#fff4d6;border:1px solid #f0c36d;padding:8px 12px;border-radius:6px;font-size:.9rem}
fieldset{border:1px solid #d0d7de;border-radius:8px;padding:12px;margin:16px 0}label{display:flex;gap:8px;padding:8px 0;align-items:center}
button{font:inherit;width:100%;padding:12px;border-radius:6px;border:0;background:#635bff;color:#fff;font-weight:600;cursor:pointer}
button:focus-visible,a:focus-visible,input:focus-visible{outline:3px solid #0969da;outline-offset:2px}.error{color:#b42318;background:#fef3f2;border:1px solid #fecdca;padding:8px 12px;border-radius:6px}
</style></head>
<body><main>
<p class="banner">Test stand-in for Stripe Checkout. This is not Stripe and moves no money.</p>
<h1>${escapeHtml(title)}</h1>
${description ? `<p>${escapeHtml(description)}</p>` : "<p>Your card is saved with our payment provider for later payments.</p>"}
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
${closed ? "<p>This page has expired or was already completed.</p>" : `<form method="post" action="/_hosted/checkout/${escapeHtml(session.id)}">
<fieldset><legend>Test card</legend>
${cards.map((card, index) => `<label><input type="radio" name="card" value="${card}"${index === 0 ? " checked" : ""}> ${escapeHtml(TEST_CARDS[card].label)}</label>`).join("\n")}
</fieldset>
<button type="submit">${payment ? `Pay ${escapeHtml(amount)}` : "Save card"}</button>
</form>`}
${session.cancel_url ? `<p><a href="${escapeHtml(String(session.cancel_url))}">Cancel and return</a></p>` : ""}
</main></body></html>`;
  }

  async function handleHosted(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer) {
    const match = /^\/_hosted\/checkout\/([\w-]+)$/.exec(path);
    const session = match ? objects.get(match[1]) : undefined;
    if (!session || session.object !== "checkout.session") {
      res.writeHead(404, { "content-type": "text/html; charset=utf-8" }).end("<!doctype html><title>Not found</title><p>No such Checkout Session.</p>");
      return;
    }
    if (req.method === "POST" && session.status === "open") {
      const card = new URLSearchParams(body.toString("utf8")).get("card");
      const chosen: TestCard = card && card in TEST_CARDS ? (card as TestCard) : "visa";
      const redirect = completeCheckout(session.id, chosen);
      if (redirect) {
        res.writeHead(303, { location: redirect }).end();
        return;
      }
      res.writeHead(402, { "content-type": "text/html; charset=utf-8" }).end(hostedPage(session, "Your card was declined. Try another card."));
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(hostedPage(session, null));
  }

  // ------------------------------------------------------------------ HTTP plumbing

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const method = req.method ?? "GET";
    const path = url.pathname;
    const body = await readBody(req);

    if (path.startsWith("/_hosted/")) return handleHosted(req, res, path, body);
    if (path.startsWith("/_")) return handleControl(method, path, body, res);

    const idempotencyKey = headerOf(req, "idempotency-key");
    const stripeVersion = headerOf(req, "stripe-version");
    const params = method === "GET" || method === "DELETE" ? parseStripeForm(url.search.slice(1)) : parseStripeForm(body.toString("utf8"));
    const record = (status: number, replayed = false) =>
      recorded.push({ method, path, idempotencyKey, stripeVersion, params, status, replayed, receivedAt: new Date().toISOString() });

    if (down) {
      await sleep(OUTAGE_ANSWER_DELAY_MS);
      record(down === "503" ? 503 : 0);
      if (down === "reset") {
        req.socket.destroy();
        return;
      }
      sendJson(res, 503, new StripeApiError(503, "api_error", "The Stripe stand-in is simulating an outage. Please try again later.").body(), { "stripe-should-retry": "true" });
      return;
    }

    const requestId = newId("req");
    const headers: Record<string, string> = { "request-id": requestId, "stripe-version": stripeVersion ?? Stripe.API_VERSION };
    const apiKey = /^Bearer (sk_test_\w+)$/.exec(headerOf(req, "authorization") ?? "")?.[1];
    if (!apiKey) {
      record(401);
      sendJson(res, 401, { error: { type: "invalid_request_error", message: "Invalid API Key provided. The stand-in accepts any sk_test_ key." } }, headers);
      return;
    }

    let reply: Reply;
    let replayed = false;
    let saveForReplay = true;
    const savedKey = idempotencyKey ? `${apiKey}:${idempotencyKey}` : null;
    const saved = savedKey && method === "POST" ? idempotent.get(savedKey) : undefined;
    const fingerprint = `${method} ${path} ${canonicalJson(params)}`;
    if (saved) {
      if (saved.fingerprint !== fingerprint) {
        reply = errorReply(new StripeApiError(400, "idempotency_error", `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`));
        saveForReplay = false;
      } else {
        reply = saved;
        replayed = true;
        headers["idempotent-replayed"] = "true";
      }
    } else {
      try {
        reply = route(method, path, { params, request: { id: requestId, idempotencyKey } });
        reply = { status: reply.status, body: expand(reply.body, params) };
      } catch (error) {
        if (!(error instanceof StripeApiError)) throw error;
        reply = errorReply(error);
        saveForReplay = error.saveForReplay;
      }
      if (savedKey && method === "POST" && saveForReplay) idempotent.set(savedKey, { ...reply, body: structuredClone(reply.body), fingerprint });
    }
    if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
    record(reply.status, replayed);
    if (responsesToDrop > 0) {
      responsesToDrop -= 1;
      req.socket.destroy();
      return;
    }
    sendJson(res, reply.status, reply.body, headers);
  }

  function expand(body: unknown, params: Params): unknown {
    const paths = params.expand;
    if (!Array.isArray(paths) || !isRecord(body)) return body;
    const copy: Params = structuredClone(body);
    for (const field of paths) {
      if (typeof field !== "string") continue;
      const value = copy[field];
      if (typeof value === "string" && objects.has(value)) copy[field] = structuredClone(publicObject(objects.get(value)!));
    }
    return copy;
  }

  function publicObject(object: StripeObject): StripeObject {
    if (object.object === "checkout.session") return publicSession(object);
    const { test_card: _card, ...rest } = object;
    return rest as StripeObject;
  }

  function ok(object: StripeObject): Reply {
    return { status: 200, body: publicObject(object) };
  }

  function handleControl(method: string, path: string, body: Buffer, res: ServerResponse): void {
    const route = `${method} ${path}`;
    if (route === "GET /_health") return sendJson(res, 200, { ok: true });
    if (route === "GET /_requests") return sendJson(res, 200, recorded);
    if (route === "DELETE /_requests") {
      recorded.length = 0;
      return sendJson(res, 200, { cleared: true });
    }
    if (route === "GET /_events") return sendJson(res, 200, events);
    if (route === "GET /_webhooks") return sendJson(res, 200, deliveries);
    const objectMatch = /^GET \/_objects\/([\w-]+)$/.exec(route);
    if (objectMatch) {
      const object = objects.get(objectMatch[1]);
      return object ? sendJson(res, 200, publicObject(object)) : sendJson(res, 404, { error: `no object ${objectMatch[1]}` });
    }
    const parsed = parseJsonOrNull(body);
    if (route === "POST /_control/down") {
      if (!isRecord(parsed) || typeof parsed.down !== "boolean" || (parsed.how !== undefined && parsed.how !== "503" && parsed.how !== "reset")) {
        return sendJson(res, 400, { error: 'expected {"down": true|false, "how": "503"|"reset"}' });
      }
      down = parsed.down ? ((parsed.how as "503" | "reset" | undefined) ?? "503") : false;
      return sendJson(res, 200, { down });
    }
    if (route === "POST /_control/drop-responses") {
      if (!isRecord(parsed) || !Number.isInteger(parsed.count) || (parsed.count as number) < 0) return sendJson(res, 400, { error: 'expected {"count": n}' });
      responsesToDrop = parsed.count as number;
      return sendJson(res, 200, { count: responsesToDrop });
    }
    sendJson(res, 404, { error: `no control endpoint ${route}` });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error("Stripe stand-in failed to answer", error);
      if (!res.headersSent) sendJson(res, 500, { error: { type: "api_error", message: "The stand-in crashed; see its stderr." } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once("error", rejectListen);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", rejectListen);
      resolveListen();
    });
  });
  const { port } = server.address() as AddressInfo;
  publicUrl = `http://${host}:${port}`;

  return {
    url: publicUrl,
    port,
    requests: () => recorded.slice(),
    events: () => events.slice(),
    webhookDeliveries: () => deliveries.map((d) => ({ ...d })),
    object: (id) => {
      const object = objects.get(id);
      return object ? structuredClone(publicObject(object)) : undefined;
    },
    setDown: (mode) => {
      down = mode;
    },
    dropResponses: (count) => {
      responsesToDrop = count;
    },
    attachTestCard: (customerId, card = "visa") => structuredClone(publicObject(paymentMethodObject(card, find(customerId, "customer").id))),
    completeCheckout,
    webhooksSettled: () => deliveryChain,
    clear: () => {
      recorded.length = 0;
      events.length = 0;
      deliveries.length = 0;
    },
    close: () =>
      new Promise<void>((resolveClose, rejectClose) => {
        server.close((error) => (error ? rejectClose(error) : resolveClose()));
        server.closeAllConnections();
      }),
  };
}

/**
 * Decodes a Stripe form body: `a[b][c]=1`, `list[0][x]=y` and `list[]=z` become nested objects and
 * arrays, the way Stripe reads what the SDK sends.
 */
export function parseStripeForm(encoded: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [rawKey, value] of new URLSearchParams(encoded)) {
    const head = /^[^[]+/.exec(rawKey)?.[0];
    if (!head) continue;
    const path = [head, ...[...rawKey.slice(head.length).matchAll(/\[([^\]]*)\]/g)].map((m) => m[1])];
    if (path.some((segment) => FORBIDDEN_KEYS.has(segment))) continue;
    let node: Record<string, unknown> = root;
    path.forEach((segment, index) => {
      const key = segment === "" ? String(Object.keys(node).length) : segment;
      if (index === path.length - 1) {
        node[key] = value;
        return;
      }
      if (!isRecord(node[key])) node[key] = {};
      node = node[key] as Record<string, unknown>;
    });
  }
  return arrayify(root) as Record<string, unknown>;
}

function arrayify(value: unknown): unknown {
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  const entries = keys.map((k) => [k, arrayify(value[k])] as const);
  const isList = keys.length > 0 && keys.every((k, i) => k === String(i));
  return isList ? entries.map(([, v]) => v) : Object.fromEntries(entries);
}

function errorReply(error: StripeApiError): Reply {
  return { status: error.status, body: error.body() };
}

function invalid(message: string, param: string, code: string): StripeApiError {
  return new StripeApiError(400, "invalid_request_error", message, { code, param }, false);
}

function allowOnly(params: Params, allowed: string[], prefix?: string) {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) {
      const param = prefix ? `${prefix}[${key}]` : key;
      throw invalid(`Received unknown parameter: ${param}`, param, "parameter_unknown");
    }
  }
}

function requiredString(params: Params, name: string, prefix?: string): string {
  const value = params[name];
  const param = prefix ? `${prefix}[${name}]` : name;
  if (typeof value !== "string" || value === "") throw invalid(`Missing required param: ${param}.`, param, "parameter_missing");
  return value;
}

function optionalString(params: Params, name: string): string | null {
  const value = params[name];
  if (value === undefined || value === "") return null;
  if (typeof value !== "string") throw invalid(`Invalid string: ${JSON.stringify(value)}`, name, "parameter_invalid_string");
  return value;
}

function requiredInteger(params: Params, name: string, prefix?: string): number {
  const value = params[name];
  const param = prefix ? `${prefix}[${name}]` : name;
  if (value === undefined || value === "") throw invalid(`Missing required param: ${param}.`, param, "parameter_missing");
  if (typeof value !== "string" || !/^-?\d+$/.test(value)) throw invalid(`Invalid integer: ${String(value)}`, param, "parameter_invalid_integer");
  return Number(value);
}

function optionalBoolean(params: Params, name: string): boolean {
  const value = params[name];
  if (value === undefined) return false;
  if (value !== "true" && value !== "false") throw invalid(`Invalid boolean: ${String(value)}`, name, "parameter_invalid_boolean");
  return value === "true";
}

function metadataOf(params: Params): Params {
  const metadata = params.metadata;
  if (metadata === undefined) return {};
  if (!isRecord(metadata)) throw invalid("Invalid object", "metadata", "parameter_invalid_string");
  const entries = Object.entries(metadata);
  if (entries.length > 50) throw invalid("You can only set up to 50 keys on metadata.", "metadata", "parameter_invalid_string");
  for (const [key, value] of entries) {
    if (key.length > 40) throw invalid(`Metadata keys can be at most 40 characters long: ${key}`, `metadata[${key}]`, "parameter_invalid_string");
    if (typeof value !== "string" || value.length > 500) throw invalid("Metadata values must be strings of at most 500 characters.", `metadata[${key}]`, "parameter_invalid_string");
  }
  return Object.fromEntries(entries.filter(([, value]) => value !== ""));
}

function nestedMetadata(params: Params, field: string): Params {
  const nested = params[field];
  if (nested === undefined) return {};
  if (!isRecord(nested)) throw invalid("Invalid object", field, "parameter_invalid_string");
  allowOnly(nested, ["metadata", "description", "setup_future_usage"], field);
  return metadataOf(nested);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isRecord(value)) return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
  return JSON.stringify(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function headerOf(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === "string" ? value : null;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function parseJsonOrNull(body: Buffer): unknown {
  if (body.length === 0) return null;
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return null;
  }
}

async function runFromCommandLine(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "12111" },
      host: { type: "string", default: "127.0.0.1" },
      "webhook-url": { type: "string" },
      "webhook-secret": { type: "string" },
      "webhook-delay-ms": { type: "string", default: "0" },
      "adopt-prefix": { type: "string" },
    },
  });
  const port = Number(values.port);
  const webhookDelayMs = Number(values["webhook-delay-ms"]);
  if (!Number.isInteger(port) || port < 0 || !Number.isFinite(webhookDelayMs) || webhookDelayMs < 0 || Boolean(values["webhook-url"]) !== Boolean(values["webhook-secret"])) {
    throw new Error("usage: stripe-stand-in.ts [--port 12111] [--host 127.0.0.1] [--webhook-url URL --webhook-secret whsec_…] [--webhook-delay-ms 0] [--adopt-prefix pi_seed_]");
  }
  const standIn = await startStripeStandIn({
    port,
    host: values.host,
    webhookUrl: values["webhook-url"],
    webhookSecret: values["webhook-secret"],
    webhookDelayMs,
    adoptPaymentIntentPrefix: values["adopt-prefix"],
  });
  console.log(`Stripe stand-in (checks Waymark's side of the contract, not Stripe's behaviour) listening on ${standIn.url}`);
  const stop = (): void => {
    standIn.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (isRunDirectly(import.meta.url)) {
  runFromCommandLine().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
