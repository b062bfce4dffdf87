import { describe, expect, it } from "vitest";
import { ruleSetAsideLabel } from "./labels";

describe("rules set aside on a case, in words", () => {
  it("names goodwill and each return exception an agent can grant, never the stored code", () => {
    expect(ruleSetAsideLabel("goodwill_credit")).toBe("Goodwill store credit");
    expect(ruleSetAsideLabel("goodwill_refund")).toBe("Goodwill refund");
    expect(ruleSetAsideLabel("window_closed")).toBe("Return window extended");
    expect(ruleSetAsideLabel("fee:LABEL")).toBe("Fee waived");
    expect(ruleSetAsideLabel("something_new")).toBe("Policy exception");
  });
});
