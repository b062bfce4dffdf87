// Trains the experience-risk model on the portal's own history and judges it on a later window
// (the worker's `risk-model` duty, and `npm run bench:risk`). Samples are a customer at a weekly
// cut-off: the signals as they stood then (./signals.ts reads nothing after it), and whether in the
// OUTCOME_DAYS after it they left a task for another channel or contacted us. The weeks are split
// in time, never shuffled: the regression is fitted on the earliest, its calibration on the next,
// and all three scorers are judged on the latest weeks, whose outcomes the training never saw.
import type { Db } from "@/lib/db/client";
import { atThreshold, calibration, fitPlatt, calibrated, rocAuc, type Calibration, type Scored } from "./learn";
import { RISK_CONFIG, scoreRisk, type RiskSignals } from "./risk";
import { OUTCOME_DAYS, probability, trainModel, type ModelParameters } from "./risk-model";
import { signalsAt } from "./signals";

const DAY_MS = 86_400_000;

export const TRAINING_PLAN = {
  /** Weekly cut-offs the regression is fitted on, then those its calibration is fitted on. */
  fitWeeks: 6,
  calibrationWeeks: 2,
  /** The latest weeks, judged only. */
  evaluationWeeks: 4,
  /** Fewer samples (or no positive or no negative one) in a part: no model is stored. */
  minimumSamples: 40,
};
export type TrainingPlan = typeof TRAINING_PLAN;

/** The naive baseline: one signal alone, the one a team would reach for first. */
export const BASELINE_SIGNAL = "recentContacts" satisfies keyof RiskSignals;

type Labelled = { signals: RiskSignals; positive: boolean };

/** Every customer who had an account at `cutoff`, with their signals then and what followed. */
export async function samplesAt(db: Db, cutoff: Date): Promise<Labelled[]> {
  const customers = await db.user.findMany({ where: { role: "CUSTOMER", createdAt: { lt: cutoff } }, select: { id: true } });
  const ids = customers.map((c) => c.id);
  const until = new Date(cutoff.getTime() + OUTCOME_DAYS * DAY_MS);
  const [signals, exited, contacted] = await Promise.all([
    signalsAt(db, ids, cutoff),
    db.journey.findMany({ where: { outcome: "EXITED", endedAt: { gt: cutoff, lte: until }, userId: { in: ids } }, select: { userId: true }, distinct: ["userId"] }),
    db.contact.findMany({ where: { createdAt: { gt: cutoff, lte: until }, userId: { in: ids } }, select: { userId: true }, distinct: ["userId"] }),
  ]);
  const positive = new Set([...exited, ...contacted].map((r) => r.userId));
  return ids.flatMap((id) => {
    const s = signals.get(id);
    return s ? [{ signals: s, positive: positive.has(id) }] : [];
  });
}

export type ScorerFigures = { auc: number; threshold: string; flagged: number; precision: number | null; recall: number | null } & Calibration;
export type RiskMetrics = {
  outcomeDays: number;
  samples: { fit: number; calibration: number; evaluation: number };
  positiveRate: { fit: number; evaluation: number };
  model: ScorerFigures;
  handSet: ScorerFigures;
  baseline: ScorerFigures & { signal: string };
};
export type TrainedRiskModel = { trainFrom: Date; trainTo: Date; evalFrom: Date; evalTo: Date; parameters: ModelParameters; metrics: RiskMetrics };

/** A scorer judged on the evaluation weeks: ranking by `score`, flags at `flagAt`, calibration of `chance`. */
function judge(samples: readonly Labelled[], score: (s: RiskSignals) => number, chance: (s: RiskSignals) => number, flagAt: number, threshold: string): ScorerFigures {
  const scored: Scored[] = samples.map((s) => ({ score: score(s.signals), positive: s.positive }));
  const stated: Scored[] = samples.map((s) => ({ score: chance(s.signals), positive: s.positive }));
  const { flagged, precision, recall } = atThreshold(scored, flagAt);
  return { auc: rocAuc(scored), threshold, flagged, precision, recall, ...calibration(stated) };
}

const rate = (samples: readonly Labelled[]) => samples.filter((s) => s.positive).length / Math.max(1, samples.length);
const enough = (samples: readonly Labelled[], plan: TrainingPlan) => samples.length >= plan.minimumSamples && samples.some((s) => s.positive) && samples.some((s) => !s.positive);

/**
 * Trains on the weeks before `now`'s evaluation window and judges on it, or returns null when the
 * history is too thin to say anything (the portal keeps what it had).
 */
export async function trainRiskModel(db: Db, now: Date, plan: TrainingPlan = TRAINING_PLAN): Promise<TrainedRiskModel | null> {
  const week = 7 * DAY_MS;
  // The latest cut-off whose outcome window has fully passed, then weekly back from it.
  const cutoffs = Array.from({ length: plan.fitWeeks + plan.calibrationWeeks + plan.evaluationWeeks }, (_, k) => new Date(now.getTime() - OUTCOME_DAYS * DAY_MS - k * week)).reverse();
  // An evaluation cut-off lies at or after the end of every training outcome window: no label is seen twice.
  const firstEvaluation = plan.fitWeeks + plan.calibrationWeeks;
  const perCutoff: Labelled[][] = [];
  for (const cutoff of cutoffs) perCutoff.push(await samplesAt(db, cutoff));
  const fit = perCutoff.slice(0, plan.fitWeeks).flat();
  const calibrate = perCutoff.slice(plan.fitWeeks, firstEvaluation).flat();
  const evaluation = perCutoff.slice(firstEvaluation).flat();
  if (![fit, calibrate, evaluation].every((part) => enough(part, plan))) return null;

  const parameters = trainModel(fit, calibrate);
  const handSetPlatt = fitPlatt(calibrate.map((s) => scoreRisk(s.signals).score), calibrate.map((s) => s.positive));
  const baselinePlatt = fitPlatt(fit.map((s) => s.signals[BASELINE_SIGNAL]), fit.map((s) => s.positive));
  const modelChance = (s: RiskSignals) => probability(parameters, s);
  const baselineChance = (s: RiskSignals) => calibrated(baselinePlatt, s[BASELINE_SIGNAL]);
  const flagAt = RISK_CONFIG.interveneAt;
  const metrics: RiskMetrics = {
    outcomeDays: OUTCOME_DAYS,
    samples: { fit: fit.length, calibration: calibrate.length, evaluation: evaluation.length },
    positiveRate: { fit: rate(fit), evaluation: rate(evaluation) },
    model: judge(evaluation, modelChance, modelChance, flagAt / 100, `chance ≥ ${flagAt} %`),
    handSet: judge(evaluation, (s) => scoreRisk(s).score, (s) => calibrated(handSetPlatt, scoreRisk(s).score), flagAt, `score ≥ ${flagAt} points`),
    baseline: { signal: BASELINE_SIGNAL, ...judge(evaluation, baselineChance, baselineChance, flagAt / 100, `chance ≥ ${flagAt} %`) },
  };
  return {
    trainFrom: cutoffs[0],
    trainTo: cutoffs[firstEvaluation],
    evalFrom: cutoffs[firstEvaluation],
    evalTo: now,
    parameters,
    metrics,
  };
}

/** The worker's duty: trains and stores a new model when the history allows; the portal picks it up at once. */
export async function retrainRiskModel(db: Db, now: Date): Promise<TrainedRiskModel | null> {
  const trained = await trainRiskModel(db, now);
  if (trained) await db.riskModel.create({ data: { ...trained, trainedAt: now, metrics: trained.metrics as object, parameters: trained.parameters } });
  return trained;
}
