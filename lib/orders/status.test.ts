import { describe, expect, it } from "vitest";
import { attentionItems, deliveryEstimate, deliveryOutlook, isInProgress, isLate, lateBy, paymentLabel, recentlyDeliveredSince, trackingUrl, whyAddressIsFixed } from "./status";

const now = new Date("2026-11-25T12:00:00Z");
const promised = new Date("2026-11-20T00:00:00Z");

describe("order status for customers", () => {
  it("counts a delivery as recent for 30 days", () => {
    expect(recentlyDeliveredSince(now)).toEqual(new Date("2026-10-26T12:00:00Z"));
  });

  it("calls an undelivered order late once its promised date has passed", () => {
    expect(isLate({ status: "SHIPPED", promisedDeliveryAt: promised, balanceDueMinor: 0 }, now)).toBe(true);
    expect(isLate({ status: "SHIPPED", promisedDeliveryAt: new Date("2026-11-30T00:00:00Z"), balanceDueMinor: 0 }, now)).toBe(false);
  });

  it("shows the carrier's estimate while it is ahead, never a date that has passed", () => {
    const later = new Date("2026-11-27T00:00:00Z");
    expect(deliveryEstimate(later, promised, now)).toEqual(later);
    expect(deliveryEstimate(null, promised, now)).toBeNull();
    expect(deliveryEstimate(new Date("2026-11-24T00:00:00Z"), promised, now)).toBeNull();
    expect(deliveryEstimate(null, later, now)).toEqual(later);
  });

  it("promises no delivery date and no lateness for an order waiting for payment, whatever date it was placed with", () => {
    const unpaid = { status: "PENDING_PAYMENT", promisedDeliveryAt: new Date("2026-11-30T00:00:00Z"), balanceDueMinor: 1200 } as const;
    expect(deliveryOutlook(unpaid, null, now)).toEqual({ kind: "after_payment" });
    expect(isLate({ ...unpaid, promisedDeliveryAt: promised }, now)).toBe(false);
    expect(deliveryOutlook({ status: "PROCESSING", promisedDeliveryAt: unpaid.promisedDeliveryAt }, null, now)).toEqual({ kind: "expected", on: unpaid.promisedDeliveryAt });
    expect(deliveryOutlook({ status: "SHIPPED", promisedDeliveryAt: promised }, null, now)).toEqual({ kind: "to_follow" });
  });

  it("states an unpaid order's payment in the words of its status, not as the failed charge behind it", () => {
    expect(paymentLabel({ status: "PENDING_PAYMENT", paymentStatus: "FAILED" })).toBe("Waiting for payment");
    expect(paymentLabel({ status: "PROCESSING", paymentStatus: "PAID" })).toBe("Paid");
    expect(paymentLabel({ status: "CANCELLED", paymentStatus: "REFUNDED" })).toBe("Refunded");
  });

  it("links a tracking number to its carrier's page, escaped", () => {
    expect(trackingUrl("Parcelnet", "PN 12/3")).toBe("https://track.parcelnet.example/parcel/PN%2012%2F3");
    expect(trackingUrl("Unknown", "X1")).toBeNull();
    // A name the back office sends is not a key of any object: no link from what every object inherits.
    expect(trackingUrl("constructor", "X1")).toBeNull();
    expect(trackingUrl("__proto__", "X1")).toBeNull();
  });

  it("judges a delivered order by its delivery date, and never calls a cancelled one late", () => {
    expect(isLate({ status: "DELIVERED", promisedDeliveryAt: promised, deliveredAt: new Date("2026-11-22T00:00:00Z"), balanceDueMinor: 0 }, now)).toBe(true);
    expect(isLate({ status: "DELIVERED", promisedDeliveryAt: promised, deliveredAt: new Date("2026-11-19T00:00:00Z"), balanceDueMinor: 0 }, now)).toBe(false);
    expect(isLate({ status: "CANCELLED", promisedDeliveryAt: promised, balanceDueMinor: 0 }, now)).toBe(false);
  });

  it("asks for attention for money owed first, then a return label to use, then lateness, and not for finished orders", () => {
    const sendBy = new Date("2026-12-01T00:00:00Z");
    const items = attentionItems(
      [
        { number: "WM-000001", currency: "GBP", status: "SHIPPED", promisedDeliveryAt: promised, balanceDueMinor: 0 },
        { number: "WM-000002", currency: "GBP", status: "DELIVERED", promisedDeliveryAt: promised, deliveredAt: new Date("2026-11-22T00:00:00Z"), balanceDueMinor: 0 },
        { number: "WM-000003", currency: "GBP", status: "PENDING_PAYMENT", promisedDeliveryAt: promised, balanceDueMinor: 1200 },
      ],
      [
        { number: "RT-1", method: "LABEL", pickupDate: null, due: { kind: "send_by", by: sendBy, labelReady: true } },
        { number: "RT-2", method: "LABEL", pickupDate: null, due: { kind: "send_by", by: sendBy, labelReady: false } },
        { number: "RT-3", method: "PICKUP", pickupDate: new Date("2026-12-07"), due: { kind: "send_by", by: sendBy, labelReady: true } },
      ],
      now,
    );
    expect(items).toEqual([
      { kind: "payment_due", orderNumber: "WM-000003", amountMinor: 1200, currency: "GBP" },
      { kind: "label_ready", returnNumber: "RT-1", method: "LABEL", sendBy, pickupDate: null },
      { kind: "label_ready", returnNumber: "RT-3", method: "PICKUP", sendBy, pickupDate: new Date("2026-12-07") },
      { kind: "late", orderNumber: "WM-000001" },
    ]);
    expect(isInProgress({ status: "DELIVERED", promisedDeliveryAt: promised, balanceDueMinor: 0 })).toBe(false);
  });
});

describe("lateBy", () => {
  it("counts the days begun after the promise, one day as a day", () => {
    expect(lateBy(promised, new Date("2026-11-20T20:50:00Z"))).toBe("1 day late");
    expect(lateBy(promised, new Date("2026-11-22T09:00:00Z"))).toBe("3 days late");
  });
});

describe("whyAddressIsFixed", () => {
  it("says what happened to the order: cancelled, delivered, or on its way", () => {
    expect(whyAddressIsFixed("CANCELLED")).toBe("This order is cancelled, so there is no delivery to change.");
    expect(whyAddressIsFixed("DELIVERED")).toBe("This order has been delivered, so its address can no longer be changed.");
    expect(whyAddressIsFixed("SHIPPED")).toMatch(/^This order has already left our warehouse/);
  });
});
