import type { Metadata } from "next";
import Link from "@/components/link";
import { notFound } from "next/navigation";
import { ContactUs } from "@/components/contact-us";
import { JourneyStep } from "@/components/journey";
import { listAddresses } from "@/lib/addresses/addresses";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { CANCELLABLE_STATUSES } from "@/lib/orders/cancellation";
import { findCustomerOrder } from "@/lib/orders/queries";
import { addressFixedCode, whyAddressIsFixed } from "@/lib/orders/status";
import { changeDeliveryAddressAction } from "./actions";
import { DeliveryAddressForm } from "./delivery-address-form";
import { likelyCountry } from "@/lib/addresses/countries";
import { addressOnOneLine } from "@/lib/addresses/format";

export const metadata: Metadata = { title: "Change the delivery address" };

export default async function DeliveryAddressPage({ params }: { params: Promise<{ number: string }> }) {
  const { number } = await params;
  const principal = await requireCustomer(`/orders/${number}/delivery-address`);
  const order = await findCustomerOrder(db(), principal.userId, number);
  if (!order) notFound();
  const open = (CANCELLABLE_STATUSES as readonly string[]).includes(order.status);
  const saved = await listAddresses(db(), principal.userId);

  return (
    <div className="stack">
      <p><Link href={`/orders/${order.number}`}>← Order {order.number}</Link></p>
      <h1>Change where order {order.number} goes</h1>
      {open ? (
        <>
          <JourneyStep type="delivery_address_change" step="address" />
          <DeliveryAddressForm
            action={changeDeliveryAddressAction.bind(null, order.number)}
            saved={saved.map((a) => ({ id: a.id, label: addressOnOneLine(a) }))}
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
