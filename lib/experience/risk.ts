// The signals behind the experience-risk score, and its hand-set weights: how likely this customer
// is to have a bad experience right now, as additive points with caps, so every point can be
// explained; the weights and thresholds are configuration (RISK_CONFIG), not code. The portal
// scores with these until the worker has trained a model (./risk-model.ts, ./models.ts), and the
// model is judged against them. Framework-free.
import { z } from "zod";
import { countOf } from "@/lib/format/plural";

/** How far back the trail signals look, and what counts as "lately" for leaving a task. */
export const TRAIL_DAYS = 30;
export const LEFT_LATELY_DAYS = 3;

export type RiskSignals = {
  // Customer history (look-back windows are the caller's choice; the defaults use 90 days).
  lateDeliveries: number;
  lostDeliveries: number;
  failedPayments: number;
  overdueRefunds: number;
  recentContacts: number;
  complaints: number;
  /** Parcels past their promised day and not delivered, now. */
  parcelsLateNow: number;
  // The customer's own trail in the last TRAIL_DAYS days (read by the learned model only).
  tasksStarted: number;
  /** Share of those tasks done on a phone (0 when none). */
  phoneShare: number;
  tasksLeft: number;
  /** Tasks left for another channel in the last LEFT_LATELY_DAYS days (a contact often follows). */
  tasksLeftLately: number;
  tasksGivenUp: number;
  // The live journey (or, with none, the latest task).
  journeyErrors: number;
  /** The most times one error code occurred in this journey. */
  repeatedErrorCount: number;
  /** Steps visited again after moving on (going back and forth). */
  stepRevisits: number;
  /** Seconds on the current step, and what is usual there (p90), when known. */
  secondsOnStep: number | null;
  usualSecondsOnStep: number | null;
};

export type RiskFactorCode = keyof typeof RISK_CONFIG.points;

type FactorRule = { perUnit: number; cap: number; label: string };

export const RISK_CONFIG = {
  points: {
    lateDeliveries: { perUnit: 12, cap: 30, label: "late deliveries" },
    lostDeliveries: { perUnit: 25, cap: 40, label: "lost parcels" },
    failedPayments: { perUnit: 10, cap: 20, label: "failed payments" },
    overdueRefunds: { perUnit: 25, cap: 40, label: "refunds overdue" },
    recentContacts: { perUnit: 8, cap: 24, label: "recent contacts with us" },
    complaints: { perUnit: 15, cap: 30, label: "complaints" },
    journeyErrors: { perUnit: 6, cap: 18, label: "errors in this task" },
    repeatedError: { perUnit: 25, cap: 25, label: "the same error twice in this task" },
    stepRevisits: { perUnit: 5, cap: 15, label: "going back and forth" },
    slowStep: { perUnit: 15, cap: 15, label: "far longer than usual on this step" },
  } satisfies Record<string, FactorRule>,
  /** Time on a step counts as "far above the usual" beyond this multiple of its p90. */
  slowStepMultiple: 3,
  /** At or above: the portal offers help in place. */
  interveneAt: 50,
  /** At or above: an agent sees the case first. */
  highAt: 70,
};

export type RiskConfig = typeof RISK_CONFIG;

/**
 * One part of a score. `code`: a hand-set factor, a learned model's feature (./risk-model.ts), or
 * one of the parts that are not signals (NOT_SIGNALS): where the learned model starts (an average
 * customer's chance), the hand-set weights' ceiling, and what an old case did not break down.
 * `points` may be negative (a signal that lowers the chance).
 */
export type RiskFactor = { code: string; label: string; points: number };
/**
 * `factors`: every part of the score, so that they add up to it, the biggest signals first.
 * `source`: the learned model, or the hand-set weights while none is trained.
 */
export type RiskScore = { score: number; level: "low" | "medium" | "high"; factors: RiskFactor[]; source: "model" | "hand-set" };

/** The parts of a score that are not signals about the customer. */
export const AVERAGE_CUSTOMER = { code: "average_customer", label: "an average customer’s chance" } as const;
const CEILING = { code: "ceiling", label: "the score stops at 100" } as const;
const NOT_ITEMISED = { code: "not_itemised", label: "not broken down when the case was opened" } as const;
const NOT_SIGNALS: readonly string[] = [AVERAGE_CUSTOMER.code, CEILING.code, NOT_ITEMISED.code];

export function riskLevel(score: number, config: Pick<RiskConfig, "interveneAt" | "highAt"> = RISK_CONFIG): RiskScore["level"] {
  return score >= config.highAt ? "high" : score >= config.interveneAt ? "medium" : "low";
}

/** Biggest first (a signal that lowers the score comes after those that raise it). */
export const bySize = (a: RiskFactor, b: RiskFactor) => b.points - a.points || a.code.localeCompare(b.code);

export const sumOfPoints = (parts: readonly RiskFactor[]) => parts.reduce((sum, part) => sum + part.points, 0);

export function scoreRisk(signals: RiskSignals, config: RiskConfig = RISK_CONFIG): RiskScore {
  const units: Record<RiskFactorCode, number> = {
    lateDeliveries: signals.lateDeliveries,
    lostDeliveries: signals.lostDeliveries,
    failedPayments: signals.failedPayments,
    overdueRefunds: signals.overdueRefunds,
    recentContacts: signals.recentContacts,
    complaints: signals.complaints,
    journeyErrors: signals.journeyErrors,
    repeatedError: signals.repeatedErrorCount >= 2 ? 1 : 0,
    stepRevisits: signals.stepRevisits,
    slowStep:
      signals.secondsOnStep !== null && signals.usualSecondsOnStep !== null && signals.usualSecondsOnStep > 0 && signals.secondsOnStep > config.slowStepMultiple * signals.usualSecondsOnStep ? 1 : 0,
  };
  const factors: RiskFactor[] = [];
  for (const [code, rule] of Object.entries(config.points) as [RiskFactorCode, FactorRule][]) {
    const points = Math.min(rule.cap, Math.max(0, units[code]) * rule.perUnit);
    if (points > 0) factors.push({ code, label: rule.label, points });
  }
  factors.sort(bySize);
  const total = sumOfPoints(factors);
  if (total > 100) factors.push({ ...CEILING, points: 100 - total });
  const score = Math.min(100, total);
  return { score, level: riskLevel(score, config), factors, source: "hand-set" };
}

/** Points as a part of a sum: "+12", "−4". */
export const signedPoints = (points: number) => (points < 0 ? `−${-points}` : `+${points}`);

/** The signals that raise the score, biggest first: why this customer, rather than anyone, is at risk. */
export function raisingSignals(parts: readonly RiskFactor[]): RiskFactor[] {
  return parts.filter((part) => part.points > 0 && !NOT_SIGNALS.includes(part.code)).sort(bySize);
}

/**
 * The score in a line that adds up: where it starts, the `top` signals that raise it most, the
 * rest in one sum, and the ceiling ("an average customer’s chance (+31), late deliveries (+20),
 * 2 other signals (+12)" for 63).
 */
export function explainRisk(risk: RiskScore, top = 3): string {
  if (risk.factors.length === 0) return "No warning signs.";
  const shown = raisingSignals(risk.factors).slice(0, top);
  const start = risk.factors.filter((part) => part.code === AVERAGE_CUSTOMER.code);
  const ceiling = risk.factors.filter((part) => part.code === CEILING.code);
  const others = risk.factors.filter((part) => !shown.includes(part) && !start.includes(part) && !ceiling.includes(part));
  const rest = sumOfPoints(others);
  const restPart = rest !== 0 ? [{ code: "others", label: countOf(others.length, "other signal"), points: rest }] : [];
  return [...start, ...shown, ...restPart, ...ceiling].map((part) => `${part.label} (${signedPoints(part.points)})`).join(", ");
}

const storedParts = z.array(z.object({ code: z.string(), label: z.string(), points: z.number().int() }));

/**
 * The parts of a score as stored with a case, made to add up to its score: a case opened before
 * every part was kept (the learned model's start, signals that lowered it, the ceiling) gets the
 * difference as one part of its own, said to be so.
 */
export function partsAddingUp(score: number | null, stored: unknown): RiskFactor[] {
  const parsed = storedParts.safeParse(stored);
  const parts = parsed.success ? parsed.data : [];
  const missing = (score ?? 0) - sumOfPoints(parts);
  return missing === 0 ? parts : [...parts, { ...NOT_ITEMISED, points: missing }];
}

export const NO_SIGNALS: RiskSignals = {
  lateDeliveries: 0,
  lostDeliveries: 0,
  failedPayments: 0,
  overdueRefunds: 0,
  recentContacts: 0,
  complaints: 0,
  parcelsLateNow: 0,
  tasksStarted: 0,
  phoneShare: 0,
  tasksLeft: 0,
  tasksLeftLately: 0,
  tasksGivenUp: 0,
  journeyErrors: 0,
  repeatedErrorCount: 0,
  stepRevisits: 0,
  secondsOnStep: null,
  usualSecondsOnStep: null,
};
