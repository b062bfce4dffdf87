import { describe, expect, it } from "vitest";
import { caseActionNotice, ruleSetAsideBy, ruleSetAsideHeading } from "./labels";

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

describe("what an agent's action on a case did, in words", () => {
  const me = "agent_me";
  it("says the case is the agent's once taken, and whose it is when another agent took it first", () => {
    expect(caseActionNotice("taken", { status: "IN_PROGRESS", assignedToId: me, assignedTo: { name: "Alex Agent" } }, me)).toBe("You have taken this case.");
    expect(caseActionNotice("taken", { status: "IN_PROGRESS", assignedToId: "agent_bea", assignedTo: { name: "Bea Backup" } }, me)).toBe("Bea Backup took this case first, so it stays with them. Ask them before doing anything for the customer.");
  });

  it("says a take came too late for a case closed meanwhile, also one that was the agent's own", () => {
    // It said 'You have taken this case.' on a case resolved from another tab.
    expect(caseActionNotice("taken", { status: "RESOLVED", assignedToId: me, assignedTo: { name: "Alex Agent" } }, me)).toBe(
      "This case was closed before you acted, so nothing was done. To do more for the customer, log their contact to open a new case.",
    );
  });

  it("confirms a resolution and that the customer was told", () => {
    expect(caseActionNotice("resolved", { status: "RESOLVED", assignedToId: me, assignedTo: { name: "Alex Agent" } }, me)).toBe("Case resolved. The customer has been told by their preferred channel.");
  });

  it("says nothing the case does not bear out, for an address kept or typed with ?done=", () => {
    expect(caseActionNotice("resolved", { status: "IN_PROGRESS", assignedToId: me, assignedTo: { name: "Alex Agent" } }, me)).toBeNull();
    expect(caseActionNotice("taken", { status: "OPEN", assignedToId: null, assignedTo: null }, me)).toBeNull();
  });
});
