import { describe, expect, it } from "vitest";
import { explainRisk, NO_SIGNALS, RISK_CONFIG, scoreRisk } from "./risk";

describe("experience-risk score", () => {
  it("is zero and low with no warning signs", () => {
    expect(scoreRisk(NO_SIGNALS)).toEqual({ score: 0, level: "low", factors: [], source: "hand-set" });
    expect(explainRisk(scoreRisk(NO_SIGNALS))).toBe("No warning signs.");
  });

  it("adds capped points per signal and lists the biggest factors first", () => {
    const risk = scoreRisk({ ...NO_SIGNALS, lateDeliveries: 5, recentContacts: 1, repeatedErrorCount: 2 });
    expect(risk.factors).toEqual([
      { code: "lateDeliveries", label: "late deliveries", points: 30 },
      { code: "repeatedError", label: "the same error twice in this task", points: 25 },
      { code: "recentContacts", label: "recent contacts with us", points: 8 },
    ]);
    expect(risk.score).toBe(63);
    expect(risk.level).toBe("medium");
    expect(explainRisk(risk, 2)).toBe("late deliveries (+30), the same error twice in this task (+25)");
  });

  it("crosses the intervention and high thresholds exactly at their values", () => {
    const atIntervene = scoreRisk({ ...NO_SIGNALS, overdueRefunds: 1, recentContacts: 3, failedPayments: 0 });
    expect(atIntervene.score).toBe(49);
    expect(atIntervene.level).toBe("low");
    expect(scoreRisk({ ...NO_SIGNALS, overdueRefunds: 1, repeatedErrorCount: 2 }).level).toBe("medium");
    expect(scoreRisk({ ...NO_SIGNALS, overdueRefunds: 2, lostDeliveries: 2 })).toMatchObject({ score: 80, level: "high" });
  });

  it("counts a step as slow only beyond the configured multiple of its usual time", () => {
    const usual = { ...NO_SIGNALS, usualSecondsOnStep: 60 };
    expect(scoreRisk({ ...usual, secondsOnStep: 60 * RISK_CONFIG.slowStepMultiple }).factors).toEqual([]);
    expect(scoreRisk({ ...usual, secondsOnStep: 60 * RISK_CONFIG.slowStepMultiple + 1 }).factors.map((f) => f.code)).toEqual(["slowStep"]);
    expect(scoreRisk({ ...NO_SIGNALS, secondsOnStep: 10_000 }).factors).toEqual([]);
  });

  it("never exceeds 100 and follows changed weights", () => {
    const everything = { ...NO_SIGNALS, lateDeliveries: 9, lostDeliveries: 9, failedPayments: 9, overdueRefunds: 9, recentContacts: 9, complaints: 9 };
    expect(scoreRisk(everything).score).toBe(100);
    const lenient = { ...RISK_CONFIG, points: { ...RISK_CONFIG.points, lateDeliveries: { perUnit: 1, cap: 5, label: "late deliveries" } } };
    expect(scoreRisk({ ...NO_SIGNALS, lateDeliveries: 9 }, lenient).score).toBe(5);
  });
});
