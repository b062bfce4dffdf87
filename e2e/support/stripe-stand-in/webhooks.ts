// Events, and their signed delivery to the portal's webhook with retries, one at a time in order.
import Stripe from "stripe";
import { sleep } from "../stand-in-http";
import type { StandInObjects } from "./objects";
import type { StandInEvent, StripeObject, WebhookDelivery } from "./types";

const MAX_WEBHOOK_ATTEMPTS = 5;

export function createWebhooks({ options, now, newId }: StandInObjects) {
  const webhookDelayMs = options.webhookDelayMs ?? 0;
  const signer = new Stripe("sk_test_stand_in_signer");
  const events: StandInEvent[] = [];
  const deliveries: WebhookDelivery[] = [];
  let deliveryChain: Promise<void> = Promise.resolve();

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

  return { emit, events, deliveries, settled: () => deliveryChain };
}

export type StandInWebhooks = ReturnType<typeof createWebhooks>;
