import { describe, expect, it } from "vitest";
import { formatPercent, percentage } from "./percent";

describe("percentages", () => {
  it("read a share to one decimal place, without trailing zeros", () => {
    expect(formatPercent(0.8947368421052632)).toBe("89.5%");
    expect(formatPercent(0.5)).toBe("50%");
    expect(formatPercent(1)).toBe("100%");
    expect(formatPercent(0.0004)).toBe("0%");
  });

  it("show a dash where there is no share (no attempts to divide by)", () => {
    expect(formatPercent(null)).toBe("–");
    expect(formatPercent(undefined)).toBe("–");
  });

  it("give the number alone for a CSV column or a gap in points", () => {
    expect(percentage(0.12345)).toBe(12.3);
    expect(percentage(-0.0346)).toBe(-3.5);
  });
});
