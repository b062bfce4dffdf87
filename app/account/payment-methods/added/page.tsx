import type { Metadata } from "next";
import Link from "@/components/link";
import { ContactUs } from "@/components/contact-us";
import { JourneyOutcomeShown, JourneyStep } from "@/components/journey";
import { RefreshWhilePending } from "@/components/payments/refresh-while-pending";
import { requireCustomer } from "@/lib/auth/principal";
import { redirect } from "next/navigation";
import { db } from "@/lib/db/client";
import { urlSecret } from "@/lib/http/url-secret";
import { cardLabel, cardSetupState, type CardSetupState } from "@/lib/payments/payment-methods";
import { isTransientStripeError, stripeClient } from "@/lib/payments/stripe";

export const metadata: Metadata = { title: "Saving your card" };

// Stripe's hosted page sends the customer here through ./return, which keeps the Checkout session
// id in a cookie (lib/http/url-secret.ts); the card is only listed once Stripe's webhook has
// confirmed it, which usually takes a second or two.
export default async function CardAddedPage({ searchParams }: { searchParams: Promise<{ session_id?: string }> }) {
  const principal = await requireCustomer("/account/payment-methods");
  const { session_id: fromOlderReturn } = await searchParams;
  // Checkout sessions opened before the exchange still return with the id in the query.
  if (typeof fromOlderReturn === "string") redirect(`/account/payment-methods/added/return?session_id=${encodeURIComponent(fromOlderReturn)}`);
  const sessionId = await urlSecret("checkout-session");
  const stripe = stripeClient();
  let setup: CardSetupState | { state: "unknown" } = { state: "not_found" };
  if (stripe && typeof sessionId === "string") {
    try {
      setup = await cardSetupState(db(), stripe, principal.userId, sessionId);
    } catch (error) {
      if (!isTransientStripeError(error)) throw error;
      setup = { state: "unknown" };
    }
  }
  const back = (
    <p>
      <Link href="/account/payment-methods" className="button secondary">Back to payment methods</Link>
    </p>
  );

  return (
    <div className="stack">
      {/* A completed hosted page is recorded with Stripe's confirmation (lib/payments/webhooks.ts). */}
      {setup.state === "not_completed" ? <JourneyStep type="payment_method" step="hosted_page" action="failed" errorCode="not_completed" /> : null}
      <h1>{setup.state === "saved" ? "Card saved" : "Saving your card"}</h1>
      {setup.state === "saved" ? (
        <>
          <p className="notice ok" role="status" data-testid="form-message">
            {cardLabel(setup.card)} is saved{setup.card.isDefault ? " and is your default card" : ""}.
          </p>
          <JourneyOutcomeShown type="payment_method" />
        </>
      ) : setup.state === "saving" || setup.state === "unknown" ? (
        <RefreshWhilePending slowMessage="This is taking longer than usual. Your card will appear in your payment methods as soon as our payment provider confirms it; there is no need to add it again.">
          Saving your card… this takes a few seconds.
        </RefreshWhilePending>
      ) : setup.state === "not_completed" ? (
        <p className="notice error" role="status">
          Your card was not saved: the secure card page was not completed. You can try again from your payment methods.
        </p>
      ) : (
        <p className="notice error" role="status">
          We could not find that card setup in your account. If you just added a card, check your payment methods.
        </p>
      )}
      {back}
      <ContactUs journey="payment_method" step={setup.state === "saved" ? "saved" : "hosted_page"} />
    </div>
  );
}
