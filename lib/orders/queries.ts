// Reads of a customer's orders. Every query is scoped to the customer in its where clause, so a
// forged id or number finds nothing instead of someone else's order.
import "server-only";
import type { Db } from "@/lib/db/client";

const IN_PROGRESS = ["PENDING_PAYMENT", "PROCESSING", "SHIPPED"] as const;
const OPEN_RETURN = ["REQUESTED", "HELD_FOR_REVIEW", "APPROVED", "IN_TRANSIT", "RECEIVED", "INSPECTED"] as const;

export async function customerOverview(db: Db, userId: string) {
  const [ordersInProgress, returnsInProgress, recentlyDelivered] = await Promise.all([
    db.order.findMany({
      where: { userId, status: { in: [...IN_PROGRESS] } },
      orderBy: { placedAt: "desc" },
      take: 20,
      include: { shipments: { select: { deliveredAt: true, expectedAt: true }, take: 1, orderBy: { shippedAt: "desc" } }, _count: { select: { lines: true } } },
    }),
    db.return.findMany({
      where: { userId, status: { in: [...OPEN_RETURN] } },
      orderBy: { createdAt: "desc" },
      take: 20,
      include: { order: { select: { number: true } }, refunds: { select: { status: true, createdAt: true } } },
    }),
    // What the customer might buy again: their last few delivered orders.
    db.order.findMany({
      where: { userId, status: "DELIVERED" },
      orderBy: { placedAt: "desc" },
      take: 3,
      select: { id: true, number: true, lines: { select: { id: true, productName: true, category: true, quantity: true }, orderBy: { id: "asc" } } },
    }),
  ]);
  return { ordersInProgress, returnsInProgress, recentlyDelivered };
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
