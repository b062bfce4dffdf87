import { describe, expect, it } from "vitest";
import { createRandom } from "@/lib/seed/random";
import { describeRiskModel } from "./models";
import { NO_SIGNALS, sumOfPoints, type RiskSignals } from "./risk";
import { FEATURES, probability, scoreWithModel, trainModel, usableParameters, type ModelParameters } from "./risk-model";

const width = FEATURES.length;
const at = (code: string) => FEATURES.findIndex((f) => f.code === code);

/** A model that reads only the share of tasks on a phone, with weight ln 3 and no calibration. */
function phoneOnly(): ModelParameters {
  const weights = new Array(width).fill(0);
  weights[at("phoneShare")] = Math.log(3);
  return { features: FEATURES.map((f) => f.code), means: new Array(width).fill(0), scales: new Array(width).fill(1), weights, intercept: 0, platt: { a: 1, b: 0 } };
}

describe("the learned risk score", () => {
  it("is the calibrated chance in percent: an average customer's chance and what each signal adds", () => {
    // Log-odds ln 3: a chance of 3 in 4; an average customer's (no phone) is even, 50 %, so the phone adds 25 points.
    const risk = scoreWithModel(phoneOnly(), { ...NO_SIGNALS, phoneShare: 1 });
    expect(risk).toEqual({
      score: 75,
      level: "high",
      source: "model",
      factors: [
        { code: "average_customer", label: "an average customer’s chance", points: 50 },
        { code: "phoneShare", label: expect.stringContaining("on a phone"), points: 25 },
      ],
    });
    expect(scoreWithModel(phoneOnly(), NO_SIGNALS)).toMatchObject({ score: 50, level: "medium", factors: [{ code: "average_customer", points: 50 }] });
  });

  it("lists a signal that lowers the chance with its points taken away", () => {
    const model = { ...phoneOnly(), means: phoneOnly().means.map((m, j) => (j === at("phoneShare") ? 0.5 : m)) };
    // Log-odds −ln 3 / 2 against the average customer's 0: 37 %.
    expect(scoreWithModel(model, { ...NO_SIGNALS, phoneShare: 0 })).toMatchObject({ score: 37, factors: [{ code: "average_customer", points: 50 }, { code: "phoneShare", points: -13 }] });
    expect(scoreWithModel(model, { ...NO_SIGNALS, phoneShare: 1 }).factors.map((f) => f.code)).toEqual(["average_customer", "phoneShare"]);
  });

  it("learns the relation planted in its training data and calibrates to the observed rate", () => {
    // Customers who left a task in the last few days contact us 80 % of the time; others 20 %.
    const rng = createRandom(5);
    const draw = (n: number) =>
      Array.from({ length: n }, () => {
        const leftLately = rng.chance(0.3) ? 1 : 0;
        const signals: RiskSignals = { ...NO_SIGNALS, tasksLeftLately: leftLately, tasksStarted: rng.int(0, 10), recentContacts: rng.int(0, 2) };
        return { signals, positive: rng.chance(leftLately ? 0.8 : 0.2) };
      });
    const model = trainModel(draw(1500), draw(800));
    const strongest = model.weights.map((w, j) => [w, FEATURES[j].code] as const).sort((a, b) => b[0] - a[0])[0];
    expect(strongest[1]).toBe("tasksLeftLately");
    expect(probability(model, { ...NO_SIGNALS, tasksLeftLately: 1, tasksStarted: 5, recentContacts: 1 })).toBeCloseTo(0.8, 1);
    expect(probability(model, { ...NO_SIGNALS, tasksStarted: 5, recentContacts: 1 })).toBeCloseTo(0.2, 1);
    expect(scoreWithModel(model, { ...NO_SIGNALS, tasksLeftLately: 1, tasksStarted: 5 }).factors[1].code).toBe("tasksLeftLately");

    // Whatever the customer, the parts an agent reads add up to the score, which is the model's chance.
    for (let i = 0; i < 300; i++) {
      const signals: RiskSignals = { ...NO_SIGNALS, tasksLeftLately: rng.int(0, 3), tasksStarted: rng.int(0, 20), recentContacts: rng.int(0, 4), phoneShare: rng.int(0, 4) / 4, lateDeliveries: rng.int(0, 2) };
      const risk = scoreWithModel(model, signals);
      expect(sumOfPoints(risk.factors), JSON.stringify(risk)).toBe(risk.score);
      expect(risk.score).toBe(Math.round(100 * probability(model, signals)));
    }
  });

  it("never says a signal that can only make contact likelier lowers it, even where the data seem to", () => {
    // Every parcel late now is a late delivery too; planted so that, once late deliveries are known,
    // a parcel still late reads as lowering the chance (Ada's case read "a parcel late right now −25").
    const rng = createRandom(9);
    const draw = (n: number) =>
      Array.from({ length: n }, () => {
        const lateDeliveries = rng.int(0, 3);
        const parcelsLateNow = lateDeliveries > 0 && rng.chance(0.5) ? 1 : 0;
        const signals: RiskSignals = { ...NO_SIGNALS, lateDeliveries, parcelsLateNow, tasksStarted: rng.int(0, 10) };
        return { signals, positive: rng.chance(Math.min(0.95, 0.15 + 0.3 * lateDeliveries - 0.1 * parcelsLateNow)) };
      });
    const model = trainModel(draw(1500), draw(800));
    expect(model.weights[at("parcelsLateNow")]).toBeGreaterThanOrEqual(0);
    expect(model.weights[at("lateDeliveries")]).toBeGreaterThan(0);
    const ada = scoreWithModel(model, { ...NO_SIGNALS, lateDeliveries: 2, parcelsLateNow: 1, tasksStarted: 4 });
    expect(ada.factors.filter((f) => f.code === "parcelsLateNow" && f.points < 0)).toEqual([]);
    expect(sumOfPoints(ada.factors)).toBe(ada.score);
  });

  it("uses stored parameters only when they were trained on today's features", () => {
    expect(usableParameters(phoneOnly())).toEqual(phoneOnly());
    expect(usableParameters({ ...phoneOnly(), features: [...phoneOnly().features].reverse() })).toBeNull();
    expect(usableParameters({ ...phoneOnly(), weights: [1] })).toBeNull();
    expect(usableParameters({ weights: "not a model" })).toBeNull();
  });

  it("tells the health page which scorer is in use", () => {
    expect(describeRiskModel(null)).toMatchObject({ learned: false, text: expect.stringContaining("hand-set weights") });
    const figures = { auc: 0, threshold: "", flagged: 0, precision: null, recall: null, brier: 0, ece: 0, bins: [] };
    const day = (d: string) => new Date(`${d}T00:00:00Z`);
    const described = describeRiskModel({
      trainedAt: day("2026-12-03"),
      trainFrom: day("2026-09-10"),
      trainTo: day("2026-11-05"),
      evalFrom: day("2026-11-05"),
      evalTo: day("2026-12-03"),
      metrics: {
        outcomeDays: 7,
        samples: { fit: 100, calibration: 20, evaluation: 50 },
        positiveRate: { fit: 0.4, evaluation: 0.5 },
        model: { ...figures, auc: 0.649 },
        handSet: { ...figures, auc: 0.578 },
        baseline: { ...figures, auc: 0.571, signal: "recentContacts" },
      },
    });
    expect(described.learned).toBe(true);
    expect(described.text).toContain("trained 2026-12-03 on 120 samples");
    expect(described.text).toContain("later window 2026-11-05 to 2026-12-03: ROC AUC 0.649 against 0.578 for the hand-set weights and 0.571 for one signal alone");
  });
});
