import Link from "@/components/link";
import { STATUS_LABEL } from "@/lib/orders/status";

/**
 * Says plainly that open orders keep the address they were placed with, and where to change an
 * order's delivery address: before an edit ("will keep") and after it ("keeps").
 */
export function KeptOrdersNotice({ orders, tense }: { orders: { number: string; status: keyof typeof STATUS_LABEL }[]; tense: "before" | "after" }) {
  const one = orders.length === 1;
  return (
    <div className="notice warn stack" role="status" data-testid="kept-orders">
      <p>
        {tense === "before"
          ? `${one ? "An open order is" : "Open orders are"} going to this address. Changing or deleting it here does not change ${one ? "that order" : "those orders"}: ${one ? "it keeps" : "they keep"} the address as it was when you ordered.`
          : `${one ? "Your open order keeps" : "Your open orders keep"} the old address. Changing your address book does not change orders already placed.`}
      </p>
      <ul className="list-plain">
        {orders.map((order) => (
          <li key={order.number}>
            Order <strong>{order.number}</strong> ({STATUS_LABEL[order.status].toLowerCase()}) —{" "}
            <Link href={`/orders/${order.number}`}>change its delivery address on the order</Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
