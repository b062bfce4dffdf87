import Link from "next/link";
import { redirect } from "next/navigation";
import { currentPrincipal, staffHome } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { formatDate } from "@/lib/format/date";
import { formatMoney } from "@/lib/format/money";
import { creditBalances } from "@/lib/credit/ledger";
import { customerOverview } from "@/lib/orders/queries";
import { deliveryEstimate, isLate, needsAttention, STATUS_LABEL } from "@/lib/orders/status";
import { countOf } from "@/lib/format/plural";

export default async function HomePage() {
  const principal = await currentPrincipal();
  if (!principal) return <Welcome />;
  if (principal.role !== "CUSTOMER") redirect(staffHome(principal.role));

  const now = new Date();
  const [{ ordersInProgress, returnsInProgress }, credit] = await Promise.all([customerOverview(db(), principal.userId), creditBalances(db(), principal.userId)]);
  const attention = ordersInProgress
    .map((order) => ({ order, reason: needsAttention({ ...order, deliveredAt: order.shipments[0]?.deliveredAt }, now) }))
    .filter((item): item is { order: (typeof ordersInProgress)[number]; reason: string } => item.reason !== null);

  return (
    <div className="stack">
      <h1>Hello, {principal.name.split(" ")[0]}</h1>

      <section aria-labelledby="attention-heading">
        <h2 id="attention-heading">Needs your attention</h2>
        {attention.length === 0 ? (
          <p className="muted">Nothing needs your attention right now.</p>
        ) : (
          <ul className="list card">
            {attention.map(({ order, reason }) => (
              <li key={order.id} className="row">
                <span>
                  <Link href={`/orders/${order.number}`}>Order {order.number}</Link> — {reason}
                </span>
                {order.balanceDueMinor > 0 ? <span className="badge failed">{formatMoney(order.balanceDueMinor, order.currency)} due</span> : <span className="badge late">Late</span>}
              </li>
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
                  <Link href={`/orders/${order.number}`}>Order {order.number}</Link>
                  <span className="muted"> · placed {formatDate(order.placedAt, principal.timeZone)} · {countOf(order._count.lines, "item")}</span>
                </span>
                <span>
                  <span className={`badge ${isLate({ ...order, deliveredAt: order.shipments[0]?.deliveredAt }, now) ? "late" : ""}`}>{STATUS_LABEL[order.status]}</span>{" "}
                  <DeliveryDate estimate={deliveryEstimate(order.shipments[0]?.expectedAt, order.promisedDeliveryAt, now)} zone={principal.timeZone} />
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="returns-heading">
        <h2 id="returns-heading">Returns in progress</h2>
        {returnsInProgress.length === 0 ? (
          <p className="muted">No returns in progress.</p>
        ) : (
          <ul className="list card">
            {returnsInProgress.map((ret) => (
              <li key={ret.id} className="row">
                <span>
                  <Link href={`/returns/${ret.number}`}>Return {ret.number}</Link> for order <Link href={`/orders/${ret.order.number}`}>{ret.order.number}</Link>
                </span>
                <span className="badge">{ret.status.replaceAll("_", " ").toLowerCase()}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function DeliveryDate({ estimate, zone }: { estimate: Date | null; zone: string | null }) {
  return <span className="muted">{estimate ? `expected ${formatDate(estimate, zone)}` : "new date to follow"}</span>;
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
