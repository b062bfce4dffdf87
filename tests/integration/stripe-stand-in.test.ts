// The Stripe stand-in speaks Stripe's wire format to the real SDK: these checks keep it honest
// about the parts Waymark relies on (they say nothing about Stripe's own behaviour).
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseStripeForm, startStripeStandIn, type StripeStandIn } from "../../e2e/support/stripe-stand-in";
import { createStripeClient } from "@/lib/payments/stripe";

let standIn: StripeStandIn;
let stripe: Stripe;

beforeAll(async () => {
  standIn = await startStripeStandIn({ port: 0 });
  stripe = createStripeClient({ secretKey: "sk_test_stand_in", apiBase: new URL(standIn.url) });
});
afterAll(() => standIn.close());
beforeEach(() => standIn.setDown(false));

describe("form bodies", () => {
  it("reads bracket nesting, indexed and empty-bracket arrays the way Stripe does", () => {
    expect(parseStripeForm("a=1&metadata[order]=WM-1&line_items[0][price_data][unit_amount]=500&line_items[0][quantity]=1&expand[]=x&expand[]=y&b=a%20b+c")).toEqual({
      a: "1",
      metadata: { order: "WM-1" },
      line_items: [{ price_data: { unit_amount: "500" }, quantity: "1" }],
      expand: ["x", "y"],
      b: "a b c",
    });
  });

  it("ignores keys that would reach an object's prototype", () => {
    expect(parseStripeForm("__proto__[polluted]=1&ok=1")).toEqual({ ok: "1" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("the stand-in through the stripe SDK", () => {
  it("replays an idempotent request and refuses the same key with other parameters", async () => {
    const first = await stripe.customers.create({ metadata: { waymark_user_id: "u1" } }, { idempotencyKey: "customer:u1" });
    const again = await stripe.customers.create({ metadata: { waymark_user_id: "u1" } }, { idempotencyKey: "customer:u1" });
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers["idempotent-replayed"]).toBe("true");
    const misuse = stripe.customers.create({ metadata: { waymark_user_id: "u2" } }, { idempotencyKey: "customer:u1" });
    await expect(misuse).rejects.toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    await expect(misuse).rejects.toMatchObject({ statusCode: 400, type: "StripeIdempotencyError" });
    const recorded = standIn.requests().filter((r) => r.idempotencyKey === "customer:u1");
    expect(recorded.map((r) => [r.status, r.replayed])).toEqual([[200, false], [200, true], [400, false]]);
  });

  it("answers Stripe's error objects: unknown parameters, missing objects, a missing key", async () => {
    await expect(stripe.customers.create({ nickname: "x" } as Stripe.CustomerCreateParams)).rejects.toMatchObject({ type: "StripeInvalidRequestError", statusCode: 400, code: "parameter_unknown", param: "nickname" });
    await expect(stripe.paymentMethods.retrieve("pm_missing")).rejects.toMatchObject({ type: "StripeInvalidRequestError", statusCode: 404, code: "resource_missing" });
    const keyless = await fetch(`${standIn.url}/v1/customers`, { method: "POST" });
    expect(keyless.status).toBe(401);
    expect(await keyless.json()).toMatchObject({ error: { type: "invalid_request_error" } });
  });

  it("declines an off-session charge on a card that only saves, with the card error and the PaymentIntent", async () => {
    const customer = await stripe.customers.create({});
    const card = standIn.attachTestCard(customer.id, "charge_declined");
    const charge = stripe.paymentIntents.create(
      { amount: 1500, currency: "gbp", customer: customer.id, payment_method: card.id, confirm: true, off_session: true, automatic_payment_methods: { enabled: true, allow_redirects: "never" } },
      { idempotencyKey: "charge-declined-1" },
    );
    await expect(charge).rejects.toBeInstanceOf(Stripe.errors.StripeCardError);
    const error = (await charge.catch((e: unknown) => e)) as Stripe.errors.StripeCardError;
    expect(error).toMatchObject({ statusCode: 402, code: "card_declined", decline_code: "generic_decline" });
    expect(error.payment_intent?.status).toBe("requires_payment_method");
    expect(standIn.events().map((e) => e.type)).toContain("payment_intent.payment_failed");
  });

  it("simulates an outage as a 503 or as a dropped connection", async () => {
    standIn.setDown("503");
    await expect(stripe.customers.create({})).rejects.toMatchObject({ type: "StripeAPIError", statusCode: 503 });
    standIn.setDown("reset");
    await expect(stripe.customers.create({})).rejects.toBeInstanceOf(Stripe.errors.StripeConnectionError);
  });

  it("completes a hosted setup session, redirects with the session id and emits the events in order", async () => {
    const customer = await stripe.customers.create({});
    const session = await stripe.checkout.sessions.create({ mode: "setup", customer: customer.id, allowed_payment_method_types: ["card"], success_url: "http://portal.test/done?session_id={CHECKOUT_SESSION_ID}" });
    expect(session.url).toBe(`${standIn.url}/_hosted/checkout/${session.id}`);
    const page = await fetch(session.url!);
    expect(await page.text()).toContain("Save card");
    const completed = await fetch(session.url!, { method: "POST", body: new URLSearchParams({ card: "mastercard" }), redirect: "manual" });
    expect(completed.status).toBe(303);
    expect(completed.headers.get("location")).toBe(`http://portal.test/done?session_id=${session.id}`);
    const retrieved = await stripe.checkout.sessions.retrieve(session.id, { expand: ["setup_intent"] });
    expect(retrieved.status).toBe("complete");
    const setupIntent = retrieved.setup_intent as Stripe.SetupIntent;
    const card = await stripe.paymentMethods.retrieve(setupIntent.payment_method as string);
    expect(card.card).toMatchObject({ brand: "mastercard", last4: "4444" });
    expect(card.customer).toBe(customer.id);
    const sessionEvents = standIn.events().filter((e) => e.data.object.id === session.id || e.data.object.id === setupIntent.id);
    expect(sessionEvents.map((e) => e.type)).toEqual(["setup_intent.succeeded", "checkout.session.completed"]);
  });

  it("signs webhooks that the SDK verifies with the same secret", async () => {
    const secret = "whsec_stand_in_contract";
    const received: { payload: string; signature: string }[] = [];
    const { createServer } = await import("node:http");
    const portal = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      req.on("end", () => {
        received.push({ payload: body, signature: String(req.headers["stripe-signature"]) });
        res.writeHead(200).end("{}");
      });
    });
    await new Promise<void>((resolve) => portal.listen(0, "127.0.0.1", resolve));
    const address = portal.address() as { port: number };
    const signing = await startStripeStandIn({ port: 0, webhookUrl: `http://127.0.0.1:${address.port}/hook`, webhookSecret: secret });
    try {
      const client = createStripeClient({ secretKey: "sk_test_signing", apiBase: new URL(signing.url) });
      await client.customers.create({});
      const customer = await client.customers.create({});
      const card = signing.attachTestCard(customer.id);
      await client.paymentIntents.create({ amount: 100, currency: "eur", customer: customer.id, payment_method: card.id, confirm: true, off_session: true });
      await signing.webhooksSettled();
      expect(received.length).toBeGreaterThanOrEqual(2);
      for (const delivery of received) {
        const event = await client.webhooks.constructEventAsync(delivery.payload, delivery.signature, secret);
        expect(event.type).toMatch(/^payment_intent\./);
      }
      expect(signing.webhookDeliveries().every((d) => d.status === 200 && d.attempts === 1)).toBe(true);
    } finally {
      await signing.close();
      portal.close();
    }
  });
});
