// The filters every analyst page shares, as a plain GET form: each view is a link to share or export.
import Link from "@/components/link";
import type { ReactNode } from "react";
import { CUSTOMER_CLASSES, CUSTOMER_LABELS, DEVICE_CLASSES, DEVICE_LABELS, type Granularity, type InsightsFilter } from "@/lib/insights/filters";
import { journeyLabel } from "@/lib/trail/labels";
import { JOURNEY_TYPES } from "@/lib/trail/journeys";

type Props = {
  action: string;
  filter: InsightsFilter;
  /** Offer the journey choice (pages about one journey carry it in their path instead). */
  withJourney?: boolean;
  granularity?: Granularity;
  problems: string[];
  children?: ReactNode;
};

export function FilterForm({ action, filter, withJourney = false, granularity, problems, children }: Props) {
  return (
    <>
      <form className="card filters no-print" method="get" action={action} role="search" aria-label="Filter the numbers">
        <div className="field">
          <label htmlFor="filter-from">From</label>
          <input id="filter-from" name="from" type="date" defaultValue={filter.from} required />
        </div>
        <div className="field">
          <label htmlFor="filter-to">Until (included)</label>
          <input id="filter-to" name="to" type="date" defaultValue={filter.to} required />
        </div>
        <div className="field">
          <label htmlFor="filter-device">Device</label>
          <select id="filter-device" name="device" defaultValue={filter.device ?? ""}>
            <option value="">All devices</option>
            {DEVICE_CLASSES.map((d) => (
              <option key={d} value={d}>{DEVICE_LABELS[d]}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-customer">Customers</label>
          <select id="filter-customer" name="customer" defaultValue={filter.customer ?? ""}>
            <option value="">New and returning</option>
            {CUSTOMER_CLASSES.map((c) => (
              <option key={c} value={c}>{CUSTOMER_LABELS[c]}</option>
            ))}
          </select>
        </div>
        {withJourney ? (
          <div className="field">
            <label htmlFor="filter-journey">Journey</label>
            <select id="filter-journey" name="journey" defaultValue={filter.journeyType ?? ""}>
              <option value="">All journeys</option>
              {JOURNEY_TYPES.map((t) => (
                <option key={t} value={t}>{journeyLabel(t)}</option>
              ))}
            </select>
          </div>
        ) : null}
        {granularity ? (
          <div className="field">
            <label htmlFor="filter-every">Per</label>
            <select id="filter-every" name="every" defaultValue={granularity}>
              <option value="day">Day</option>
              <option value="week">Week (from Monday)</option>
            </select>
          </div>
        ) : null}
        {children}
        <div className="filter-actions">
          <button type="submit" className="button">Show</button>
          <Link href={action}>Reset</Link>
        </div>
      </form>
      {problems.length ? (
        <div className="notice warn" role="status">
          {problems.map((p) => (
            <p key={p} className="tight">{p}</p>
          ))}
        </div>
      ) : null}
    </>
  );
}
