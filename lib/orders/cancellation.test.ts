import { describe, expect, it } from "vitest";
import { cancellationAmount, cancellationSchema } from "./cancellation";

const lines = [
  { id: "a", quantity: 2, cancelledQuantity: 0, returnedQuantity: 0, unitPriceMinor: 1500, taxMinor: 600 },
  { id: "b", quantity: 3, cancelledQuantity: 1, returnedQuantity: 0, unitPriceMinor: 1000, taxMinor: 300 },
];

describe("what a cancellation gives back", () => {
  it("is the price plus the line's share of tax", () => {
    expect(cancellationAmount(lines, [{ lineId: "a", quantity: 1 }])).toEqual({ amountMinor: 1800 });
    expect(cancellationAmount(lines, [{ lineId: "a", quantity: 2 }, { lineId: "b", quantity: 2 }])).toEqual({ amountMinor: 3600 + 2200 });
  });

  it("refuses more than is left to cancel and lines of another order", () => {
    expect(cancellationAmount(lines, [{ lineId: "b", quantity: 3 }]).error).toBe("quantity_too_high");
    expect(cancellationAmount(lines, [{ lineId: "zzz", quantity: 1 }]).error).toBe("invalid_line");
  });

  it("needs at least one item and whole, non-negative quantities", () => {
    expect(cancellationSchema.safeParse({ lines: [{ lineId: "a", quantity: 0 }] }).success).toBe(false);
    expect(cancellationSchema.safeParse({ lines: [{ lineId: "a", quantity: -1 }] }).success).toBe(false);
    expect(cancellationSchema.safeParse({ lines: [{ lineId: "a", quantity: "1.5" }] }).success).toBe(false);
    expect(cancellationSchema.safeParse({ lines: [{ lineId: "a", quantity: "1" }] }).success).toBe(true);
  });
});
