import { describe, expect, it } from "vitest";
import { explainRisk, NO_SIGNALS, partsAddingUp, RISK_CONFIG, scoreRisk, sumOfPoints } from "./risk";

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
    // The line on the live view adds up too: what it leaves out is summed, not dropped.
    expect(explainRisk(risk, 2)).toBe("late deliveries (+30), the same error twice in this task (+25), 1 other signal (+8)");
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
    // 30 + 40 + 20 + 40 + 24 + 30: the parts say where the other 84 went.
    expect(scoreRisk(everything).factors.at(-1)).toEqual({ code: "ceiling", label: "the score stops at 100", points: -84 });
    expect(explainRisk(scoreRisk(everything), 1)).toBe("lost parcels (+40), 5 other signals (+144), the score stops at 100 (−84)");
    const lenient = { ...RISK_CONFIG, points: { ...RISK_CONFIG.points, lateDeliveries: { perUnit: 1, cap: 5, label: "late deliveries" } } };
    expect(scoreRisk({ ...NO_SIGNALS, lateDeliveries: 9 }, lenient).score).toBe(5);
  });

  it("lists parts that add up to the score it shows, whatever the signals", () => {
    const counts = [0, 1, 2, 3, 9];
    for (const late of counts) for (const lost of counts) for (const contacts of counts) for (const errors of counts) {
      const risk = scoreRisk({ ...NO_SIGNALS, lateDeliveries: late, lostDeliveries: lost, recentContacts: contacts, journeyErrors: errors, repeatedErrorCount: errors, overdueRefunds: late });
      expect(sumOfPoints(risk.factors), JSON.stringify(risk)).toBe(risk.score);
    }
  });

  it("makes a case's stored parts add up, saying what a case opened before every part was kept left out", () => {
    const stored = [{ code: "tasksLeftLately", label: "a task left for another channel in the last 3 days", points: 20 }];
    expect(partsAddingUp(63, stored)).toEqual([...stored, { code: "not_itemised", label: "not broken down when the case was opened", points: 43 }]);
    expect(partsAddingUp(20, stored)).toEqual(stored);
    expect(partsAddingUp(0, null)).toEqual([]);
    expect(sumOfPoints(partsAddingUp(40, "not parts"))).toBe(40);
  });
});
