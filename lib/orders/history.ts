// A customer's order history: newest first, filtered and searched, paginated by page number.
// Scoped to the customer in every query; served by the (userId, placedAt) index even with
// thousands of orders per customer.
import "server-only";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";

export const ORDER_STATUSES = ["PENDING_PAYMENT", "PROCESSING", "SHIPPED", "DELIVERED", "CANCELLED"] as const;
export const PAGE_SIZE = 20;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-01-31.")
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), "That date does not exist.");

export const historyQuerySchema = z
  .object({
    status: z.enum(ORDER_STATUSES).optional().catch(undefined),
    from: isoDate.optional().catch(undefined),
    to: isoDate.optional().catch(undefined),
    q: z.string().trim().max(100).optional().catch(undefined),
    page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
  })
  .transform((v) => ({ ...v, q: v.q || undefined }));

export type HistoryQuery = z.infer<typeof historyQuerySchema>;

export function parseHistoryQuery(params: Record<string, string | string[] | undefined>): HistoryQuery {
  const single = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]).filter(([, v]) => v !== undefined && v !== ""));
  return historyQuerySchema.parse(single);
}

function whereFor(userId: string, query: HistoryQuery): Prisma.OrderWhereInput {
  const placedAt: Prisma.DateTimeFilter = {};
  if (query.from) placedAt.gte = new Date(`${query.from}T00:00:00Z`);
  if (query.to) placedAt.lt = new Date(new Date(`${query.to}T00:00:00Z`).getTime() + 86_400_000);
  const search = query.q
    ? /^WM-?\d+$/i.test(query.q)
      ? { number: { startsWith: query.q.toUpperCase().replace(/^WM-?/, "WM-") } }
      : { lines: { some: { productName: { contains: query.q, mode: "insensitive" as const } } } }
    : {};
  return { userId, ...(query.status ? { status: query.status } : {}), ...(query.from || query.to ? { placedAt } : {}), ...search };
}

export async function orderHistory(db: Db, userId: string, query: HistoryQuery) {
  const where = whereFor(userId, query);
  const [total, orders] = await Promise.all([
    db.order.count({ where }),
    db.order.findMany({
      where,
      orderBy: [{ placedAt: "desc" }, { id: "desc" }],
      skip: (query.page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: {
        id: true,
        number: true,
        status: true,
        placedAt: true,
        totalMinor: true,
        currency: true,
        balanceDueMinor: true,
        promisedDeliveryAt: true,
        lines: { select: { productName: true, category: true, quantity: true }, orderBy: { id: "asc" }, take: 3 },
        _count: { select: { lines: true } },
        shipments: { select: { deliveredAt: true }, orderBy: { shippedAt: "desc" }, take: 1 },
      },
    }),
  ]);
  return { orders, total, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}
