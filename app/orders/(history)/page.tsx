import type { Metadata } from "next";
import Link from "@/components/link";
import { ProductThumbnail, ThumbnailShapes } from "@/components/product-thumbnail";
import { ContactUs } from "@/components/contact-us";
import { JourneyStep } from "@/components/journey";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { formatDate } from "@/lib/format/date";
import { formatMoney } from "@/lib/format/money";
import { ORDER_STATUSES, orderHistory, parseHistoryQuery, type HistoryQuery } from "@/lib/orders/history";
import { isLate, STATUS_LABEL } from "@/lib/orders/status";
import { countOf, plural } from "@/lib/format/plural";
import { CollapsibleFilters } from "@/components/collapsible-filters";

export const metadata: Metadata = { title: "Your orders" };

function pageHref(query: HistoryQuery, page: number) {
  const params = new URLSearchParams();
  if (query.status) params.set("status", query.status);
  if (query.from) params.set("from", query.from);
  if (query.to) params.set("to", query.to);
  if (query.q) params.set("q", query.q);
  params.set("page", String(page));
  return `/orders?${params}`;
}

export default async function OrdersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const principal = await requireCustomer("/orders");
  const query = parseHistoryQuery(await searchParams);
  const { orders, total, pages } = await orderHistory(db(), principal.userId, query);
  const filtered = Boolean(query.status || query.from || query.to || query.q);
  const now = new Date();

  return (
    <div className="stack">
      <JourneyStep type="order_tracking" step="history" />
      <h1>Your orders</h1>
      <CollapsibleFilters label={filtered ? "Change filters" : "Find or filter orders"} active={filtered}>
        <form className="card filters" method="get" role="search" aria-label="Find orders">
          <div className="field">
            <label htmlFor="q">Order number or product</label>
            <input id="q" name="q" defaultValue={query.q ?? ""} maxLength={100} placeholder="WM-123456 or “linen shirt”" />
          </div>
          <div className="field">
            <label htmlFor="status">Status</label>
            <select id="status" name="status" defaultValue={query.status ?? ""}>
              <option value="">Any status</option>
              {ORDER_STATUSES.map((s) => (
                <option key={s} value={s}>{STATUS_LABEL[s]}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="from">Placed from</label>
            <input id="from" name="from" type="date" defaultValue={query.from ?? ""} />
          </div>
          <div className="field">
            <label htmlFor="to">Placed until</label>
            <input id="to" name="to" type="date" defaultValue={query.to ?? ""} />
          </div>
          <div className="filter-actions">
            <button type="submit" className="button">Show orders</button>
            {filtered ? <Link href="/orders">Clear filters</Link> : null}
          </div>
        </form>
      </CollapsibleFilters>

      <p className="muted" role="status">
        {total === 0 ? "" : `${countOf(total, "order")}${filtered ? plural(total, " matches", " match") : ""}`}
      </p>

      {orders.length === 0 ? (
        <div className="card">
          {filtered ? (
            <p>No orders match these filters. <Link href="/orders">Show all orders</Link></p>
          ) : (
            <>
              <p>You have not placed any orders yet.</p>
              <p className="muted">Orders you place in the Waymark shop appear here within minutes, to track, pay, change or return. A question before you order? The <Link href="/help">help centre</Link> answers it.</p>
            </>
          )}
        </div>
      ) : (
        <>
          <ThumbnailShapes categories={orders.flatMap((order) => (order.firstCategory ? [order.firstCategory] : []))} />
          <ul className="list card" data-testid="order-list">
            {orders.map((order) => {
              const late = isLate(order, now);
              // Each run of text is one string: one text node, no separators in the HTML, one value in the RSC payload.
              const more = order.lineCount > order.productNames.length ? ` and ${order.lineCount - order.productNames.length} more` : "";
              return (
                // As few elements as the layout needs (app/globals.css, .item-row): each is rendered twice
                // per request (RSC, then HTML) and hydrated once, for every row of the page.
                <li key={order.id} className="item-row">
                  {order.firstCategory ? <ProductThumbnail name={order.productNames[0]} category={order.firstCategory} shared /> : null}
                  <span className="item-words muted">
                    <Link href={`/orders/${order.number}`}>{`Order ${order.number}`}</Link>
                    {` · ${formatDate(order.placedAt, principal.timeZone)} · ${formatMoney(order.totalMinor, order.currency)}`}
                    <span className="item-detail small">{`${order.productNames.join(", ")}${more}`}</span>
                  </span>
                  <span className={`badge ${late && order.status !== "DELIVERED" ? "late" : order.status === "DELIVERED" ? "done" : ""}`}>{STATUS_LABEL[order.status]}</span>
                  {order.balanceDueMinor > 0 ? <span className="badge failed">{` ${formatMoney(order.balanceDueMinor, order.currency)} due`}</span> : null}
                </li>
              );
            })}
          </ul>
        </>
      )}

      {pages > 1 ? (
        <nav aria-label="Pages" className="row pager">
          {query.page > 1 ? <Link href={pageHref(query, query.page - 1)} rel="prev">← Newer</Link> : <span />}
          <span className="muted">
            Page {query.page} of {pages}
          </span>
          {query.page < pages ? <Link href={pageHref(query, query.page + 1)} rel="next">Older →</Link> : <span />}
        </nav>
      ) : null}
      <ContactUs journey="order_tracking" step="history" />
    </div>
  );
}
