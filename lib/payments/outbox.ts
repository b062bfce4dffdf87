// The outbox handlers for Stripe calls that must survive an outage: refunds, authorisation releases
// and saved-card charges whose first attempt could not reach Stripe. Rows are handled one by one;
// the first one Stripe cannot take stops the batch (the outbox backs off and retries it, and the
// idempotency keys make any row of the batch safe to send again).
import "server-only";
import type Stripe from "stripe";
import type { Db } from "@/lib/db/client";
import { deliverDue, MAX_ATTEMPTS, type OutboxRow } from "@/lib/outbox/outbox";
import { releaseAuthorization, releasePayloadSchema, RELEASE_TOPIC } from "./authorizations";
import { abandonCharge, CHARGE_TOPIC, chargePayloadSchema, chargeSavedCard } from "./balance";
import { REFUND_TOPIC } from "./refunds";
import { deliverRefund, refundPayloadSchema, StripeUnreachableError } from "./refund-delivery";

/**
 * One call per claim: the row's lease then covers that call alone (a batch sent one by one could
 * outlast its lease and be claimed again by another worker), and one failing call never sends the
 * others of its batch back to the queue.
 */
const BATCH_SIZE = 1;

export function refundHandler(db: Db, stripe: Stripe) {
  return async (rows: OutboxRow[]) => {
    for (const row of rows) await deliverRefund(db, stripe, refundPayloadSchema.parse(row.payload));
  };
}

export function releaseHandler(stripe: Stripe) {
  return async (rows: OutboxRow[]) => {
    for (const row of rows) await releaseAuthorization(stripe, releasePayloadSchema.parse(row.payload));
  };
}

export function chargeHandler(db: Db, stripe: Stripe) {
  return async (rows: OutboxRow[]) => {
    for (const row of rows) {
      const payload = chargePayloadSchema.parse(row.payload);
      const outcome = await chargeSavedCard(db, stripe, payload);
      if (outcome !== "unreachable") continue;
      // Never left pending for ever: a Stripe that answers later still settles it by webhook.
      if (row.attempts >= MAX_ATTEMPTS) await abandonCharge(db, payload);
      else throw new StripeUnreachableError(`Stripe unreachable for balance payment ${row.dedupeKey}`);
    }
  };
}

/** One delivery round for every Stripe topic; returns what each delivered and failed. */
export async function deliverStripeOutbox(db: Db, stripe: Stripe) {
  return {
    refunds: await deliverDue(db, REFUND_TOPIC, refundHandler(db, stripe), BATCH_SIZE),
    releases: await deliverDue(db, RELEASE_TOPIC, releaseHandler(stripe), BATCH_SIZE),
    charges: await deliverDue(db, CHARGE_TOPIC, chargeHandler(db, stripe), BATCH_SIZE),
  };
}
