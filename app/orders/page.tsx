import type { Metadata } from "next";
import Link from "@/components/link";
import { ContactUs } from "@/components/contact-us";
import { JourneyStep } from "@/components/journey";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { formatDate } from "@/lib/format/date";
import { formatMoney } from "@/lib/format/money";
import { ORDER_STATUSES, orderHistory, parseHistoryQuery, SEARCH_MAX_CHARACTERS, type HistoryQuery } from "@/lib/orders/history";
import { isLate, STATUS_LABEL } from "@/lib/orders/status";
import { countOf, plural } from "@/lib/format/plural";
import { OrderFilters } from "./order-filters";
import { OrderList } from "./order-list";

export const metadata: Metadata = { title: "Your orders" };

/** A filter's date as the customer reads dates ("2026-11-01" is "1 Nov 2026"). */
const isoDay = (day: string) => formatDate(new Date(`${day}T00:00:00Z`), "UTC");

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
  const pastLast = orders.length === 0 && total > 0;
  const now = new Date();

  return (
    <div className="stack">
      <JourneyStep type="order_tracking" step="history" />
      <h1>Your orders</h1>
      <OrderFilters values={{ q: query.q, status: query.status, from: query.from, to: query.to }} filtered={filtered} statuses={ORDER_STATUSES.map((value) => ({ value, label: STATUS_LABEL[value] }))} />

      {query.searchTooLong ? (
        <p className="notice warn" role="status">
          That search was too long to run: a search can be up to {SEARCH_MAX_CHARACTERS} characters. Type an order number or a product&apos;s name.
        </p>
      ) : null}
      <p className="muted" role="status">
        {total === 0 ? "" : `${countOf(total, "order")}${filtered ? plural(total, " matches", " match") : ""}`}
        {query.datesSwapped ? `${total === 0 ? "" : " · "}The dates were the wrong way round, so these are orders placed from ${isoDay(query.from!)} until ${isoDay(query.to!)}.` : ""}
      </p>

      {orders.length === 0 ? (
        <div className="card">
          {pastLast ? (
            // A page past the last (an old link, a typed address): the customer has orders, so
            // never the empty-account text (found by a customer walk).
            <p>
              There is no page {query.page}: {plural(pages, "these orders fit on one page.", `these orders fit on ${pages} pages.`)}{" "}
              <Link href={pageHref(query, pages)}>{pages === 1 ? "Go to the first page" : "Go to the last page"}</Link>
            </p>
          ) : filtered ? (
            <p>No orders match these filters. <Link href="/orders">Show all orders</Link></p>
          ) : (
            <>
              <p>You have not placed any orders yet.</p>
              <p className="muted">Orders you place in the Waymark shop appear here within minutes, to track, pay, change or return. A question before you order? The <Link href="/help">help centre</Link> answers it.</p>
            </>
          )}
        </div>
      ) : (
        <OrderList
          rows={orders.map((order) => {
            const late = isLate(order, now);
            const more = order.lineCount > order.productNames.length ? ` and ${order.lineCount - order.productNames.length} more` : "";
            return {
              id: order.id,
              number: order.number,
              summary: ` · ${formatDate(order.placedAt, principal.timeZone)} · ${formatMoney(order.totalMinor, order.currency)}`,
              products: `${order.productNames.join(", ")}${more}`,
              thumbnail: order.firstCategory ? { name: order.productNames[0], category: order.firstCategory } : null,
              status: STATUS_LABEL[order.status],
              tone: late && order.status !== "DELIVERED" ? "late" : order.status === "DELIVERED" ? "done" : "",
              due: order.balanceDueMinor > 0 ? ` ${formatMoney(order.balanceDueMinor, order.currency)} due` : null,
            };
          })}
        />
      )}

      {pages > 1 && !pastLast ? (
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
