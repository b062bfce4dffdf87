"use client";
// The history's filters, a client component for the same reason as its rows (./order-list.tsx):
// a form of a dozen fields and options costs the server less as data than as an element tree.
import Link from "@/components/link";
import { CollapsibleFilters } from "@/components/collapsible-filters";

export type OrderFilterValues = { q?: string; status?: string; from?: string; to?: string };

/** `filtered`: whether any filter is in use (the page decides it, from the query it parsed). */
export function OrderFilters({ values, filtered, statuses }: { values: OrderFilterValues; filtered: boolean; statuses: { value: string; label: string }[] }) {
  return (
    <CollapsibleFilters label={filtered ? "Change filters" : "Find or filter orders"} active={filtered}>
      <form className="card filters" method="get" role="search" aria-label="Find orders">
        <div className="field field-search">
          <label htmlFor="q">Order number or product</label>
          <input id="q" name="q" defaultValue={values.q ?? ""} maxLength={100} placeholder="WM-123456 or “linen shirt”" />
        </div>
        <div className="field">
          <label htmlFor="status">Status</label>
          <select id="status" name="status" defaultValue={values.status ?? ""}>
            <option value="">Any status</option>
            {statuses.map((s) => (
              <option key={s.value} value={s.value}>{s.label}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="from">Placed from</label>
          <input id="from" name="from" type="date" defaultValue={values.from ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="to">Placed until</label>
          <input id="to" name="to" type="date" defaultValue={values.to ?? ""} />
        </div>
        <div className="filter-actions">
          <button type="submit" className="button">Show orders</button>
          {filtered ? <Link href="/orders">Clear filters</Link> : null}
        </div>
      </form>
    </CollapsibleFilters>
  );
}
