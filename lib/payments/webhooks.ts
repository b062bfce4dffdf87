// Stripe's webhooks: the only way money confirmed at Stripe reaches an order. The raw body is
// verified against the signing secret (constructEventAsync); an unsigned, tampered or stale request
// is answered 400 and changes nothing. Each event id is processed once: ProcessedWebhook is written
// in the same transaction as the effect, so a replay is a no-op and a failed effect is retried by
// Stripe. Handlers never move anything backwards, whatever order events arrive in.
import "server-only";
import type Stripe from "stripe";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { recordStep } from "@/lib/trail/server";
import { BALANCE_PURPOSE, declineBalanceCharge, expireBalanceCheckout, settleBalancePayment } from "./balance";
import { customerActor, journeyIdFromMetadata } from "./customer-trail";
import { CARD_SETUP_PURPOSE, mirrorSavedCard, setStripeDefault, type MirroredCard } from "./payment-methods";
import { settleRefund } from "./refund-delivery";
import { isUniqueViolation } from "@/lib/db/errors";
import { isStorableJson } from "@/lib/http/input";
import { isTransientStripeError } from "./stripe";

type Tx = Prisma.TransactionClient;

export type WebhookAnswer = { status: number; body: { received: boolean; duplicate?: true; error?: string } };

// Stripe's own limits (ids up to 255 characters, metadata values up to 500): longer is not from Stripe.
const stripeId = z.string().min(1).max(255);
const metadata = z.record(z.string().max(40), z.string().max(500)).nullish().transform((m) => m ?? {});
const idOf = z.union([stripeId, z.object({ id: stripeId })]).nullish().transform((v) => (typeof v === "string" ? v : (v?.id ?? null)));

// `created`: when Stripe saw it (seconds), which can be well before the delivery reaches us.
const eventSchema = z.object({ id: stripeId, type: z.string().min(1).max(100), created: z.number().int().nonnegative().optional(), data: z.object({ object: z.record(z.string(), z.unknown()) }) });

const checkoutSessionSchema = z.object({
  id: stripeId,
  mode: z.string(),
  status: z.string().nullish(),
  payment_status: z.string(),
  customer: idOf,
  setup_intent: idOf,
  payment_intent: idOf,
  amount_total: z.number().int().nullish(),
  metadata,
});

const paymentIntentSchema = z.object({
  id: stripeId,
  amount_received: z.number().int(),
  metadata,
  last_payment_error: z.object({ code: z.string().nullish(), decline_code: z.string().nullish() }).nullish(),
});

const refundSchema = z.object({ id: stripeId, status: z.string().nullish(), metadata });

/** What each event type we act on must carry; a signed event of that type without it is refused, not half-applied. */
const OBJECT_SCHEMAS: Record<string, z.ZodType> = {
  "checkout.session.completed": checkoutSessionSchema,
  "payment_intent.succeeded": paymentIntentSchema,
  "payment_intent.payment_failed": paymentIntentSchema,
  "refund.created": refundSchema,
  "refund.updated": refundSchema,
  "refund.failed": refundSchema,
};

/** Stripe's own tolerance for a signature's age (the SDK's default), applied to the future too. */
const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * The SDK refuses a signature older than the tolerance but accepts any timestamp ahead of the clock,
 * so a delivery signed "in the future" would stay replayable for as long as that lies ahead.
 */
function signedInTheFuture(signature: string, now = new Date()): boolean {
  const timestamps = signature.split(",").flatMap((part) => {
    const [key, value] = part.trim().split("=", 2);
    return key === "t" && value && /^\d{1,15}$/.test(value) ? [Number(value)] : [];
  });
  return timestamps.some((t) => t - now.getTime() / 1000 > SIGNATURE_TOLERANCE_SECONDS);
}

const cardSchema = z.object({ brand: z.string(), last4: z.string().regex(/^\d{4}$/), exp_month: z.number().int(), exp_year: z.number().int() });

type Prepared = { card?: MirroredCard & { customerId: string } };

/** Verifies and processes one delivery of Stripe's webhook. */
export async function receiveStripeWebhook(db: Db, stripe: Stripe, webhookSecret: string, request: { payload: string; signature: string | null }): Promise<WebhookAnswer> {
  if (!request.signature) return { status: 400, body: { received: false, error: "missing Stripe-Signature header" } };
  if (signedInTheFuture(request.signature)) return { status: 400, body: { received: false, error: "signature verification failed" } };
  let verified: Stripe.Event;
  try {
    verified = await stripe.webhooks.constructEventAsync(request.payload, request.signature, webhookSecret, SIGNATURE_TOLERANCE_SECONDS);
  } catch (error) {
    // Wrong secret, tampered body or a timestamp outside the tolerance: all the same to the sender.
    console.warn(`[stripe.webhook] rejected: ${error instanceof Error ? error.message : String(error)}`);
    return { status: 400, body: { received: false, error: "signature verification failed" } };
  }
  const parsed = eventSchema.safeParse(verified);
  if (!parsed.success || !isStorableJson(verified)) return { status: 400, body: { received: false, error: "not a Stripe event" } };
  const event = parsed.data;
  if (OBJECT_SCHEMAS[event.type] && !OBJECT_SCHEMAS[event.type].safeParse(event.data.object).success) {
    console.warn(`[stripe.webhook] ${event.id} (${event.type}) does not have the shape we act on: refused`);
    return { status: 400, body: { received: false, error: "malformed event object" } };
  }

  if (await db.processedWebhook.findUnique({ where: { id: event.id }, select: { id: true } })) return { status: 200, body: { received: true, duplicate: true } };
  let prepared: Prepared;
  try {
    prepared = await prepare(db, stripe, event);
  } catch (error) {
    if (!isTransientStripeError(error)) throw error;
    // Stripe delivers again later; by then the read it needs may work.
    return { status: 503, body: { received: false, error: "temporarily unable to process" } };
  }
  let effect: Awaited<ReturnType<typeof apply>>;
  try {
    effect = await db.$transaction(async (tx) => {
      await tx.processedWebhook.create({ data: { id: event.id, source: "stripe", type: event.type } });
      return apply(tx, event, prepared);
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { status: 200, body: { received: true, duplicate: true } };
    throw error;
  }
  if (effect.newDefaultCard) {
    // Best effort: Waymark charges the card it names, Stripe's default only matters for Stripe's own invoices.
    await setStripeDefault(db, stripe, effect.newDefaultCard.userId, effect.newDefaultCard.paymentMethodId).catch((error: unknown) => {
      console.warn(`[stripe.webhook] could not make ${effect.newDefaultCard?.paymentMethodId} the default at Stripe: ${error instanceof Error ? error.message : String(error)}`);
    });
  }
  return { status: 200, body: { received: true } };
}

/** Reads from Stripe what an event does not carry, before the transaction (never inside it). */
async function prepare(db: Db, stripe: Stripe, event: z.infer<typeof eventSchema>): Promise<Prepared> {
  if (event.type !== "checkout.session.completed") return {};
  const session = checkoutSessionSchema.parse(event.data.object);
  if (session.mode !== "setup" || session.metadata.waymark_purpose !== CARD_SETUP_PURPOSE || !session.setup_intent || !session.customer) return {};
  const setupIntent = await stripe.setupIntents.retrieve(session.setup_intent, { expand: ["payment_method"] });
  const paymentMethod = setupIntent.payment_method;
  if (setupIntent.status !== "succeeded" || !paymentMethod || typeof paymentMethod === "string") return {};
  const card = cardSchema.safeParse(paymentMethod.card);
  if (!card.success) return {};
  return {
    card: { customerId: session.customer, stripePaymentMethodId: paymentMethod.id, brand: card.data.brand, last4: card.data.last4, expMonth: card.data.exp_month, expYear: card.data.exp_year },
  };
}

async function apply(tx: Tx, event: z.infer<typeof eventSchema>, prepared: Prepared): Promise<{ newDefaultCard?: { userId: string; paymentMethodId: string } }> {
  const object = event.data.object;
  switch (event.type) {
    case "checkout.session.completed": {
      const session = checkoutSessionSchema.parse(object);
      if (prepared.card) return mirrorCard(tx, prepared.card, journeyIdFromMetadata(session.metadata));
      if (session.mode === "payment" && session.payment_status === "paid" && session.metadata.waymark_purpose === BALANCE_PURPOSE && session.metadata.waymark_payment_id && session.payment_intent) {
        await settleBalancePayment(tx, { paymentId: session.metadata.waymark_payment_id, paymentIntentId: session.payment_intent, amountMinor: session.amount_total ?? 0, journeyId: journeyIdFromMetadata(session.metadata) });
      }
      return {};
    }
    case "payment_intent.succeeded": {
      const intent = paymentIntentSchema.parse(object);
      if (intent.metadata.waymark_purpose === BALANCE_PURPOSE && intent.metadata.waymark_payment_id) {
        await settleBalancePayment(tx, { paymentId: intent.metadata.waymark_payment_id, paymentIntentId: intent.id, amountMinor: intent.amount_received, journeyId: journeyIdFromMetadata(intent.metadata) });
      }
      return {};
    }
    case "payment_intent.payment_failed": {
      const intent = paymentIntentSchema.parse(object);
      if (intent.metadata.waymark_purpose === BALANCE_PURPOSE && intent.metadata.waymark_payment_id) {
        const code = intent.last_payment_error?.decline_code ?? intent.last_payment_error?.code ?? "payment_failed";
        await declineBalanceCharge(tx, { paymentId: intent.metadata.waymark_payment_id, failureCode: /^[a-z0-9_]{1,64}$/.test(code) ? code : "payment_failed", paymentIntentId: intent.id, journeyId: journeyIdFromMetadata(intent.metadata), declinedAt: happenedAt(event) });
      }
      return {};
    }
    case "checkout.session.expired": {
      const session = checkoutSessionSchema.parse(object);
      if (session.mode === "payment" && session.metadata.waymark_purpose === BALANCE_PURPOSE && session.metadata.waymark_payment_id) {
        await expireBalanceCheckout(tx, { paymentId: session.metadata.waymark_payment_id, sessionId: session.id });
      }
      return {};
    }
    case "refund.created":
    case "refund.updated":
    case "refund.failed": {
      const refund = refundSchema.parse(object);
      await settleRefund(tx, { refundId: refund.metadata.waymark_refund_id ?? null, stripeRefundId: refund.id, stripeStatus: refund.status });
      return {};
    }
    // charge.refunded no longer lists the refunds (API 2022-11-15 and later), so it cannot say which
    // of ours it is about; the refund.* events above carry that. Everything else is acknowledged.
    default:
      return {};
  }
}

async function mirrorCard(tx: Tx, card: MirroredCard & { customerId: string }, journeyId: string | null) {
  // The customer is whoever Stripe says owns the card, never an id taken from metadata.
  const user = await tx.user.findUnique({ where: { stripeCustomerId: card.customerId }, select: { id: true } });
  if (!user) return {};
  const { customerId: _customerId, ...mirrored } = card;
  const result = await mirrorSavedCard(tx, user.id, mirrored);
  if (result.added && journeyId) {
    // Stripe's confirmation is what says the hosted page was done: recorded here, just before the
    // outcome (whose view the trail dates 1 ms before it), whether or not the customer is back yet.
    const actor = await customerActor(tx, user.id, journeyId);
    const at = new Date();
    await recordStep(tx, actor, { journeyId, type: "payment_method", step: "hosted_page", action: "completed" }, new Date(at.getTime() - 2));
    await recordStep(tx, actor, { journeyId, type: "payment_method", step: "saved", action: "completed", properties: { became_default: result.isDefault } }, at);
  }
  return result.isDefault ? { newDefaultCard: { userId: user.id, paymentMethodId: card.stripePaymentMethodId } } : {};
}

/** When Stripe saw the event; never later than now (a clock ahead of ours). */
function happenedAt(event: z.infer<typeof eventSchema>): Date {
  const now = new Date();
  return event.created === undefined ? now : new Date(Math.min(event.created * 1000, now.getTime()));
}
