// How an order's state reads to a customer. Framework-free.
import { countOf } from "@/lib/format/plural";

export type OrderFacts = {
  status: "PENDING_PAYMENT" | "PROCESSING" | "SHIPPED" | "DELIVERED" | "CANCELLED";
  promisedDeliveryAt: Date;
  deliveredAt?: Date | null;
  balanceDueMinor: number;
};

/** An order waiting for payment is never late: nothing leaves the warehouse unpaid, so nothing was promised yet. */
export function isLate(order: OrderFacts, now: Date): boolean {
  if (order.status === "CANCELLED" || order.status === "PENDING_PAYMENT") return false;
  if (order.deliveredAt) return order.deliveredAt.getTime() > order.promisedDeliveryAt.getTime();
  return now.getTime() > order.promisedDeliveryAt.getTime();
}

/** How late a delivered order came, in days begun: "1 day late", "3 days late". */
export function lateBy(promisedDeliveryAt: Date, deliveredAt: Date): string {
  return `${countOf(Math.ceil((deliveredAt.getTime() - promisedDeliveryAt.getTime()) / 86_400_000), "day")} late`;
}

/**
 * The delivery date to show for an order on its way: the carrier's latest estimate, or the promise
 * while no estimate exists; null when that date has passed (a date in the past is no estimate).
 */
export function deliveryEstimate(carrierExpectedAt: Date | null | undefined, promisedDeliveryAt: Date, now: Date): Date | null {
  const estimate = carrierExpectedAt ?? promisedDeliveryAt;
  return estimate.getTime() > now.getTime() ? estimate : null;
}

export type DeliveryOutlook = { kind: "after_payment" } | { kind: "expected"; on: Date } | { kind: "to_follow" };

/**
 * What an order in progress may say about its delivery. An unpaid order gets no date: it is sent
 * only once paid, so the date it was promised when placed no longer holds, and any other would be a guess.
 */
export function deliveryOutlook(order: Pick<OrderFacts, "status" | "promisedDeliveryAt">, carrierExpectedAt: Date | null | undefined, now: Date): DeliveryOutlook {
  if (order.status === "PENDING_PAYMENT") return { kind: "after_payment" };
  const on = deliveryEstimate(carrierExpectedAt, order.promisedDeliveryAt, now);
  return on ? { kind: "expected", on } : { kind: "to_follow" };
}

/**
 * How long a delivered order counts as "delivered recently" on the overview (where it is offered
 * to buy again): a month. Older deliveries are in the order history; listing one from May in
 * December as recent was found by a customer walk.
 */
export const RECENTLY_DELIVERED_DAYS = 30;

/** The earliest delivery that is still recent at `now`. */
export function recentlyDeliveredSince(now: Date): Date {
  return new Date(now.getTime() - RECENTLY_DELIVERED_DAYS * 86_400_000);
}

/** The carrier's own tracking page for a parcel, for the carriers we ship with; null for any other. */
export function trackingUrl(carrier: string, trackingNumber: string): string | null {
  const pages: Record<string, string> = { Parcelnet: "https://track.parcelnet.example/parcel/", SwiftPost: "https://www.swiftpost.example/track?number=" };
  return Object.hasOwn(pages, carrier) ? `${pages[carrier]}${encodeURIComponent(trackingNumber)}` : null;
}

export function isInProgress(order: OrderFacts): boolean {
  return order.status === "PENDING_PAYMENT" || order.status === "PROCESSING" || order.status === "SHIPPED";
}

/** Why an order can no longer be cancelled: the cancel page and help in place say it in these same words. */
export function whyNotCancellable(status: OrderFacts["status"]): string {
  if (status === "CANCELLED") return "This order is already cancelled.";
  if (status === "DELIVERED") return "This order has been delivered, so it can no longer be cancelled. You can return what you do not want instead.";
  return "This order has already left our warehouse, so it can no longer be cancelled. Once it arrives you can return what you do not want.";
}

/** The code an address change is refused with once the order can no longer take one (the page and the task alike). */
export function addressFixedCode(status: OrderFacts["status"]): "order_cancelled" | "order_already_shipped" {
  return status === "CANCELLED" ? "order_cancelled" : "order_already_shipped";
}

/** Why an order's delivery address can no longer be changed: its page and a refused change say it in these same words. */
export function whyAddressIsFixed(status: OrderFacts["status"]): string {
  if (status === "CANCELLED") return "This order is cancelled, so there is no delivery to change.";
  if (status === "DELIVERED") return "This order has been delivered, so its address can no longer be changed.";
  return "This order has already left our warehouse, so its address can no longer be changed. If the carrier cannot deliver, they leave a note with options.";
}

export type AttentionItem =
  | { kind: "payment_due"; orderNumber: string; amountMinor: number; currency: string }
  | { kind: "label_ready"; returnNumber: string; method: "LABEL" | "DROP_OFF" | "PICKUP"; sendBy: Date; pickupDate: Date | null }
  | { kind: "late"; orderNumber: string };

type AttentionOrder = OrderFacts & { number: string; currency: string };
type AttentionReturn = { number: string; method: "LABEL" | "DROP_OFF" | "PICKUP"; pickupDate: Date | null; due: { kind: string; by: Date; labelReady?: boolean } | null };

/**
 * What the overview asks the customer to act on, most pressing first: money owed, then a return
 * label or code waiting to be used, then late parcels (an order both owing and late shows once, as owing).
 */
export function attentionItems(orders: AttentionOrder[], returns: AttentionReturn[], now: Date): AttentionItem[] {
  return [
    ...orders.filter((o) => o.balanceDueMinor > 0).map((o): AttentionItem => ({ kind: "payment_due", orderNumber: o.number, amountMinor: o.balanceDueMinor, currency: o.currency })),
    ...returns.flatMap((r): AttentionItem[] => (r.due?.kind === "send_by" && r.due.labelReady ? [{ kind: "label_ready", returnNumber: r.number, method: r.method, sendBy: r.due.by, pickupDate: r.pickupDate }] : [])),
    ...orders.filter((o) => o.balanceDueMinor === 0 && isInProgress(o) && isLate(o, now)).map((o): AttentionItem => ({ kind: "late", orderNumber: o.number })),
  ];
}

export const STATUS_LABEL: Record<OrderFacts["status"], string> = {
  PENDING_PAYMENT: "Waiting for payment",
  PROCESSING: "Being prepared",
  SHIPPED: "On its way",
  DELIVERED: "Delivered",
  CANCELLED: "Cancelled",
};

type PaymentStatus = "AUTHORIZED" | "PAID" | "FAILED" | "PARTIALLY_REFUNDED" | "REFUNDED";
const PAYMENT_LABEL: Record<PaymentStatus, string> = { AUTHORIZED: "Authorised, charged when it ships", PAID: "Paid", FAILED: "Payment failed", PARTIALLY_REFUNDED: "Partly refunded", REFUNDED: "Refunded" };

/**
 * An order's payment as its page states it. An order still waiting for payment says so in the same
 * words as its status: its declined charge is history once a new payment is asked for, and "Payment
 * failed" beside "Waiting for payment" read as two different states of one order.
 */
export function paymentLabel(order: { status: OrderFacts["status"]; paymentStatus: PaymentStatus }): string {
  return order.status === "PENDING_PAYMENT" ? STATUS_LABEL.PENDING_PAYMENT : PAYMENT_LABEL[order.paymentStatus];
}
