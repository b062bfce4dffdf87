// The statistics behind the learned risk score, in plain TypeScript: logistic regression with an L2
// penalty fitted by gradient descent, Platt scaling to calibrate a score into a probability, and
// the measures a score is judged by (ROC AUC, precision and recall at a threshold, a reliability
// table). Written here rather than taken from npm because no maintained JavaScript library offers
// L2-penalised logistic regression with calibration without a matrix library behind it, and the
// whole method fits in a page that tests can check by hand. Framework-free, no I/O.

export type Sample = { x: readonly number[]; y: boolean };
export type Logistic = { weights: number[]; intercept: number };
export type Scaling = { means: number[]; scales: number[] };
/**
 * `nonNegative`: per feature, whether its weight is kept at zero or above, for a signal that can
 * only make the outcome likelier. A signal that mostly repeats another (a parcel late now is also a
 * late delivery) can otherwise learn a negative weight that only offsets the other's.
 */
export type FitOptions = { l2?: number; iterations?: number; learningRate?: number; nonNegative?: readonly boolean[] };

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Means and standard deviations per feature, so one learning rate suits every feature (a constant feature keeps scale 1). */
export function scalingOf(rows: readonly (readonly number[])[]): Scaling {
  const width = rows[0]?.length ?? 0;
  const means = Array.from({ length: width }, (_, j) => rows.reduce((sum, r) => sum + r[j], 0) / Math.max(1, rows.length));
  const scales = means.map((mean, j) => {
    const sd = Math.sqrt(rows.reduce((sum, r) => sum + (r[j] - mean) ** 2, 0) / Math.max(1, rows.length));
    return sd > 1e-9 ? sd : 1;
  });
  return { means, scales };
}

export const scaled = (x: readonly number[], s: Scaling) => x.map((v, j) => (v - s.means[j]) / s.scales[j]);

export const linear = (model: Logistic, x: readonly number[]) => model.intercept + model.weights.reduce((sum, w, j) => sum + w * x[j], 0);

/**
 * Batch gradient descent on the mean log-loss plus (l2 / 2)·|w|² (the intercept is not penalised).
 * Features are expected on comparable scales (see scalingOf). The loss is convex, so with a small
 * enough rate it converges to the one optimum whatever the start; a weight held non-negative is
 * put back to zero after each step that takes it below (projected gradient descent, still convex).
 */
export function fitLogistic(samples: readonly Sample[], { l2 = 0.01, iterations = 500, learningRate = 0.5, nonNegative = [] }: FitOptions = {}): Logistic {
  const width = samples[0]?.x.length ?? 0;
  const model: Logistic = { weights: new Array(width).fill(0), intercept: 0 };
  if (samples.length === 0) return model;
  for (let it = 0; it < iterations; it++) {
    const gradient = new Array(width).fill(0);
    let gradientIntercept = 0;
    for (const s of samples) {
      const error = sigmoid(linear(model, s.x)) - (s.y ? 1 : 0);
      gradientIntercept += error;
      for (let j = 0; j < width; j++) gradient[j] += error * s.x[j];
    }
    model.intercept -= (learningRate * gradientIntercept) / samples.length;
    for (let j = 0; j < width; j++) {
      model.weights[j] -= learningRate * (gradient[j] / samples.length + l2 * model.weights[j]);
      if (nonNegative[j]) model.weights[j] = Math.max(0, model.weights[j]);
    }
  }
  return model;
}

/** Platt scaling: a one-feature logistic regression from a raw score to a probability. */
export type Platt = { a: number; b: number };

export function fitPlatt(scores: readonly number[], labels: readonly boolean[]): Platt {
  // Scores on any scale (log-odds, points out of 100): standardise, fit, fold the scaling back in.
  const scaling = scalingOf(scores.map((s) => [s]));
  const fitted = fitLogistic(
    scores.map((s, i) => ({ x: scaled([s], scaling), y: labels[i] })),
    { l2: 0, iterations: 2000, learningRate: 1 },
  );
  const a = fitted.weights[0] / scaling.scales[0];
  return { a, b: fitted.intercept - a * scaling.means[0] };
}

export const calibrated = (platt: Platt, score: number) => sigmoid(platt.a * score + platt.b);

export type Scored = { score: number; positive: boolean };

/** ROC AUC as the Mann–Whitney U statistic, ties counted half: the chance a positive outranks a negative. */
export function rocAuc(samples: readonly Scored[]): number {
  const sorted = [...samples].sort((a, b) => a.score - b.score);
  let rankSumPositives = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j].score === sorted[i].score) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (sorted[k].positive) rankSumPositives += averageRank;
    i = j;
  }
  const positives = samples.filter((s) => s.positive).length;
  const negatives = samples.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSumPositives - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export type AtThreshold = { threshold: number; flagged: number; precision: number | null; recall: number | null };

/** Who is flagged at `score >= threshold`, and how many of them (precision) and of all positives (recall) were right. */
export function atThreshold(samples: readonly Scored[], threshold: number): AtThreshold {
  const flagged = samples.filter((s) => s.score >= threshold);
  const hits = flagged.filter((s) => s.positive).length;
  const positives = samples.filter((s) => s.positive).length;
  return { threshold, flagged: flagged.length, precision: flagged.length ? hits / flagged.length : null, recall: positives ? hits / positives : null };
}

export type ReliabilityBin = { from: number; to: number; count: number; predicted: number; observed: number };
export type Calibration = { brier: number; ece: number; bins: ReliabilityBin[] };

/**
 * How far stated probabilities are from what happened: the Brier score, and a reliability table of
 * equal-width bins (mean predicted vs observed rate) with its expected calibration error (the
 * count-weighted mean gap). Empty bins are left out.
 */
export function calibration(probabilities: readonly Scored[], binCount = 10): Calibration {
  const bins: ReliabilityBin[] = [];
  for (let b = 0; b < binCount; b++) {
    const from = b / binCount;
    const to = (b + 1) / binCount;
    const inBin = probabilities.filter((p) => p.score >= from && (p.score < to || (b === binCount - 1 && p.score <= to)));
    if (inBin.length === 0) continue;
    const predicted = inBin.reduce((sum, p) => sum + p.score, 0) / inBin.length;
    const observed = inBin.filter((p) => p.positive).length / inBin.length;
    bins.push({ from, to, count: inBin.length, predicted, observed });
  }
  const n = Math.max(1, probabilities.length);
  return {
    brier: probabilities.reduce((sum, p) => sum + (p.score - (p.positive ? 1 : 0)) ** 2, 0) / n,
    ece: bins.reduce((sum, bin) => sum + (bin.count / n) * Math.abs(bin.predicted - bin.observed), 0),
    bins,
  };
}
