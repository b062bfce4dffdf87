// Stripe's signed webhooks. The body is read raw: the signature covers the exact bytes sent.
import { db } from "@/lib/db/client";
import { readCappedBody } from "@/lib/http/body";
import { stripeClient, stripeConfig } from "@/lib/payments/stripe";
import { receiveStripeWebhook } from "@/lib/payments/webhooks";
import { settleRefundedReturns } from "@/lib/returns/lifecycle";

export const dynamic = "force-dynamic";

// Far above any event we act on (a few kB), far below what would strain the server: anyone can
// send a body here, and it is held whole until its signature is checked.
const MAX_STRIPE_EVENT_BYTES = 1024 * 1024;

export async function POST(request: Request) {
  const stripe = stripeClient();
  const secret = stripeConfig()?.webhookSecret;
  if (!stripe || !secret) return Response.json({ received: false, error: "Stripe webhooks are not configured" }, { status: 503 });
  const payload = await readCappedBody(request, MAX_STRIPE_EVENT_BYTES);
  if (!payload) return Response.json({ received: false, error: "payload too large" }, { status: 413 });
  const answer = await receiveStripeWebhook(db(), stripe, secret, { payload: payload.toString("utf8"), signature: request.headers.get("stripe-signature") });
  // A refund that just succeeded settles its return now rather than at the next job tick.
  if (answer.status === 200 && !answer.body.duplicate) await settleRefundedReturns(db());
  return Response.json(answer.body, { status: answer.status });
}
