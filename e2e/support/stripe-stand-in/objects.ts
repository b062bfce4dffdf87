// The objects the stand-in keeps (customers, cards, PaymentIntents, charges, sessions, refunds)
// and how they are shown: never the stand-in's own fields.
import { randomBytes } from "node:crypto";
import { StripeApiError } from "./wire";
import { TEST_CARDS, type Params, type Reply, type StripeObject, type StripeStandInOptions, type TestCard } from "./types";

const ADOPTED_AMOUNT = 10_000_000;

export function createObjects(options: StripeStandInOptions) {
  const objects = new Map<string, StripeObject>();
  const now = () => Math.floor(Date.now() / 1000);
  const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString("base64url").replace(/[-_]/g, "x")}`;
  const store = <T extends StripeObject>(object: T): T => {
    objects.set(object.id, object);
    return object;
  };

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

  function publicSession(session: StripeObject): StripeObject {
    const { stand_in: _standIn, ...rest } = session;
    return rest as StripeObject;
  }

  function publicObject(object: StripeObject): StripeObject {
    if (object.object === "checkout.session") return publicSession(object);
    const { test_card: _card, ...rest } = object;
    return rest as StripeObject;
  }

  function ok(object: StripeObject): Reply {
    return { status: 200, body: publicObject(object) };
  }

  return { options, objects, now, newId, store, find, adoptPaymentIntent, paymentMethodObject, paymentIntentObject, publicSession, publicObject, ok };
}

export type StandInObjects = ReturnType<typeof createObjects>;
