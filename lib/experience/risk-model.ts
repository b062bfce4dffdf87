// The learned experience-risk score: a calibrated logistic regression over signals Waymark holds,
// trained by the worker on the portal's own history (./training.ts). Its score is the chance, in
// percent, that the customer leaves a task for another channel or contacts us within the next
// OUTCOME_DAYS days; it explains itself as an average customer's chance and what each signal adds
// to it or takes away. Framework-free.
import { z } from "zod";
import { calibrated, fitLogistic, fitPlatt, linear, scaled, scalingOf, type Platt, type Sample } from "./learn";
import { AVERAGE_CUSTOMER, bySize, LEFT_LATELY_DAYS, riskLevel, TRAIL_DAYS, type RiskFactor, type RiskScore, type RiskSignals } from "./risk";

export const OUTCOME_DAYS = 7;

/**
 * `mayLower`: the signal can make the outcome less likely as well as more (how much a customer uses
 * the portal, and on what). Every other signal is something going wrong, which can only make it
 * likelier: its learned weight is kept at zero or above, so no agent reads "a parcel late right now
 * −25".
 */
type Feature = { code: string; words: string; value: (s: RiskSignals) => number; mayLower?: true };

// Counts enter as log(1 + n): the tenth contact says less than the first.
const count = (n: number) => Math.log1p(Math.max(0, n));

/** What the model reads, in the words an agent sees. */
export const FEATURES: readonly Feature[] = [
  { code: "tasksStarted", words: `tasks started in the portal in the last ${TRAIL_DAYS} days`, value: (s) => count(s.tasksStarted), mayLower: true },
  { code: "phoneShare", words: `tasks done on a phone (share, last ${TRAIL_DAYS} days)`, value: (s) => s.phoneShare, mayLower: true },
  { code: "tasksLeft", words: `tasks left for another channel in the last ${TRAIL_DAYS} days`, value: (s) => count(s.tasksLeft) },
  { code: "tasksLeftLately", words: `a task left for another channel in the last ${LEFT_LATELY_DAYS} days`, value: (s) => count(s.tasksLeftLately) },
  { code: "tasksGivenUp", words: `tasks given up in the last ${TRAIL_DAYS} days`, value: (s) => count(s.tasksGivenUp) },
  { code: "recentContacts", words: `contacts with us in the last ${TRAIL_DAYS} days`, value: (s) => count(s.recentContacts) },
  { code: "complaints", words: "complaints", value: (s) => count(s.complaints) },
  { code: "lateDeliveries", words: "late deliveries", value: (s) => count(s.lateDeliveries) },
  { code: "parcelsLateNow", words: "a parcel late right now", value: (s) => count(s.parcelsLateNow) },
  { code: "lostDeliveries", words: "lost parcels", value: (s) => count(s.lostDeliveries) },
  { code: "failedPayments", words: "failed payments", value: (s) => count(s.failedPayments) },
  { code: "overdueRefunds", words: "refunds overdue", value: (s) => count(s.overdueRefunds) },
  { code: "journeyErrors", words: "errors in this task", value: (s) => count(s.journeyErrors) },
  { code: "repeatedError", words: "the same error twice in this task", value: (s) => (s.repeatedErrorCount >= 2 ? 1 : 0) },
];

export const featureVector = (signals: RiskSignals) => FEATURES.map((f) => f.value(signals));

const numbers = z.array(z.number().finite());

/** A trained model as stored (RiskModel.parameters); a model trained on other features is not used. */
export const ModelParameters = z.object({
  features: z.array(z.string()),
  means: numbers,
  scales: numbers,
  weights: numbers,
  intercept: z.number().finite(),
  platt: z.object({ a: z.number().finite(), b: z.number().finite() }),
});
export type ModelParameters = z.infer<typeof ModelParameters>;

/** The stored parameters when they fit today's features, else null (the portal then uses the hand-set weights). */
export function usableParameters(stored: unknown): ModelParameters | null {
  const parsed = ModelParameters.safeParse(stored);
  if (!parsed.success) return null;
  const p = parsed.data;
  const width = FEATURES.length;
  const fits = p.features.length === width && p.features.every((code, j) => code === FEATURES[j].code) && [p.means, p.scales, p.weights].every((a) => a.length === width);
  return fits ? p : null;
}

export type TrainingOptions = { l2?: number; iterations?: number };

/**
 * Fits the regression on `fit` and its calibration on `calibrate` (a later slice, so the
 * calibration sees the model's errors on data it did not learn from).
 */
export function trainModel(fit: readonly { signals: RiskSignals; positive: boolean }[], calibrate: readonly { signals: RiskSignals; positive: boolean }[], options: TrainingOptions = {}): ModelParameters {
  const rows = fit.map((s) => featureVector(s.signals));
  const scaling = scalingOf(rows);
  const samples: Sample[] = rows.map((x, i) => ({ x: scaled(x, scaling), y: fit[i].positive }));
  const regression = fitLogistic(samples, { l2: options.l2 ?? 0.01, iterations: options.iterations ?? 400, nonNegative: FEATURES.map((f) => !f.mayLower) });
  const parameters = { features: FEATURES.map((f) => f.code), ...scaling, ...regression, platt: { a: 1, b: 0 } };
  const platt: Platt = calibrate.length ? fitPlatt(calibrate.map((s) => logOdds(parameters, s.signals)), calibrate.map((s) => s.positive)) : parameters.platt;
  return { ...parameters, platt };
}

/** The uncalibrated log-odds, and each feature's part in it (relative to an average customer). */
function parts(p: ModelParameters, signals: RiskSignals) {
  const x = scaled(featureVector(signals), p);
  return { z: linear(p, x), terms: p.weights.map((w, j) => w * x[j]) };
}

export const logOdds = (p: ModelParameters, signals: RiskSignals) => parts(p, signals).z;

/** The calibrated chance of the outcome. */
export const probability = (p: ModelParameters, signals: RiskSignals) => calibrated(p.platt, logOdds(p, signals));

/**
 * The score (percent chance) and every part of it, adding up to it: the chance of an average
 * customer (every signal at its average), then what each signal moves it by, added one at a time,
 * the strongest first. An agent reads "+12" as "twelve points of this risk come from here" and
 * "−4" as a signal that makes it less likely; rounded as running totals, so the parts add up to the
 * rounded score exactly.
 */
export function scoreWithModel(p: ModelParameters, signals: RiskSignals): RiskScore {
  const { terms } = parts(p, signals);
  const percent = (logOdds: number) => Math.round(100 * calibrated(p.platt, logOdds));
  const average = percent(p.intercept);
  const factors: RiskFactor[] = [];
  let running = p.intercept;
  let score = average;
  for (const j of terms.map((_, j) => j).sort((a, b) => Math.abs(terms[b]) - Math.abs(terms[a]) || a - b)) {
    running += terms[j];
    const next = percent(running);
    if (next !== score) factors.push({ code: FEATURES[j].code, label: FEATURES[j].words, points: next - score });
    score = next;
  }
  factors.sort(bySize);
  return { score, level: riskLevel(score), factors: average === 0 ? factors : [{ ...AVERAGE_CUSTOMER, points: average }, ...factors], source: "model" };
}
