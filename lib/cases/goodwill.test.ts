import { describe, expect, it } from "vitest";
import { goodwillCreditCap } from "./goodwill";

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

describe("the goodwill store credit an order can bear", () => {
  it("is its total less the goodwill credit already given for it", () => {
    expect(goodwillCreditCap(order("DELIVERED"), 0)).toEqual({ nothingToGrant: false, creditableMinor: 5300 });
    expect(goodwillCreditCap(order("DELIVERED"), 1500)).toEqual({ nothingToGrant: false, creditableMinor: 3800 });
    expect(goodwillCreditCap(order("DELIVERED"), 6000)).toEqual({ nothingToGrant: false, creditableMinor: 0 });
  });

  it("leaves out the items cancelled: the order as it bills, not as it was placed", () => {
    // One 15.00 item and its 3.00 tax cancelled: 35.00.
    expect(goodwillCreditCap(order("PROCESSING", [1, 0]), 0)).toEqual({ nothingToGrant: false, creditableMinor: 3500 });
  });

  it("is nothing to grant against on an order cancelled in full, its lines marked or the whole order cancelled by the back office", () => {
    expect(goodwillCreditCap(order("CANCELLED", [2, 1]), 0)).toEqual({ nothingToGrant: true });
    expect(goodwillCreditCap(order("CANCELLED"), 0)).toEqual({ nothingToGrant: true });
  });
});
