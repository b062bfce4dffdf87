import { describe, expect, it } from "vitest";
import { chooseIntervention, explain, INTERVENTION_RULES, localInterventionGroup, type InterventionFacts } from "./interventions";
import { NO_SIGNALS, scoreRisk } from "./risk";

const calm: InterventionFacts = { errorCounts: {}, risk: scoreRisk(NO_SIGNALS), orderLate: false, refundOverdue: false };

describe("when the portal offers help in place", () => {
  it("offers nothing when nothing is wrong, and nothing after a single error", () => {
    expect(chooseIntervention(calm)).toBeNull();
    expect(chooseIntervention({ ...calm, errorCounts: { return_window_expired: 1 } })).toBeNull();
  });

  it("explains and offers another way after the same error twice", () => {
    const twice = chooseIntervention({ ...calm, errorCounts: { validation_error: 1, return_window_expired: 2 } });
    expect(twice).toEqual({ code: "same_error_twice", offers: ["explain", "alternative", "callback", "chat"], errorCode: "return_window_expired" });
    expect(explain(twice!)).toMatch(/return window for this item has closed/);
  });

  it("says a delivered order was delivered, as its cancel page does, and a shipped one is on its way", () => {
    const refused = chooseIntervention({ ...calm, errorCounts: { order_already_shipped: 2 } })!;
    expect(explain(refused, "DELIVERED")).toMatch(/^This order has been delivered, so it can no longer be cancelled\. You can return/);
    expect(explain(refused, "SHIPPED")).toMatch(/already left our warehouse.*Once it arrives/);
  });

  it("follows the configured priority when several rules apply", () => {
    const everything = { errorCounts: { x: 2 }, risk: scoreRisk({ ...NO_SIGNALS, overdueRefunds: 2, lostDeliveries: 2 }), orderLate: true, refundOverdue: true };
    expect(chooseIntervention(everything)?.code).toBe("same_error_twice");
    expect(chooseIntervention({ ...everything, errorCounts: {} })?.code).toBe("refund_overdue");
    expect(chooseIntervention({ ...everything, errorCounts: {}, refundOverdue: false })?.code).toBe("late_order");
    expect(chooseIntervention({ ...everything, errorCounts: {}, refundOverdue: false, orderLate: false })?.code).toBe("high_risk");
    const lateFirst = { ...INTERVENTION_RULES, order: ["late_order", "same_error_twice", "refund_overdue", "high_risk"] as typeof INTERVENTION_RULES.order };
    expect(chooseIntervention(everything, lateFirst)?.code).toBe("late_order");
  });

  it("offers help to a high-risk customer at the configured threshold", () => {
    expect(chooseIntervention({ ...calm, risk: { score: 49, level: "low", factors: [], source: "hand-set" } })).toBeNull();
    expect(chooseIntervention({ ...calm, risk: { score: 50, level: "medium", factors: [], source: "hand-set" } })?.code).toBe("high_risk");
  });
});

describe("the hold-out group", () => {
  it("is stable per customer and close to the configured share", () => {
    expect(localInterventionGroup("customer-a")).toBe(localInterventionGroup("customer-a"));
    const groups = Array.from({ length: 5000 }, (_, i) => localInterventionGroup(`customer-${i}`));
    const control = groups.filter((g) => g === "control").length / groups.length;
    expect(control).toBeGreaterThan(0.08);
    expect(control).toBeLessThan(0.12);
    expect(Array.from({ length: 200 }, (_, i) => localInterventionGroup(`c-${i}`, 0)).every((g) => g === "treatment")).toBe(true);
  });
});
