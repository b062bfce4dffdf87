import type { Metadata } from "next";
import Link from "@/components/link";
import { ContactUs } from "@/components/contact-us";
import { JourneyOutcomeShown, JourneyStep } from "@/components/journey";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { addressNotice } from "@/lib/http/address-notice";
import { cardExpiry, cardLabel, isExpired, listSavedCards } from "@/lib/payments/payment-methods";
import { stripeConfig } from "@/lib/payments/stripe";
import { BackToAccount } from "@/app/account/_components/back-link";
import { AddCardForm } from "../card-forms";

export const metadata: Metadata = { title: "Payment methods" };

const CHANGED: Record<string, { tone: "ok" | "warn"; text: string }> = {
  removed: { tone: "ok", text: "The card is removed. It can no longer be charged." },
  "removed-no-default": { tone: "warn", text: "The card is removed. Choose which of your cards should be the default." },
  default: { tone: "ok", text: "Your default card is changed. Balances you pay with your saved card use it from now on." },
};

export default async function PaymentMethodsPage({ searchParams }: { searchParams: Promise<{ changed?: string; cancelled?: string }> }) {
  const principal = await requireCustomer("/account/payment-methods");
  const { changed, cancelled } = await searchParams;
  const cards = await listSavedCards(db(), principal.userId);
  const available = stripeConfig() !== null;
  const notice = addressNotice(CHANGED, changed);
  const now = new Date();

  return (
    <div className="stack">
      {/* Shown as a card change's outcome, the list starts no attempt at adding one: that starts when the customer acts here. */}
      {notice ? <JourneyOutcomeShown type="payment_method_change" /> : <JourneyStep type="payment_method" step="list" />}
      {cancelled ? <JourneyStep type="payment_method" step="hosted_page" action="failed" errorCode="cancelled_on_hosted_page" /> : null}
      {/* An outage, not customers giving up: each visit that cannot add a card fails with its cause. */}
      {available ? null : <JourneyStep type="payment_method" step="list" action="failed" errorCode="payments_not_configured" />}
      <BackToAccount />
      <h1>Payment methods</h1>
      {notice ? (
        <p className={`notice ${notice.tone}`} role="status" data-testid="form-message">
          {notice.text}
        </p>
      ) : null}
      {cancelled ? (
        <p className="notice warn" role="status">
          You left the secure card page, so no card was saved.
        </p>
      ) : null}
      {!available ? (
        <p className="notice warn" role="status">
          Saving cards is not available right now; please try again later to add one.{cards.length ? " Your saved cards are shown below." : ""}
        </p>
      ) : null}
      {cards.length === 0 ? (
        <div className="card">
          <p>You have no saved cards yet.</p>
          <p className="muted">Save a card to pay an outstanding balance in one step.</p>
        </div>
      ) : (
        <ul className="list card" aria-label="Your saved cards">
          {cards.map((card) => (
            <li key={card.id} className="row" data-testid="saved-card">
              <span>
                <strong>{cardLabel(card)}</strong> {card.isDefault ? <span className="badge done">Default</span> : null}{" "}
                {isExpired(card, now) ? <span className="badge failed">Expired</span> : null}
                <br />
                <span className="muted">Expires {cardExpiry(card)}</span>
              </span>
              <Link href={`/account/payment-methods/${card.id}`} className="button secondary" aria-label={`Manage ${cardLabel(card)}`}>
                Manage
              </Link>
            </li>
          ))}
        </ul>
      )}
      <section className="card stack" aria-labelledby="add-card-heading">
        <h2 id="add-card-heading">Add a card</h2>
        <p className="muted">You type your card details on the secure page of our payment provider, Stripe. Waymark never sees or stores your card number.</p>
        <AddCardForm disabled={!available} />
      </section>
      <ContactUs journey="payment_method" step="list" />
    </div>
  );
}
