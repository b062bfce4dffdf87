// Stripe's hosted card page returns here with the Checkout session id, which goes into a cookie
// for the result page at once, so that page (and posthog-js on it) never has it in its URL.
import { exchangeUrlSecret } from "@/lib/http/url-secret";

export function GET(request: Request) {
  return exchangeUrlSecret(request, "checkout-session", new URL(request.url).searchParams.get("session_id"), "/account/payment-methods/added");
}
