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
// This file is the HTTP server (routing, idempotency, outages, inspection); each resource lives in
// stripe-stand-in/: customers.ts, payment-intents.ts, refunds.ts, checkout-sessions.ts and the
// hosted-page.ts, over the objects they share (objects.ts), the events they emit (webhooks.ts) and
// Stripe's wire format (wire.ts).
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
import type { IncomingMessage, ServerResponse } from "node:http";
import { parseArgs } from "node:util";
import Stripe from "stripe";
import { readBody, runStandIn, sendJson, serveStandIn, sleep } from "./stand-in-http";
import { createCheckoutSessions } from "./stripe-stand-in/checkout-sessions";
import { createCustomers } from "./stripe-stand-in/customers";
import { createHostedPages } from "./stripe-stand-in/hosted-page";
import { createObjects } from "./stripe-stand-in/objects";
import { createPaymentIntents } from "./stripe-stand-in/payment-intents";
import { createRefunds } from "./stripe-stand-in/refunds";
import type { Context, OutageMode, Params, RecordedStripeRequest, Reply, StripeStandIn, StripeStandInOptions } from "./stripe-stand-in/types";
import { createWebhooks } from "./stripe-stand-in/webhooks";
import { canonicalJson, errorReply, isRecord, parseStripeForm, StripeApiError } from "./stripe-stand-in/wire";

export { parseStripeForm } from "./stripe-stand-in/wire";
export { TEST_CARDS, type OutageMode, type RecordedStripeRequest, type StandInEvent, type StripeObject, type StripeStandIn, type StripeStandInOptions, type TestCard, type WebhookDelivery } from "./stripe-stand-in/types";

type SavedReply = Reply & { fingerprint: string };

const OUTAGE_ANSWER_DELAY_MS = 50;

export async function startStripeStandIn(options: StripeStandInOptions = {}): Promise<StripeStandIn> {
  const host = options.host ?? "127.0.0.1";
  const idempotent = new Map<string, SavedReply>();
  const recorded: RecordedStripeRequest[] = [];
  let down: OutageMode = false;
  let responsesToDrop = 0;
  let publicUrl = "";

  const stripeObjects = createObjects(options);
  const { objects, newId, find, paymentMethodObject, publicObject, ok } = stripeObjects;
  const webhooks = createWebhooks(stripeObjects);
  const { events, deliveries } = webhooks;
  const { createCustomer, updateCustomer, detachPaymentMethod } = createCustomers(stripeObjects);
  const paymentIntents = createPaymentIntents(stripeObjects, webhooks);
  const { createPaymentIntent, cancelPaymentIntent } = paymentIntents;
  const { createRefund } = createRefunds(stripeObjects, webhooks);
  const checkoutSessions = createCheckoutSessions(stripeObjects, webhooks, paymentIntents, () => publicUrl);
  const { createCheckoutSession, expireCheckoutSession, completeCheckout } = checkoutSessions;
  const { handleHosted } = createHostedPages(stripeObjects, checkoutSessions);

  // ------------------------------------------------------------------ API routes

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

  const served = await serveStandIn("Stripe stand-in", handle, { host, port: options.port, crashed: (res) => sendJson(res, 500, { error: { type: "api_error", message: "The stand-in crashed; see its stderr." } }) });
  const { port } = served;
  publicUrl = served.url;

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
    webhooksSettled: webhooks.settled,
    clear: () => {
      recorded.length = 0;
      events.length = 0;
      deliveries.length = 0;
    },
    close: served.close,
  };
}


function headerOf(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === "string" ? value : null;
}

function parseJsonOrNull(body: Buffer): unknown {
  if (body.length === 0) return null;
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return null;
  }
}

runStandIn(
  import.meta.url,
  async () => {
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
    return startStripeStandIn({
      port,
      host: values.host,
      webhookUrl: values["webhook-url"],
      webhookSecret: values["webhook-secret"],
      webhookDelayMs,
      adoptPaymentIntentPrefix: values["adopt-prefix"],
    });
  },
  (url) => `Stripe stand-in (checks Waymark's side of the contract, not Stripe's behaviour) listening on ${url}`,
);
