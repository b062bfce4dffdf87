import { describe, expect, it } from "vitest";
import { givenBackMinor, goodwillCap } from "./goodwill";

// 2 × 15.00 (tax 6.00) and 1 × 10.00 (tax 2.00), shipping 5.00: 53.00 as placed.
const line = (id: string, quantity: number, unitPriceMinor: number, taxMinor: number, cancelledQuantity = 0) => ({ id, quantity, cancelledQuantity, unitPriceMinor, taxMinor });
const order = (status: string, cancelled: [number, number] = [0, 0]) => ({
  status,
  subtotalMinor: 4000,
  shippingMinor: 500,
  taxMinor: 800,
  totalMinor: 5300,
  lines: [line("a", 2, 1500, 600, cancelled[0]), line("b", 1, 1000, 200, cancelled[1])],
});

describe("the goodwill an order can bear", () => {
  it("is its total less what has already gone back for it", () => {
    expect(goodwillCap(order("DELIVERED"), 0)).toEqual({ nothingToGrant: false, grantableMinor: 5300 });
    expect(goodwillCap(order("DELIVERED"), 1500)).toEqual({ nothingToGrant: false, grantableMinor: 3800 });
    expect(goodwillCap(order("DELIVERED"), 6000)).toEqual({ nothingToGrant: false, grantableMinor: 0 });
  });

  it("leaves out the items cancelled: the order as it bills, not as it was placed", () => {
    // One 15.00 item and its 3.00 tax cancelled: 35.00.
    expect(goodwillCap(order("PROCESSING", [1, 0]), 0)).toEqual({ nothingToGrant: false, grantableMinor: 3500 });
  });

  it("is nothing to grant against on an order cancelled in full, its lines marked or the whole order cancelled by the back office", () => {
    expect(goodwillCap(order("CANCELLED", [2, 1]), 0)).toEqual({ nothingToGrant: true });
    expect(goodwillCap(order("CANCELLED"), 0)).toEqual({ nothingToGrant: true });
  });
});

describe("what has gone back for an order", () => {
  it("adds up goodwill of both kinds, other refunds and credit, and the money of returns under way", () => {
    const given = {
      refunds: [
        { amountMinor: 1000, reason: "goodwill:CS-1" },
        { amountMinor: 700, reason: "return" },
        { amountMinor: 200, reason: "problem_damaged" },
      ],
      creditMinor: [1500, 300],
      returnsUnderWay: [
        { resolution: "REFUND" as const, refundMinor: 400 },
        { resolution: "STORE_CREDIT" as const, refundMinor: 100 },
      ],
    };
    expect(givenBackMinor(given)).toBe(1000 + 700 + 200 + 1500 + 300 + 400 + 100);
  });

  it("leaves out a cancellation's refund (already off the bill), credit spent on the order, and exchanges", () => {
    const given = {
      refunds: [{ amountMinor: 1800, reason: "lines_cancelled" }, { amountMinor: 5300, reason: "order_cancelled" }],
      creditMinor: [-2000],
      returnsUnderWay: [{ resolution: "EXCHANGE" as const, refundMinor: 1500 }],
    };
    expect(givenBackMinor(given)).toBe(0);
  });
});
