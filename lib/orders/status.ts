// How an order's state reads to a customer. Framework-free.
export type OrderFacts = {
  status: "PENDING_PAYMENT" | "PROCESSING" | "SHIPPED" | "DELIVERED" | "CANCELLED";
  promisedDeliveryAt: Date;
  deliveredAt?: Date | null;
  balanceDueMinor: number;
};

export function isLate(order: OrderFacts, now: Date): boolean {
  if (order.status === "CANCELLED") return false;
  if (order.deliveredAt) return order.deliveredAt.getTime() > order.promisedDeliveryAt.getTime();
  return now.getTime() > order.promisedDeliveryAt.getTime();
}

export function isInProgress(order: OrderFacts): boolean {
  return order.status === "PENDING_PAYMENT" || order.status === "PROCESSING" || order.status === "SHIPPED";
}

export function needsAttention(order: OrderFacts, now: Date): string | null {
  if (order.balanceDueMinor > 0) return "A payment is due on this order.";
  if (isInProgress(order) && isLate(order, now)) return "This order is late.";
  return null;
}

export const STATUS_LABEL: Record<OrderFacts["status"], string> = {
  PENDING_PAYMENT: "Waiting for payment",
  PROCESSING: "Being prepared",
  SHIPPED: "On its way",
  DELIVERED: "Delivered",
  CANCELLED: "Cancelled",
};
