import { describe, expect, it } from "vitest";
import { decideProblem, PROBLEM_RULES, problemOutcomeCopy, type ProblemFacts } from "./problem-policy";

const promised = new Date("2026-11-10T00:00:00Z");
const base: ProblemFacts = { kind: "damaged", orderStatus: "DELIVERED", promisedDeliveryAt: promised, deliveredAt: new Date("2026-11-09T15:00:00Z"), affectedMinor: 4_000, reportsInWindow: 0, alreadyReported: false, now: new Date("2026-11-20T10:00:00Z") };

describe("reporting a problem with an order", () => {
  it("offers reship, refund or store credit with its bonus for a damaged item", () => {
    expect(decideProblem(base)).toEqual({ kind: "allowed", resolutions: ["RESHIP", "REFUND", "STORE_CREDIT"], amountMinor: 4_000, creditBonusMinor: 400 });
  });

  it("accepts 'not received' only once the grace period after the promised date has passed, to the millisecond", () => {
    const shipped = { ...base, kind: "not_received" as const, orderStatus: "SHIPPED" as const, deliveredAt: null };
    const graceEnds = new Date(promised.getTime() + PROBLEM_RULES.notReceivedGraceDays * 86_400_000);
    expect(decideProblem({ ...shipped, now: new Date(graceEnds.getTime() - 1) })).toEqual({ kind: "refused", code: "too_early", availableFrom: graceEnds });
    expect(decideProblem({ ...shipped, now: graceEnds })).toMatchObject({ kind: "allowed", resolutions: ["RESHIP", "REFUND"] });
  });

  it("hands 'not received' to a person when the carrier scanned it as delivered", () => {
    expect(decideProblem({ ...base, kind: "not_received" })).toEqual({ kind: "agent", code: "carrier_confirmed_delivery" });
  });

  it("hands high values and repeated reports to a person", () => {
    expect(decideProblem({ ...base, affectedMinor: PROBLEM_RULES.autoResolveMaxMinor + 1 })).toEqual({ kind: "agent", code: "high_value" });
    expect(decideProblem({ ...base, affectedMinor: PROBLEM_RULES.autoResolveMaxMinor })).toMatchObject({ kind: "allowed" });
    expect(decideProblem({ ...base, reportsInWindow: PROBLEM_RULES.maxReportsInWindow })).toEqual({ kind: "agent", code: "repeated_reports" });
  });

  it("refuses what cannot have a delivery problem yet", () => {
    expect(decideProblem({ ...base, orderStatus: "PROCESSING" })).toEqual({ kind: "refused", code: "not_shipped_yet" });
    expect(decideProblem({ ...base, alreadyReported: true })).toEqual({ kind: "refused", code: "already_reported" });
    expect(decideProblem({ ...base, orderStatus: "SHIPPED", deliveredAt: null })).toEqual({ kind: "refused", code: "not_delivered_yet" });
    expect(decideProblem({ ...base, orderStatus: "CANCELLED" })).toEqual({ kind: "refused", code: "order_cancelled" });
    expect(decideProblem({ ...base, affectedMinor: 0 })).toEqual({ kind: "refused", code: "nothing_affected" });
  });

  it("follows changed rules without code changes", () => {
    const strict = { ...PROBLEM_RULES, resolutions: { ...PROBLEM_RULES.resolutions, damaged: ["REFUND" as const] }, storeCreditBonusPercent: 0 };
    expect(decideProblem(base, strict)).toEqual({ kind: "allowed", resolutions: ["REFUND"], amountMinor: 4_000, creditBonusMinor: 0 });
  });
});

describe("what the customer reads once a problem is reported", () => {
  it("says a case handed to the team is being looked into, not that it is sorted", () => {
    const copy = problemOutcomeCopy("AGENT_CASE", { caseNumber: "CS-1A2B3C4D", within: "within 2–4 working days" });
    expect(copy.headline).not.toMatch(/sorted/);
    expect(copy.headline).toBe("Thank you — our team is on it");
    expect(copy.detail).toBe("We have opened case CS-1A2B3C4D and one of them will reply within one working day.");
    // An address naming no case of the customer's says so without a number.
    expect(problemOutcomeCopy("AGENT_CASE", { within: "" }).detail).toBe("We have passed your report to our team and one of them will reply within one working day.");
  });

  it("says it is sorted when it was sorted on the spot", () => {
    expect(problemOutcomeCopy("REFUND", { within: "within 2–4 working days" })).toEqual({ headline: "Thank you — it is sorted", detail: "Your refund is on its way to your card. It usually shows within 2–4 working days." });
  });
});
