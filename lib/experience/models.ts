// The stored risk models (RiskModel rows, trained by ./training.ts) and the score the portal shows:
// the newest model's when one fits today's features, the hand-set weights' until then.
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { usableParameters, type ModelParameters } from "./risk-model";
import { currentRisk, type CurrentRisk } from "./signals";
import type { RiskMetrics } from "./training";

export type StoredRiskModel = { id: string; trainedAt: Date; trainFrom: Date; trainTo: Date; evalFrom: Date; evalTo: Date; parameters: ModelParameters; metrics: RiskMetrics };

/** The newest stored model whose parameters fit today's features, or null (then the hand-set weights score). */
export async function latestRiskModel(db: Db | Prisma.TransactionClient): Promise<StoredRiskModel | null> {
  const row = await db.riskModel.findFirst({ orderBy: { trainedAt: "desc" } });
  const parameters = row ? usableParameters(row.parameters) : null;
  return row && parameters ? { ...row, parameters, metrics: row.metrics as RiskMetrics } : null;
}

/** The customer's risk now (with their live journey when given), scored by the latest model. */
export async function riskNow(db: Db | Prisma.TransactionClient, userId: string, journeyId?: string | null, now = new Date()): Promise<CurrentRisk> {
  return currentRisk(db, userId, journeyId, now, (await latestRiskModel(db))?.parameters ?? null);
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** What /agent/health says about the score: which scorer is in use and, for a model, how it did. */
export function describeRiskModel(model: Omit<StoredRiskModel, "id" | "parameters"> | null): { learned: boolean; text: string } {
  if (!model) {
    return { learned: false, text: "No risk model trained yet: the portal scores risk with the hand-set weights until the worker's risk-model duty has enough weeks of history to train one." };
  }
  const m = model.metrics;
  return {
    learned: true,
    text:
      `Learned risk model trained ${day(model.trainedAt)} on ${m.samples.fit + m.samples.calibration} samples (${day(model.trainFrom)} to ${day(model.trainTo)}); ` +
      `judged on the later window ${day(model.evalFrom)} to ${day(model.evalTo)}: ROC AUC ${m.model.auc.toFixed(3)} against ${m.handSet.auc.toFixed(3)} for the hand-set weights and ${m.baseline.auc.toFixed(3)} for one signal alone.`,
  };
}
