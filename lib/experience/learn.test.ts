import { describe, expect, it } from "vitest";
import { createRandom } from "@/lib/seed/random";
import { atThreshold, calibrated, calibration, fitLogistic, fitPlatt, rocAuc, scaled, scalingOf, sigmoid, type Sample } from "./learn";

// Positives 0.8 and 0.4; negatives 0.5, 0.1 and 0.4. Of the six positive–negative pairs, 0.8 wins
// all three, 0.4 beats 0.1, loses to 0.5 and ties 0.4 (half): 4.5 / 6.
const tiny = [
  { score: 0.8, positive: true },
  { score: 0.4, positive: true },
  { score: 0.5, positive: false },
  { score: 0.1, positive: false },
  { score: 0.4, positive: false },
];

/** Samples drawn from a known logistic model, so a fit can be checked against the truth. */
function drawn(weights: number[], intercept: number, n: number, seed = 7): Sample[] {
  const rng = createRandom(seed);
  return Array.from({ length: n }, () => {
    const x = weights.map(() => rng.next() * 4 - 2);
    return { x, y: rng.next() < sigmoid(intercept + weights.reduce((sum, w, j) => sum + w * x[j], 0)) };
  });
}

describe("measures", () => {
  it("computes ROC AUC as the share of positive–negative pairs ranked right, ties counted half", () => {
    expect(rocAuc(tiny)).toBeCloseTo(0.75, 10);
    expect(rocAuc(tiny.map((s) => ({ ...s, score: -s.score })))).toBeCloseTo(0.25, 10);
    expect(rocAuc([{ score: 1, positive: true }])).toBeNaN();
  });

  it("counts precision and recall among those at or above the threshold", () => {
    expect(atThreshold(tiny, 0.4)).toEqual({ threshold: 0.4, flagged: 4, precision: 0.5, recall: 1 });
    expect(atThreshold(tiny, 0.6)).toEqual({ threshold: 0.6, flagged: 1, precision: 1, recall: 0.5 });
    expect(atThreshold(tiny, 0.9)).toEqual({ threshold: 0.9, flagged: 0, precision: null, recall: 0 });
  });

  it("tabulates predicted against observed rates per bin, with the Brier score and the calibration error", () => {
    const stated = [
      { score: 0.1, positive: false },
      { score: 0.3, positive: true },
      { score: 0.9, positive: true },
      { score: 1, positive: true },
    ];
    const table = calibration(stated, 2);
    expect(table.bins).toEqual([
      { from: 0, to: 0.5, count: 2, predicted: 0.2, observed: 0.5 },
      { from: 0.5, to: 1, count: 2, predicted: 0.95, observed: 1 },
    ]);
    // (0.01 + 0.49 + 0.01 + 0) / 4, and (2/4)·0.3 + (2/4)·0.05
    expect(table.brier).toBeCloseTo(0.1275, 10);
    expect(table.ece).toBeCloseTo(0.175, 10);
  });
});

describe("logistic regression", () => {
  it("recovers the weights of the model the data were drawn from", () => {
    const fitted = fitLogistic(drawn([2, -1, 0], 0.5, 6000), { l2: 0, iterations: 1500, learningRate: 1 });
    expect(fitted.weights[0]).toBeCloseTo(2, 0);
    expect(fitted.weights[1]).toBeCloseTo(-1, 0);
    expect(Math.abs(fitted.weights[2])).toBeLessThan(0.15);
    expect(fitted.intercept).toBeCloseTo(0.5, 0);
  });

  it("keeps a weight said to only raise the chance at zero or above, and fits the others around it", () => {
    // The second feature is mostly the first (a parcel late now is also a late delivery): once the
    // first is known, the data say it lowers the chance.
    const rng = createRandom(11);
    const samples: Sample[] = Array.from({ length: 4000 }, () => {
      const first = rng.next() * 4 - 2;
      const second = first + (rng.next() - 0.5);
      return { x: [first, second], y: rng.next() < sigmoid(3 * first - 1 * second) };
    });
    expect(fitLogistic(samples, { l2: 0, iterations: 1500 }).weights[1]).toBeLessThan(-0.5);
    const held = fitLogistic(samples, { l2: 0, iterations: 1500, nonNegative: [false, true] });
    expect(held.weights[1]).toBe(0);
    expect(held.weights[0]).toBeGreaterThan(1.5);
    // A weight the data push up is left as learned.
    expect(fitLogistic(drawn([2, -1], 0.5, 2000), { nonNegative: [true, false] }).weights[0]).toBeCloseTo(fitLogistic(drawn([2, -1], 0.5, 2000)).weights[0], 6);
  });

  it("shrinks the weights as the L2 penalty grows", () => {
    const samples = drawn([2, -1], 0.5, 2000);
    const size = (l2: number) => Math.hypot(...fitLogistic(samples, { l2 }).weights);
    expect(size(1)).toBeLessThan(size(0.1));
    expect(size(0.1)).toBeLessThan(size(0));
  });

  it("learns nothing from nothing", () => {
    expect(fitLogistic([])).toEqual({ weights: [], intercept: 0 });
  });

  it("scales each feature to mean 0 and standard deviation 1, leaving a constant feature's scale at 1", () => {
    const scaling = scalingOf([
      [1, 5],
      [3, 5],
    ]);
    expect(scaling).toEqual({ means: [2, 5], scales: [1, 1] });
    expect(scaled([3, 5], scaling)).toEqual([1, 0]);
  });
});

describe("Platt scaling", () => {
  it("maps a raw score on any scale to the probability it stood for", () => {
    const rng = createRandom(11);
    const scores = Array.from({ length: 6000 }, () => rng.next() * 100);
    const labels = scores.map((s) => rng.next() < sigmoid(0.05 * s - 2));
    const platt = fitPlatt(scores, labels);
    expect(platt.a).toBeCloseTo(0.05, 2);
    expect(platt.b).toBeCloseTo(-2, 0);
    expect(calibrated(platt, 40)).toBeCloseTo(0.5, 1);
  });
});
