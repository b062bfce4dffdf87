// How well the experience-risk score predicts a bad experience, measured on seeded history it was
// not tuned on (run on demand: `npm run bench:risk`; never part of `npm test`).
//
// The score has no fitted parameters (its weights are configuration), so "holding out" means:
// for weekly cut-off dates in the last HOLDOUT_WEEKS weeks of history, score every customer with
// what Waymark knew BEFORE the cut-off, then look at the 7 days AFTER it. Positive = the customer
// left a task for another channel or contacted us in those 7 days.
// Reports ROC AUC and precision/recall at the intervention threshold, whatever they are.
import { parseArgs } from "node:util";
import { createDb } from "../lib/db/client";
import { NO_SIGNALS, RISK_CONFIG, scoreRisk } from "../lib/experience/risk";
import { customerSignals } from "../lib/experience/signals";
import { resolveDatabase } from "../scripts/support/database";

const { values } = parseArgs({ options: { weeks: { type: "string", default: "8" }, customers: { type: "string", default: "400" } } });
const HOLDOUT_WEEKS = Number(values.weeks);
const DAY = 86_400_000;

export function rocAuc(samples: { score: number; positive: boolean }[]): number {
  const sorted = [...samples].sort((a, b) => a.score - b.score);
  // Average ranks over ties (Mann–Whitney U).
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
  return (rankSumPositives - (positives * (positives + 1)) / 2) / (positives * negatives);
}

const database = await resolveDatabase();
const db = createDb(database.url, 4);
const customers = await db.user.findMany({ where: { role: "CUSTOMER", status: "ACTIVE" }, select: { id: true }, take: Number(values.customers), orderBy: { createdAt: "asc" } });
const latest = (await db.trailEvent.aggregate({ _max: { occurredAt: true } }))._max.occurredAt ?? new Date();
const samples: { score: number; positive: boolean }[] = [];

for (let week = HOLDOUT_WEEKS; week >= 1; week--) {
  const cutoff = new Date(latest.getTime() - week * 7 * DAY);
  const until = new Date(cutoff.getTime() + 7 * DAY);
  const [exited, contacted] = await Promise.all([
    db.journey.findMany({ where: { outcome: "EXITED", endedAt: { gt: cutoff, lte: until }, userId: { not: null } }, select: { userId: true }, distinct: ["userId"] }),
    db.contact.findMany({ where: { createdAt: { gt: cutoff, lte: until }, userId: { not: null } }, select: { userId: true }, distinct: ["userId"] }),
  ]);
  const positive = new Set([...exited, ...contacted].map((r) => r.userId));
  for (const c of customers) {
    const risk = scoreRisk({ ...NO_SIGNALS, ...(await customerSignals(db, c.id, cutoff)) });
    samples.push({ score: risk.score, positive: positive.has(c.id) });
  }
}

const positives = samples.filter((s) => s.positive).length;
const flagged = samples.filter((s) => s.score >= RISK_CONFIG.interveneAt);
const truePositives = flagged.filter((s) => s.positive).length;
console.log("\nExperience-risk score on held-out seeded history");
console.log(`  ${HOLDOUT_WEEKS} weekly cut-offs × ${customers.length} customers = ${samples.length} samples, ${positives} positive (${((positives / samples.length) * 100).toFixed(1)} %)`);
console.log(`  ROC AUC                       ${rocAuc(samples).toFixed(3)}  (0.5 = chance)`);
console.log(`  at the intervention threshold ${RISK_CONFIG.interveneAt}: flagged ${flagged.length}, precision ${flagged.length ? ((truePositives / flagged.length) * 100).toFixed(1) : "–"} %, recall ${positives ? ((truePositives / positives) * 100).toFixed(1) : "–"} %`);
console.log(`  base rate (precision of flagging everyone) ${((positives / samples.length) * 100).toFixed(1)} %`);
await db.$disconnect();
await database.stop();
process.exit(0);
