import { describe, expect, it } from "vitest";
import { formatMoney, minorDigits } from "./money";

describe("money", () => {
  it("uses each currency's own minor units", () => {
    expect(minorDigits("GBP")).toBe(2);
    expect(minorDigits("JPY")).toBe(0);
    expect(minorDigits("BHD")).toBe(3);
    expect(formatMoney(295, "GBP")).toBe("£2.95");
    expect(formatMoney(1500, "JPY")).toMatch(/¥1,500$/);
    expect(formatMoney(1500, "BHD")).toMatch(/1\.500$/);
  });

  it("always shows the currency", () => {
    expect(formatMoney(15000, "EUR")).toBe("€150.00");
    expect(formatMoney(15000, "USD")).toBe("US$150.00");
  });
});
