import { describe, expect, it } from "vitest";
import { ruleSetAsideBy, ruleSetAsideHeading } from "./labels";

const setAside = (rule: string, over: { orderNumber?: string | null; returnNumber?: string | null; agentName?: string | null } = {}) => ({ rule, orderNumber: null, returnNumber: null, agentName: "Alex Agent", ...over });

describe("rules set aside on a case, in words", () => {
  it("names goodwill and each return exception an agent can grant, never the stored code", () => {
    expect(ruleSetAsideHeading(setAside("goodwill_credit"))).toBe("Goodwill store credit");
    expect(ruleSetAsideHeading(setAside("goodwill_refund"))).toBe("Goodwill refund");
    expect(ruleSetAsideHeading(setAside("window_closed"))).toBe("Return window extended");
    expect(ruleSetAsideHeading(setAside("fee:LABEL"))).toBe("Fee waived");
    expect(ruleSetAsideHeading(setAside("something_new"))).toBe("Policy exception");
  });

  it("says which order or return the rule was set aside for", () => {
    expect(ruleSetAsideHeading(setAside("goodwill_refund", { orderNumber: "WM-209300" }))).toBe("Goodwill refund for order WM-209300");
    expect(ruleSetAsideHeading(setAside("fee:LABEL", { orderNumber: "WM-209300", returnNumber: "RT-100042" }))).toBe("Fee waived for return RT-100042 of order WM-209300");
    expect(ruleSetAsideHeading(setAside("window_closed", { returnNumber: "RT-100042" }))).toBe("Return window extended for return RT-100042");
  });

  it("says which agent set it aside, also once their account is gone", () => {
    expect(ruleSetAsideBy(setAside("window_closed"))).toBe("Set aside by Alex Agent");
    expect(ruleSetAsideBy(setAside("window_closed", { agentName: null }))).toBe("Set aside by a former agent");
  });
});
