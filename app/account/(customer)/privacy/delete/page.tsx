import type { Metadata } from "next";
import Link from "@/components/link";
import { ContactUs } from "@/components/contact-us";
import { JourneyStep } from "@/components/journey";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { formatMoney } from "@/lib/format/money";
import { deletionBlockers } from "@/lib/privacy/deletion";
import { BackToAccount } from "@/app/account/_components/back-link";
import { DeleteAccountForm } from "./delete-account-form";

export const metadata: Metadata = { title: "Delete your account" };

export default async function DeleteAccountPage() {
  const principal = await requireCustomer("/account/privacy/delete");
  const { ordersInFlight, returnsInFlight, storeCreditToLose } = await deletionBlockers(db(), principal.userId);
  const blocked = ordersInFlight.length + returnsInFlight.length > 0;
  return (
    <div className="narrow stack">
      <BackToAccount />
      <h1>Delete your account</h1>
      {blocked ? (
        <>
          <JourneyStep type="account_deletion" step="reauthenticate" action="failed" errorCode="orders_in_flight" />
          <div className="notice warn stack" role="status" data-testid="deletion-blocked">
            <p>You still have an order or a return under way, so we cannot delete your account yet: we need it to deliver or refund them.</p>
            <ul>
              {ordersInFlight.map((o) => (
                <li key={o.number}>
                  <Link href={`/orders/${o.number}`}>Order {o.number}</Link>
                </li>
              ))}
              {returnsInFlight.map((r) => (
                <li key={r.number}>Return {r.number}</li>
              ))}
            </ul>
            <p>Come back once they are delivered, cancelled or refunded — or talk to us below.</p>
          </div>
        </>
      ) : (
        <>
          <div className="card stack">
            <h2>What happens</h2>
            <ul>
              <li>Your name, email, phone number and addresses are deleted, and you are signed out on every device.</li>
              <li>Your past orders and returns stay in our books, as the law requires, but no longer linked to you.</li>
              <li>Our analytics service is asked to delete what it holds about you.</li>
              <li>This cannot be undone. To shop with us again you would create a new account.</li>
            </ul>
            {storeCreditToLose.length ? (
              <p className="notice warn">
                You will lose your store credit of {storeCreditToLose.map((c) => formatMoney(c.amountMinor, c.currency)).join(" and ")}.
              </p>
            ) : null}
            <p>
              Want a copy of your data first? <Link href="/account/privacy">Download it</Link>.
            </p>
          </div>
          <DeleteAccountForm />
        </>
      )}
      <ContactUs journey="account_deletion" step="reauthenticate" />
    </div>
  );
}
