// Reads of a customer's orders. Every query is scoped to the customer in its where clause, so a
// forged id or number finds nothing instead of someone else's order.
import "server-only";
import type { Db } from "@/lib/db/client";

const IN_PROGRESS = ["PENDING_PAYMENT", "PROCESSING", "SHIPPED"] as const;
const OPEN_RETURN = ["REQUESTED", "HELD_FOR_REVIEW", "APPROVED", "IN_TRANSIT", "RECEIVED", "INSPECTED"] as const;

export async function customerOverview(db: Db, userId: string) {
  const [ordersInProgress, returnsInProgress, recentDelivered] = await Promise.all([
    db.order.findMany({
      where: { userId, status: { in: [...IN_PROGRESS] } },
      orderBy: { placedAt: "desc" },
      take: 20,
      include: { shipments: { select: { deliveredAt: true, expectedAt: true }, take: 1, orderBy: { shippedAt: "desc" } }, _count: { select: { lines: true } } },
    }),
    db.return.findMany({ where: { userId, status: { in: [...OPEN_RETURN] } }, orderBy: { createdAt: "desc" }, take: 20, include: { order: { select: { number: true } } } }),
    db.order.count({ where: { userId, status: "DELIVERED" } }),
  ]);
  return { ordersInProgress, returnsInProgress, deliveredCount: recentDelivered };
}

export async function findCustomerOrder(db: Db, userId: string, number: string) {
  return db.order.findFirst({
    where: { number, userId },
    include: {
      lines: { orderBy: { id: "asc" } },
      history: { orderBy: { at: "asc" } },
      shipments: { include: { events: { orderBy: { at: "desc" } } }, orderBy: { shippedAt: "asc" } },
      returns: { select: { number: true, status: true, createdAt: true } },
    },
  });
}
