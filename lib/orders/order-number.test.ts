import { describe, expect, it } from "vitest";
import { orderNumberAfter, orderNumberFrom } from "./order-number";

describe("an order number as people type it", () => {
  it("reads the number with or without its prefix, in any case, with spaces, a missing dash or a leading #", () => {
    for (const typed of ["WM-209300", "wm-209300", "209300", " 209300 ", "WM209300", "wm 209300", "209 300", "WM - 209 300", "#209300", "#WM-209300"]) {
      expect(orderNumberFrom(typed), typed).toBe("WM-209300");
    }
    expect(orderNumberFrom("2093")).toBe("WM-2093");
  });

  it("leaves anything else to the other searches", () => {
    for (const typed of ["", "WM-", "linen", "100%", "ada@example.com", "WM-12a", "RT-100001", "12-34"]) {
      expect(orderNumberFrom(typed), typed).toBeNull();
    }
  });
});

describe("the next order number", () => {
  it("follows the highest one issued, keeping six digits, and starts after WM-100000", () => {
    expect(orderNumberAfter("WM-204817")).toBe("WM-204818");
    expect(orderNumberAfter("WM-099999")).toBe("WM-100000");
    expect(orderNumberAfter(null)).toBe("WM-100001");
  });

  it("refuses a seventh digit, which no page or form would accept", () => {
    expect(() => orderNumberAfter("WM-999999")).toThrow(/run out of six digits/);
  });
});
