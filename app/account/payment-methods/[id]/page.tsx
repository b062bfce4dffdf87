import type { Metadata } from "next";
import Link from "@/components/link";
import { notFound } from "next/navigation";
import { ContactUs } from "@/components/contact-us";
import { JourneyStep } from "@/components/journey";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { cardExpiry, cardLabel, findSavedCard, isExpired } from "@/lib/payments/payment-methods";
import { stripeConfig } from "@/lib/payments/stripe";
import { MakeDefaultCardForm, RemoveCardForm } from "../card-forms";

export const metadata: Metadata = { title: "Saved card" };

export default async function SavedCardPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requireCustomer(`/account/payment-methods/${encodeURIComponent(id)}`);
  const card = await findSavedCard(db(), principal.userId, id);
  if (!card) notFound();
  const label = cardLabel(card);
  const available = stripeConfig() !== null;

  return (
    <div className="stack">
      <JourneyStep type="payment_method_change" step="detail" />
      <p className="back-link">
        <Link href="/account/payment-methods">← Payment methods</Link>
      </p>
      <h1>{label}</h1>
      <p>
        {card.isDefault ? <span className="badge done">Default card</span> : null} <span className="muted">Expires {cardExpiry(card)}</span>{" "}
        {isExpired(card, new Date()) ? <span className="badge failed">Expired</span> : null}
      </p>
      {!available ? (
        <p className="notice warn" role="status">
          Changing cards is not available right now. Please try again later.
        </p>
      ) : (
        <>
          {card.isDefault ? (
            <p className="muted">This card is used when you pay a balance with your saved card.</p>
          ) : (
            <section className="card stack" aria-labelledby="default-heading">
              <h2 id="default-heading">Make it your default</h2>
              <p className="muted">Balances you pay with your saved card will be charged to this card.</p>
              <MakeDefaultCardForm cardId={card.id} label={label} />
            </section>
          )}
          <section className="card stack" aria-labelledby="remove-heading">
            <h2 id="remove-heading">Remove this card</h2>
            <p className="muted">
              It is deleted from our payment provider too, so it can no longer be charged. Payments already made with it are not affected.
              {card.isDefault ? " Your most recently added other card becomes the default." : ""}
            </p>
            <RemoveCardForm cardId={card.id} label={label} />
          </section>
        </>
      )}
      <ContactUs journey="payment_method_change" step="detail" />
    </div>
  );
}
