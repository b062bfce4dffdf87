import type { Metadata } from "next";
import Link from "@/components/link";
import { ContactUs } from "@/components/contact-us";
import { JourneyOutcomeShown, JourneyStep } from "@/components/journey";
import { listAddresses, OPEN_ORDER_STATUSES } from "@/lib/addresses/addresses";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { addressNotice } from "@/lib/http/address-notice";
import { BackToAccount } from "@/app/account/_components/back-link";
import { AddressCard } from "../address-card";
import { KeptOrdersNotice } from "../kept-orders-notice";
import { MakeDefaultButton } from "./make-default-button";

export const metadata: Metadata = { title: "Addresses" };

const SAVED: Record<string, string> = {
  added: "The address is added to your address book.",
  updated: "The address is updated.",
  deleted: "The address is deleted from your address book.",
  "default-shipping": "Deliveries now go to this address by default.",
  "default-billing": "This is now your billing address.",
};

export default async function AddressesPage({ searchParams }: { searchParams: Promise<{ saved?: string; kept?: string; moved?: string }> }) {
  const principal = await requireCustomer("/account/addresses");
  const { saved, kept, moved: rawMoved } = await searchParams;
  const addresses = await listAddresses(db(), principal.userId);
  // Only this customer's open orders are ever named, whatever the query string says.
  const keptNumbers = typeof kept === "string" ? kept.split(".").filter((n) => /^WM-\d{6}$/.test(n)).slice(0, 20) : [];
  const keptOrders = keptNumbers.length
    ? await db().order.findMany({ where: { userId: principal.userId, number: { in: keptNumbers }, status: { in: [...OPEN_ORDER_STATUSES] } }, select: { number: true, status: true } })
    : [];
  const message = addressNotice(SAVED, saved);
  // After a delete: which defaults passed to another address, named from the book itself.
  const moved = saved === "deleted" && typeof rawMoved === "string" ? rawMoved.split(".") : [];
  const newDelivery = moved.includes("shipping") ? addresses.find((a) => a.isDefaultShipping) : undefined;
  const newBilling = moved.includes("billing") ? addresses.find((a) => a.isDefaultBilling) : undefined;

  return (
    <div className="stack">
      {/* The book shown as a save's outcome starts no attempt: the next starts when the customer acts here. */}
      {message ? <JourneyOutcomeShown type="address_change" key={crypto.randomUUID()} /> : <JourneyStep type="address_change" step="list" />}
      <BackToAccount />
      <h1>Addresses</h1>
      {message ? (
        <p className="notice ok" role="status" data-testid="form-message">
          {message}
          {newDelivery ? ` Deliveries now go to ${newDelivery.line1} by default.` : ""}
          {newBilling ? ` ${newBilling.line1} is now your billing address.` : ""}
        </p>
      ) : null}
      {keptOrders.length ? <KeptOrdersNotice orders={keptOrders} tense="after" /> : null}
      <p>
        <Link href="/account/addresses/new" className="button">Add an address</Link>
      </p>
      {addresses.length === 0 ? (
        <div className="card">
          <p>You have no saved addresses yet.</p>
          <p className="muted">Save your home or work address here and choose it in one tap at checkout.</p>
        </div>
      ) : (
        <ul className="grid list-plain" aria-label="Your addresses">
          {addresses.map((address) => (
            <li key={address.id} className="card stack" data-testid="address">
              <AddressCard address={address} />
              <div className="row-start">
                <Link href={`/account/addresses/${address.id}`} className="button secondary">
                  Edit<span className="sr-only"> address at {address.line1}</span>
                </Link>
                {address.isDefaultShipping ? null : <MakeDefaultButton addressId={address.id} use="shipping" which={address.line1} />}
                {address.isDefaultBilling ? null : <MakeDefaultButton addressId={address.id} use="billing" which={address.line1} />}
              </div>
            </li>
          ))}
        </ul>
      )}
      <ContactUs journey="address_change" step="list" />
    </div>
  );
}
