import { formatPhone } from "@/lib/accounts/phone";
import { Fragment } from "react";
import { addressLines } from "@/lib/addresses/format";

type Shown = { fullName: string; line1: string; line2: string | null; city: string; region: string | null; postalCode: string; country: string; phone?: string | null; isDefaultShipping?: boolean; isDefaultBilling?: boolean };

export function AddressCard({ address }: { address: Shown }) {
  return (
    <div>
      <address className="address">
        <strong>{address.fullName}</strong>
        {addressLines(address, { name: false }).map((line, i) => (
          <Fragment key={i}>
            <br />
            {line}
          </Fragment>
        ))}
        {address.phone ? (
          <>
            <br />
            <span className="muted">{formatPhone(address.phone)}</span>
          </>
        ) : null}
      </address>
      {address.isDefaultShipping || address.isDefaultBilling ? (
        <p className="badges">
          {address.isDefaultShipping ? <span className="badge done">Default delivery</span> : null} {address.isDefaultBilling ? <span className="badge">Billing</span> : null}
        </p>
      ) : null}
    </div>
  );
}
