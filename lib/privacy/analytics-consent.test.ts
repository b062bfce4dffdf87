import { describe, expect, it } from "vitest";
import { analyticsChoiceFromCookies } from "./analytics-consent";

describe("the anonymous visitor's analytics choice, as the browser holds it", () => {
  it("is read from the browser's cookies, and only our own cookie's exact value counts", () => {
    expect(analyticsChoiceFromCookies("a=1; waymark_analytics=granted; b=2")).toBe("granted");
    expect(analyticsChoiceFromCookies("waymark_analytics=denied")).toBe("denied");
    expect(analyticsChoiceFromCookies("")).toBeNull();
    expect(analyticsChoiceFromCookies("x_waymark_analytics=granted")).toBeNull();
    expect(analyticsChoiceFromCookies("waymark_analytics=yes")).toBeNull();
  });
});
