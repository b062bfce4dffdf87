// Releasing a card authorisation that will never be captured (e.g. an order cancelled before it was
// charged). Queued in the caller's transaction and sent by the outbox, so a Stripe outage delays
// the release instead of losing it; the caller's idempotency key makes it one cancel at Stripe.
import "server-only";
import type Stripe from "stripe";
import { z } from "zod";
import type { Prisma } from "@/lib/generated/prisma/client";
import { isRefusedStripeError, isTransientStripeError } from "./stripe";
import { StripeUnreachableError } from "./refund-delivery";

export const RELEASE_TOPIC = "stripe.release";

export const releasePayloadSchema = z.object({ orderId: z.string().min(1), paymentIntentId: z.string().startsWith("pi_"), idempotencyKey: z.string().min(1) });
export type ReleasePayload = z.infer<typeof releasePayloadSchema>;

/** Queues the release; queuing the same PaymentIntent twice releases it once. */
export async function queueAuthorizationRelease(tx: Prisma.TransactionClient, release: ReleasePayload): Promise<void> {
  const payload = releasePayloadSchema.parse(release);
  await tx.outboxMessage.createMany({ data: [{ topic: RELEASE_TOPIC, dedupeKey: `release:${payload.paymentIntentId}`, payload }], skipDuplicates: true });
}

export type ReleaseOutcome = "released" | "not_releasable";

export async function releaseAuthorization(stripe: Stripe, payload: ReleasePayload): Promise<ReleaseOutcome> {
  try {
    await stripe.paymentIntents.cancel(payload.paymentIntentId, { cancellation_reason: "abandoned" }, { idempotencyKey: payload.idempotencyKey });
    return "released";
  } catch (error) {
    if (isTransientStripeError(error)) throw new StripeUnreachableError(`Stripe unreachable releasing ${payload.paymentIntentId}: ${error instanceof Error ? error.message : String(error)}`);
    if (!isRefusedStripeError(error)) throw error;
    if (error.payment_intent?.status === "canceled") return "released";
    // Captured already (or never authorised): there is nothing to release, and retrying will not help.
    console.error(`[stripe.release] order ${payload.orderId}: ${payload.paymentIntentId} cannot be released (${error.code ?? error.type}): ${error.message}`);
    return "not_releasable";
  }
}
