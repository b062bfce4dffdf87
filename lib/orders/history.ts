// A customer's order history: newest first, filtered and searched, paginated by page number.
// Scoped to the customer in every query; served by the (userId, placedAt) index even with
// thousands of orders per customer.
import "server-only";
import { z } from "zod";
import { queryDirectSql, type Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { orderBilling } from "./billing";
import { orderNumberFrom } from "./order-number";

export const ORDER_STATUSES = ["PENDING_PAYMENT", "PROCESSING", "SHIPPED", "DELIVERED", "CANCELLED"] as const;
export const PAGE_SIZE = 20;
/** The search box takes this many characters; a longer search (only a link can carry one) is not run. */
export const SEARCH_MAX_CHARACTERS = 100;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-01-31.")
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), "That date does not exist.");

export const historyQuerySchema = z
  .object({
    status: z.enum(ORDER_STATUSES).optional().catch(undefined),
    from: isoDate.optional().catch(undefined),
    to: isoDate.optional().catch(undefined),
    q: z.string().trim().optional().catch(undefined),
    page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
  })
  // "From" after "until" is a range typed the wrong way round (found on a customer walk: it
  // matched nothing, unexplained): it is read the right way round, and the page says so.
  .transform((v) => {
    const reversed = Boolean(v.from && v.to && v.from > v.to);
    // Dropped without a word, a search too long left an empty box over every order (found by a walk).
    const searchTooLong = (v.q?.length ?? 0) > SEARCH_MAX_CHARACTERS;
    return { ...v, q: searchTooLong ? undefined : v.q || undefined, ...(reversed ? { from: v.to, to: v.from } : {}), datesSwapped: reversed, searchTooLong };
  });

export type HistoryQuery = z.infer<typeof historyQuerySchema>;

export function parseHistoryQuery(params: Record<string, string | string[] | undefined>): HistoryQuery {
  const single = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]).filter(([, v]) => v !== undefined && v !== ""));
  return historyQuerySchema.parse(single);
}

/** The filters as SQL over "Order" o, always scoped to the customer first. */
function conditionsFor(userId: string, query: HistoryQuery): Prisma.Sql {
  const conditions = [Prisma.sql`o."userId" = ${userId}`];
  if (query.status) conditions.push(Prisma.sql`o."status" = ${query.status}::"OrderStatus"`);
  if (query.from) conditions.push(Prisma.sql`o."placedAt" >= ${new Date(`${query.from}T00:00:00Z`)}`);
  if (query.to) conditions.push(Prisma.sql`o."placedAt" < ${new Date(new Date(`${query.to}T00:00:00Z`).getTime() + 86_400_000)}`);
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const product = Prisma.sql`EXISTS (SELECT 1 FROM "OrderLine" l WHERE l."orderId" = o."id" AND l."productName" ILIKE ${pattern})`;
    // A number is looked up as an order number however it was typed ("209300", "wm 209300"), and
    // still as a product's name too ("500" finds a 500 ml bottle). The normalised number is
    // digits after the prefix: nothing for LIKE to read as a wildcard.
    const number = orderNumberFrom(query.q);
    conditions.push(number ? Prisma.sql`(o."number" LIKE ${`${number}%`} OR ${product})` : product);
  }
  return Prisma.join(conditions, " AND ");
}

/** A row as the statement answers it: the order's billing inputs beside what the list shows. */
type HistoryRow = HistoryOrder & { total: number; subtotalMinor: number; shippingMinor: number; taxMinor: number; lines: Parameters<typeof orderBilling>[0]["lines"] };

export type HistoryOrder = {
  id: string;
  number: string;
  status: (typeof ORDER_STATUSES)[number];
  placedAt: Date;
  /** What the order bills once cancellations are taken off, as its page and invoice say (lib/orders/billing.ts). */
  totalMinor: number;
  currency: string;
  balanceDueMinor: number;
  promisedDeliveryAt: Date;
  /** The first three lines' product names, in the order they were added. */
  productNames: string[];
  /** The first line's category (its thumbnail), null for an order without lines. */
  firstCategory: string | null;
  lineCount: number;
  /** When the latest parcel arrived, if it has. */
  deliveredAt: Date | null;
};

/**
 * One page of the history in one statement (a page view was five round trips with Prisma's
 * includes): the page's orders with their first lines, line count and latest parcel, and the
 * number of matching orders. The count is its own subquery, not `count(*) OVER ()` on the page's
 * rows: a window over the page makes PostgreSQL read every matching order in full before it can
 * skip to the page, while the count alone is answered from the (userId, placedAt) index and the
 * page stops after its rows (half the database time per view at 1,000 orders). Past the last
 * page the count comes back on a row of its own, without an order.
 */
export async function orderHistory(db: Db, userId: string, query: HistoryQuery) {
  const where = conditionsFor(userId, query);
  const rows = await queryDirectSql<HistoryRow>(db, Prisma.sql`
    WITH page AS (
      SELECT o."id", o."number", o."status"::text AS "status", o."placedAt", o."subtotalMinor", o."shippingMinor", o."taxMinor", o."totalMinor",
             o."currency", o."balanceDueMinor", o."promisedDeliveryAt"
      FROM "Order" o
      WHERE ${where}
      ORDER BY o."placedAt" DESC, o."id" DESC
      OFFSET ${(query.page - 1) * PAGE_SIZE} LIMIT ${PAGE_SIZE}
    ), matching AS (
      SELECT count(*)::int AS "total" FROM "Order" o WHERE ${where}
    )
    SELECT page.*, matching."total", first."productNames", first."firstCategory", billed."lineCount", billed."lines",
           (SELECT s."deliveredAt" FROM "Shipment" s WHERE s."orderId" = page."id" ORDER BY s."shippedAt" DESC LIMIT 1) AS "deliveredAt"
    FROM matching
    LEFT JOIN page ON true
    LEFT JOIN LATERAL (
      SELECT count(*)::int AS "lineCount",
             coalesce(json_agg(json_build_object('id', l."id", 'quantity', l."quantity", 'cancelledQuantity', l."cancelledQuantity",
                                                 'unitPriceMinor', l."unitPriceMinor", 'taxMinor', l."taxMinor")), '[]') AS "lines"
      FROM "OrderLine" l WHERE l."orderId" = page."id"
    ) billed ON true
    LEFT JOIN LATERAL (
      SELECT coalesce(array_agg(l."productName" ORDER BY l."id"), '{}') AS "productNames", (array_agg(l."category" ORDER BY l."id"))[1] AS "firstCategory"
      FROM (SELECT l."productName", l."category", l."id" FROM "OrderLine" l WHERE l."orderId" = page."id" ORDER BY l."id" LIMIT 3) l
    ) first ON true
    ORDER BY page."placedAt" DESC, page."id" DESC`);
  const total = rows[0]?.total ?? 0;
  const orders: HistoryOrder[] = rows
    .filter((row) => row.id !== null)
    .map((row) => {
      const { total: _total, subtotalMinor: _subtotal, shippingMinor: _shipping, taxMinor: _tax, lines: _lines, ...order } = row;
      return { ...order, totalMinor: orderBilling(row).totalMinor };
    });
  return { orders, total, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}
