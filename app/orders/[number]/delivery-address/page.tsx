import type { Metadata } from "next";
import Link from "@/components/link";
import { notFound } from "next/navigation";
import { ContactUs } from "@/components/contact-us";
import { JourneyStep } from "@/components/journey";
import { addressVersion, listAddresses, snapshotMatches } from "@/lib/addresses/addresses";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { CANCELLABLE_STATUSES } from "@/lib/orders/cancellation";
import { findCustomerOrder } from "@/lib/orders/queries";
import { addressFixedCode, whyAddressIsFixed } from "@/lib/orders/status";
import { changeDeliveryAddressAction } from "./actions";
import { DeliveryAddressForm } from "./delivery-address-form";
import { likelyCountry } from "@/lib/addresses/countries";
import { addressOnOneLine, type PostalAddress } from "@/lib/addresses/format";

export const metadata: Metadata = { title: "Change the delivery address" };

export default async function DeliveryAddressPage({ params }: { params: Promise<{ number: string }> }) {
  const { number } = await params;
  const principal = await requireCustomer(`/orders/${number}/delivery-address`);
  const order = await findCustomerOrder(db(), principal.userId, number);
  if (!order) notFound();
  const open = (CANCELLABLE_STATUSES as readonly string[]).includes(order.status);
  const saved = await listAddresses(db(), principal.userId);
  // Where the parcel goes now, said first and chosen at first: the default address chosen instead
  // sent a parcel moved elsewhere back there for a customer who tapped "Deliver here" unread.
  const going = order.shippingAddress as PostalAddress;
  const current = saved.find((a) => snapshotMatches(order.shippingAddress, a))?.id ?? null;

  return (
    <div className="stack">
      <p><Link href={`/orders/${order.number}`}>← Order {order.number}</Link></p>
      <h1>Change where order <span className="ref">{order.number}</span> goes</h1>
      {open ? (
        <>
          <JourneyStep type="delivery_address_change" step="address" />
          <p data-testid="delivery-address-now">
            It goes to <strong>{addressOnOneLine(going)}</strong> now.
          </p>
          <DeliveryAddressForm
            action={changeDeliveryAddressAction.bind(null, order.number)}
            saved={saved.map((a) => ({ id: a.id, label: a.id === current ? `${addressOnOneLine(a)} (where it goes now)` : addressOnOneLine(a) }))}
            current={current}
            shown={addressVersion(order.shippingAddress)}
            country={likelyCountry(saved)}
          />
        </>
      ) : (
        <>
          <JourneyStep type="delivery_address_change" step="address" action="failed" errorCode={addressFixedCode(order.status)} />
          <p className="notice warn" role="status">{whyAddressIsFixed(order.status)}</p>
        </>
      )}
      <ContactUs journey="delivery_address_change" step="address" about={{ orderNumber: order.number }} />
    </div>
  );
}
