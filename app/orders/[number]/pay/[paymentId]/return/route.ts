// Stripe's hosted page sends the customer back here with the Checkout Session's id. The outcome is
// read from Stripe now (a paid session is settled at once, whatever the webhooks are doing), then the
// customer lands on the status page, whose address no longer carries the session id.
import { z } from "zod";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { storableText } from "@/lib/http/input";
import { settleHostedReturn } from "@/lib/payments/balance";
import { isTransientStripeError, stripeClient } from "@/lib/payments/stripe";

export const dynamic = "force-dynamic";

// Values that cannot name an order or a payment (a NUL byte, broken Unicode, overlong) go no further.
const paramsSchema = z.object({ number: storableText().max(40), paymentId: storableText().max(100) });

export async function GET(request: Request, { params }: { params: Promise<{ number: string; paymentId: string }> }): Promise<Response> {
  const parsed = paramsSchema.safeParse(await params);
  if (!parsed.success) return new Response("Not found", { status: 404, headers: { "content-type": "text/plain" } });
  const { number, paymentId } = parsed.data;
  const statusPage = `/orders/${encodeURIComponent(number)}/pay/${encodeURIComponent(paymentId)}`;
  const principal = await requireCustomer(statusPage);
  const sessionId = new URL(request.url).searchParams.get("session_id") ?? "";
  const stripe = stripeClient();
  if (stripe) {
    try {
      await settleHostedReturn(db(), stripe, { userId: principal.userId, orderNumber: number, paymentId, sessionId });
    } catch (error) {
      // Stripe unreachable: the status page waits for the webhook instead.
      if (!isTransientStripeError(error)) throw error;
    }
  }
  return new Response(null, { status: 303, headers: { location: `${statusPage}?from=checkout`, "cache-control": "no-store" } });
}
