// Stripe's signed webhooks. The body is read raw: the signature covers the exact bytes sent.
import { db } from "@/lib/db/client";
import { stripeClient, stripeConfig } from "@/lib/payments/stripe";
import { receiveStripeWebhook } from "@/lib/payments/webhooks";
import { settleRefundedReturns } from "@/lib/returns/lifecycle";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  const stripe = stripeClient();
  const secret = stripeConfig()?.webhookSecret;
  if (!stripe || !secret) return Response.json({ received: false, error: "Stripe webhooks are not configured" }, { status: 503 });
  const payload = await request.text();
  const answer = await receiveStripeWebhook(db(), stripe, secret, { payload, signature: request.headers.get("stripe-signature") });
  // A refund that just succeeded settles its return now rather than at the next job tick.
  if (answer.status === 200 && !answer.body.duplicate) await settleRefundedReturns(db());
  return Response.json(answer.body, { status: answer.status });
}
