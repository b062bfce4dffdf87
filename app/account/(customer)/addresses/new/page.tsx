import type { Metadata } from "next";
import { ContactUs } from "@/components/contact-us";
import { formatPhone } from "@/lib/accounts/phone";
import { listAddresses } from "@/lib/addresses/addresses";
import { likelyCountry } from "@/lib/addresses/countries";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { BackToAccount } from "@/app/account/_components/back-link";
import { AddressForm } from "../address-form";
import { addAddressAction } from "../actions";

export const metadata: Metadata = { title: "Add an address" };

export default async function NewAddressPage() {
  const principal = await requireCustomer("/account/addresses/new");
  const [user, addresses] = await Promise.all([db().user.findUniqueOrThrow({ where: { id: principal.userId }, select: { name: true, phone: true } }), listAddresses(db(), principal.userId)]);
  return (
    <div className="narrow stack">
      <BackToAccount to="addresses" />
      <h1>Add an address</h1>
      <AddressForm
        action={addAddressAction}
        submitLabel="Add address"
        initial={{ fullName: user.name, line1: "", line2: "", city: "", region: "", postalCode: "", country: likelyCountry(addresses), phone: user.phone ? formatPhone(user.phone) : "", isDefaultShipping: false, isDefaultBilling: false }}
      />
      <ContactUs journey="address_change" step="form" />
    </div>
  );
}
