import type { Metadata } from "next";
import Link from "@/components/link";
import { notFound } from "next/navigation";
import { ProductThumbnail } from "@/components/product-thumbnail";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { formatMoney } from "@/lib/format/money";
import { buyAgainItems } from "@/lib/orders/buy-again";
import { askToBuyAgainAction } from "./actions";
import { BuyAgainForm } from "./buy-again-form";

export const metadata: Metadata = { title: "Buy again" };

export default async function BuyAgainPage({ params }: { params: Promise<{ number: string }> }) {
  const { number } = await params;
  const principal = await requireCustomer(`/orders/${number}/buy-again`);
  const order = await buyAgainItems(db(), principal.userId, number);
  if (!order) notFound();
  return (
    <div className="narrow stack">
      <p><Link href={`/orders/${order.number}`}>← Order {order.number}</Link></p>
      <h1>Buy again</h1>
      <p className="muted">The items of order {order.number}, at today&apos;s prices.</p>
      <ul className="list card" data-testid="buy-again-items">
        {order.lines.map((line) => (
          <li key={line.id} className="row">
            <span className="with-thumbnail">
              <ProductThumbnail name={line.productName} category={line.category} />
              <span>
                <strong>{line.productName}</strong> <span className="muted">· {line.label} · × {line.quantity}</span>
              </span>
            </span>
            <span>
              {formatMoney(line.priceMinor * line.quantity, line.currency)}{" "}
              <span className={line.inStock ? "badge done" : "badge late"}>{line.inStock ? "In stock" : "Out of stock"}</span>
            </span>
          </li>
        ))}
      </ul>
      <p>
        New orders are not placed in this portal. Ask us and a person from our team places this order again for you: they contact you within one working day to confirm
        prices, stock and delivery, and nothing is charged until you agree.
      </p>
      <BuyAgainForm action={askToBuyAgainAction.bind(null, order.number)} />
    </div>
  );
}
