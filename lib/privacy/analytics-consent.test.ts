import { describe, expect, it } from "vitest";
import { analyticsChoiceFromCookies, analyticsCookieValue, analyticsDecisionFromCookies } from "./analytics-consent";

describe("the anonymous visitor's analytics choice, as the browser holds it", () => {
  it("is read from the browser's cookies, and only our own cookie's exact value counts", () => {
    expect(analyticsChoiceFromCookies("a=1; waymark_analytics=granted; b=2")).toBe("granted");
    expect(analyticsChoiceFromCookies("waymark_analytics=denied")).toBe("denied");
    expect(analyticsChoiceFromCookies("")).toBeNull();
    expect(analyticsChoiceFromCookies("x_waymark_analytics=granted")).toBeNull();
    expect(analyticsChoiceFromCookies("waymark_analytics=yes")).toBeNull();
  });

  it("keeps when the choice was made, and still reads a cookie written before the time was kept", () => {
    const madeAt = new Date("2026-12-06T09:30:00Z");
    expect(analyticsDecisionFromCookies(`a=1; waymark_analytics=${analyticsCookieValue("denied", madeAt)}`)).toEqual({ choice: "denied", madeAt });
    expect(analyticsChoiceFromCookies(`waymark_analytics=${analyticsCookieValue("granted", madeAt)}`)).toBe("granted");
    expect(analyticsDecisionFromCookies("waymark_analytics=denied")).toEqual({ choice: "denied", madeAt: null });
    expect(analyticsDecisionFromCookies("waymark_analytics=denied.soon")).toBeNull();
    expect(analyticsDecisionFromCookies(null)).toBeNull();
  });
});
