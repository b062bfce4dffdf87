import type { Metadata } from "next";
import Link from "@/components/link";
import { ContactUs } from "@/components/contact-us";
import { JourneyStep } from "@/components/journey";
import { ProductThumbnail } from "@/components/product-thumbnail";
import { TaskLink } from "@/components/task-link";
import { requireCustomer } from "@/lib/auth/principal";
import { creditBalances } from "@/lib/credit/ledger";
import { db } from "@/lib/db/client";
import { formatCalendarDate, formatDate } from "@/lib/format/date";
import { formatMoney } from "@/lib/format/money";
import { activePolicy } from "@/lib/returns/policy-store";
import { customerReturns, returnableOrders } from "@/lib/returns/returns";
import { RETURN_STATUS_LABEL, statusBadgeClass } from "@/lib/returns/status";
import { countOf } from "@/lib/format/plural";

export const metadata: Metadata = { title: "Returns" };

export default async function ReturnsPage() {
  const principal = await requireCustomer("/returns");
  const [returnable, returns, credit, policy] = await Promise.all([
    returnableOrders(db(), principal.userId),
    customerReturns(db(), principal.userId),
    creditBalances(db(), principal.userId),
    activePolicy(db()),
  ]);

  return (
    <div className="stack">
      <JourneyStep type="return_tracking" step="list" />
      <h1>Returns</h1>

      <section aria-labelledby="start-heading">
        <h2 id="start-heading">Start a return</h2>
        {returnable.length === 0 ? (
          <p className="muted">
            Nothing to return right now. You can return most items within {policy.rules.windowDays.default} days of delivery; your <Link href="/orders">orders</Link> show what arrived when.
          </p>
        ) : (
          <ul className="list card" data-testid="returnable-orders">
            {returnable.map((context) => {
              const open = context.eligibility.filter((e) => e.returnable > 0);
              const lastDays = open.map((e) => e.lastDay).filter((d) => d !== null);
              const until = lastDays.length ? formatCalendarDate(lastDays.reduce((a, b) => (Date.UTC(a.year, a.month - 1, a.day) <= Date.UTC(b.year, b.month - 1, b.day) ? a : b))) : null;
              return (
                <li key={context.orderId} className="row">
                  <span>
                    Order <strong>{context.order.number}</strong>
                    <span className="muted">
                      {` · delivered ${context.order.deliveredAt ? formatDate(context.order.deliveredAt, principal.timeZone) : ""} · ${countOf(open.reduce((n, e) => n + e.returnable, 0), "item")} to return${until ? ` until ${until}` : ""}`}
                    </span>
                  </span>
                  <TaskLink journey="return" step="order" href={`/orders/${context.order.number}/return`}>
                    Return items<span className="sr-only"> from order {context.order.number}</span>
                  </TaskLink>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section aria-labelledby="returns-heading">
        <h2 id="returns-heading">Your returns</h2>
        {returns.length === 0 ? (
          <p className="muted">You have not returned anything yet. When you do, you follow it here from the label to the money back.</p>
        ) : (
          <ul className="list card" data-testid="returns-list">
            {returns.map((r) => (
              <li key={r.number} className="item-row">
                {r.firstItem ? <ProductThumbnail name={r.firstItem.productName} category={r.firstItem.category} /> : null}
                <span className="item-words muted">
                  <Link href={`/returns/${r.number}`}>{`Return ${r.number}`}</Link>
                  {` for order ${r.order.number} · ${formatDate(r.createdAt, principal.timeZone)} · ${countOf(r.itemCount, "item")} · ${r.resolution !== "EXCHANGE" ? formatMoney(r.refundMinor + r.bonusMinor, r.currency) : "exchange"}`}
                </span>
                <span className={statusBadgeClass(r.status)}>{RETURN_STATUS_LABEL[r.status]}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      {credit.length ? (
        <section className="card" aria-labelledby="credit-heading">
          <h2 id="credit-heading">Store credit</h2>
          <ul className="list">
            {credit.map((c) => (
              <li key={c.currency} className="row">
                <span>Available to spend</span>
                <strong data-testid={`credit-${c.currency}`}>{formatMoney(c.balanceMinor, c.currency)}</strong>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <ContactUs journey="return_tracking" step="list" />
    </div>
  );
}
