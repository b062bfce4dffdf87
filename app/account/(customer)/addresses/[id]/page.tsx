import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ContactUs } from "@/components/contact-us";
import { findAddress, openOrdersUsingAddress } from "@/lib/addresses/addresses";
import { formatPhone } from "@/lib/accounts/phone";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { BackToAccount } from "@/app/account/_components/back-link";
import { AddressForm } from "../address-form";
import { updateAddressAction } from "../actions";
import { KeptOrdersNotice } from "../kept-orders-notice";
import { DeleteAddressForm } from "./delete-address-form";

export const metadata: Metadata = { title: "Edit address" };

export default async function EditAddressPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requireCustomer(`/account/addresses/${id}`);
  const address = await findAddress(db(), principal.userId, id);
  if (!address) notFound();
  const openOrders = await openOrdersUsingAddress(db(), principal.userId, address);
  return (
    <div className="narrow stack">
      <BackToAccount to="addresses" />
      <h1>Edit address</h1>
      {openOrders.length ? <KeptOrdersNotice orders={openOrders} tense="before" /> : null}
      <AddressForm
        action={updateAddressAction.bind(null, address.id)}
        submitLabel="Save address"
        initial={{ ...address, line2: address.line2 ?? "", region: address.region ?? "", phone: address.phone ? formatPhone(address.phone) : "" }}
      />
      <DeleteAddressForm addressId={address.id} />
      <ContactUs journey="address_change" step="form" />
    </div>
  );
}
