// The measured lift of proactive notices: for each notice type, the orders told and the orders held
// out, and how often their customers then contacted us (Contact) or left a self-service task for
// another channel (an EXITED journey) within the follow-up window, per 100 affected orders. The
// difference between the groups is what the notice saved.
import { filterInstants, type InsightsFilter } from "./filters";
import type { SqlClient } from "./refresh";
import type { ReportTable } from "./tables";

/** How long after a notice (or its hold-out) a contact or exit is counted as about it. */
export const FOLLOW_UP_DAYS = 14;

export type NoticeLiftRow = { type: string; group: "NOTICE" | "HELD_OUT"; orders: number; contacts: number; exits: number };

export async function noticeLift(db: SqlClient, range: { from: Date; until: Date }): Promise<NoticeLiftRow[]> {
  return db.$queryRaw<NoticeLiftRow[]>`
    SELECT n."type", n."group"::text AS "group", count(*)::int AS orders,
           coalesce(sum((SELECT count(*) FROM "Contact" c WHERE c."userId" = n."userId"
                           AND c."createdAt" >= n."decidedAt" AND c."createdAt" < n."decidedAt" + make_interval(days => ${FOLLOW_UP_DAYS}))), 0)::int AS contacts,
           coalesce(sum((SELECT count(*) FROM "Journey" j WHERE j."userId" = n."userId" AND j."outcome" = 'EXITED'
                           AND j."endedAt" >= n."decidedAt" AND j."endedAt" < n."decidedAt" + make_interval(days => ${FOLLOW_UP_DAYS}))), 0)::int AS exits
    FROM "ProactiveNotice" n
    WHERE n."decidedAt" >= ${range.from} AND n."decidedAt" < ${range.until}
    GROUP BY n."type", n."group" ORDER BY n."type", n."group"`;
}

const per100 = (count: number, orders: number) => (orders ? (100 * count) / orders : null);

export async function noticeLiftTable(db: SqlClient, filter: InsightsFilter): Promise<ReportTable> {
  const rows = await noticeLift(db, filterInstants(filter));
  return {
    title: "Proactive notices against the hold-out group",
    caption: `Orders told before the customer asked (late order, late refund, return window closing) and orders held out, with their customers' contacts and exits to another channel in the ${FOLLOW_UP_DAYS} days after, per 100 orders. The difference between the groups is the notice's lift.`,
    columns: [
      { key: "notice", label: "Notice", format: "text" },
      { key: "group", label: "Group", format: "text" },
      { key: "orders", label: "Affected orders", format: "count" },
      { key: "contactsPer100", label: "Contacts per 100 orders", format: "decimal" },
      { key: "exitsPer100", label: "Channel exits per 100 orders", format: "decimal" },
    ],
    rows: rows.map((r) => ({
      cells: {
        notice: r.type.replaceAll("_", " "),
        group: r.group === "NOTICE" ? "told" : "hold-out",
        orders: r.orders,
        contactsPer100: per100(r.contacts, r.orders),
        exitsPer100: per100(r.exits, r.orders),
      },
    })),
  };
}
