import Link from "@/components/link";
import { redirect } from "next/navigation";
import { currentPrincipal, staffHome } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { formatDate } from "@/lib/format/date";
import { formatMoney } from "@/lib/format/money";
import { customerOverview } from "@/lib/orders/queries";
import { attentionItems, deliveryOutlook, isLate, STATUS_LABEL, type AttentionItem, type DeliveryOutlook } from "@/lib/orders/status";
import { dueLine, readyToSend, RETURN_STATUS_LABEL, returnDue, statusBadgeClass } from "@/lib/returns/status";
import { countOf } from "@/lib/format/plural";


export default async function HomePage() {
  const principal = await currentPrincipal();
  if (!principal) return <Welcome />;
  if (principal.role !== "CUSTOMER") redirect(staffHome(principal.role));

  const now = new Date();
  const zone = principal.timeZone;
  const { ordersInProgress, returnsInProgress, recentlyDelivered, credit } = await customerOverview(db(), principal.userId);
  // Each return's dates come from the policy it was judged by, as its messages told them.
  const returns = returnsInProgress.map((ret) => {
    const due = returnDue(ret, ret.policy.rules);
    return { ret, due, dateLine: dueLine(due, ret, zone) };
  });
  const late = (order: (typeof ordersInProgress)[number]) => isLate(order, now);
  const attention = attentionItems(
    ordersInProgress,
    returns.map(({ ret, due }) => ({ number: ret.number, method: ret.method, pickupDate: ret.pickupDate, due })),
    now,
  );

  return (
    <div className="stack">
      <h1>Hello, {principal.name.split(" ")[0]}</h1>

      <section aria-labelledby="attention-heading">
        <h2 id="attention-heading">Needs your attention</h2>
        {attention.length === 0 ? (
          <p className="muted">Nothing needs your attention right now.</p>
        ) : (
          <ul className="list card" data-testid="attention">
            {attention.map((item) => (
              <AttentionRow key={`${item.kind}-${item.kind === "label_ready" ? item.returnNumber : item.orderNumber}`} item={item} zone={zone} />
            ))}
          </ul>
        )}
      </section>

      {credit.length ? (
        <p className="card" data-testid="store-credit">
          Store credit to spend: <strong>{credit.map((c) => formatMoney(c.balanceMinor, c.currency)).join(" · ")}</strong>
        </p>
      ) : null}

      <section aria-labelledby="orders-heading">
        <h2 id="orders-heading">Orders in progress</h2>
        {ordersInProgress.length === 0 ? (
          <p className="muted">
            No orders on their way. <Link href="/orders">See your order history</Link>.
          </p>
        ) : (
          <ul className="list card" data-testid="orders-in-progress">
            {ordersInProgress.map((order) => (
              <li key={order.id} className="row">
                <span>
                  <Link href={`/orders/${order.number}`}>{`Order ${order.number}`}</Link>
                  <span className="muted">{` · placed ${formatDate(order.placedAt, zone)} · ${countOf(order.lineCount, "item")}`}</span>
                </span>
                <span>
                  <span className={`badge ${late(order) ? "late" : ""}`}>{STATUS_LABEL[order.status]}</span>{" "}
                  <DeliveryDate outlook={deliveryOutlook(order, order.expectedAt, now)} zone={zone} />
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="returns-heading">
        <h2 id="returns-heading">Returns in progress</h2>
        {returns.length === 0 ? (
          <p className="muted">No returns in progress.</p>
        ) : (
          <ul className="list card" data-testid="returns-in-progress">
            {returns.map(({ ret, dateLine }) => (
              <li key={ret.id} className="row">
                <span>
                  <Link href={`/returns/${ret.number}`}>{`Return ${ret.number}`}</Link> for order <Link href={`/orders/${ret.orderNumber}`}>{ret.orderNumber}</Link>
                  {dateLine ? <span className="muted">{` · ${dateLine}`}</span> : null}
                </span>
                <span className={statusBadgeClass(ret.status)}>{RETURN_STATUS_LABEL[ret.status]}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      {recentlyDelivered.length ? (
        <section aria-labelledby="again-heading">
          <h2 id="again-heading">Delivered recently</h2>
          <ul className="list card" data-testid="recently-delivered">
            {recentlyDelivered.map((order) => (
              <li key={order.id} className="row">
                <span>
                  <Link href={`/orders/${order.number}`}>{`Order ${order.number}`}</Link>
                  <span className="muted">{` · ${order.productNames.join(", ")}`}</span>
                </span>
                <Link href={`/orders/${order.number}/buy-again`} className="button secondary">Buy again<span className="sr-only"> order {order.number}</span></Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

function AttentionRow({ item, zone }: { item: AttentionItem; zone: string | null }) {
  switch (item.kind) {
    case "payment_due":
      return (
        <li className="row">
          <Link href={`/orders/${item.orderNumber}/pay`}>Order {item.orderNumber}: a payment is due</Link>
          <span className="badge failed">{formatMoney(item.amountMinor, item.currency)} due</span>
        </li>
      );
    case "label_ready": {
      const ready = readyToSend(item, zone);
      return (
        <li className="row">
          <Link href={`/returns/${item.returnNumber}`}>{ready.line}</Link>
          <span className="badge">{ready.badge}</span>
        </li>
      );
    }
    case "late":
      return (
        <li className="row">
          <Link href={`/orders/${item.orderNumber}`}>Order {item.orderNumber} is late</Link>
          <span className="badge late">Late</span>
        </li>
      );
  }
}

function DeliveryDate({ outlook, zone }: { outlook: DeliveryOutlook; zone: string | null }) {
  return <span className="muted">{outlook.kind === "after_payment" ? "delivery date once paid" : outlook.kind === "expected" ? `expected ${formatDate(outlook.on, zone)}` : "new date to follow"}</span>;
}

function Welcome() {
  return (
    <div className="narrow stack">
      <h1>Your orders, returns and account — in your hands</h1>
      <p className="muted">Track a parcel, change a delivery address, start a return or update your details without waiting on the phone.</p>
      <p>
        <Link href="/signin" className="button">Sign in</Link>
      </p>
      <p>
        New here? <Link href="/signup">Create an account</Link>
      </p>
    </div>
  );
}
