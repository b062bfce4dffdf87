// How well the experience-risk scores predict a bad experience, on the database's history (run on
// demand: `npm run bench:risk`; never part of `npm test`). It trains exactly as the worker's
// `risk-model` duty does (lib/experience/training.ts), as of the latest trail event, and prints
// the three scorers judged on the same later window: the learned model, the hand-set weights, and
// a one-signal baseline. Nothing is stored.
//
// On the demo database the history is SIMULATED (lib/seed/trail.ts, lib/seed/demo/notices.ts):
// the figures say how well each scorer recovers the relations the simulation built in, not how it
// would do on real customers. The README's "Risk score" section says how the simulation was made.
import os from "node:os";
import { createDb } from "../lib/db/client";
import type { ScorerFigures } from "../lib/experience/training";
import { TRAINING_PLAN, trainRiskModel } from "../lib/experience/training";
import { FEATURES } from "../lib/experience/risk-model";
import { resolveDatabaseOrExit } from "../scripts/support/database";

const database = await resolveDatabaseOrExit("[bench:risk]");
const db = createDb(database.url, 4);
const latest = (await db.trailEvent.aggregate({ _max: { occurredAt: true } }))._max.occurredAt ?? new Date();
const started = performance.now();
const trained = await trainRiskModel(db, latest);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
const day = (d: Date) => d.toISOString().slice(0, 10);
const pct = (x: number | null) => (x === null ? "   –  " : `${(100 * x).toFixed(1).padStart(5)} %`);

if (!trained) {
  console.log("Too little history to train and judge a risk model (seed the demo data: npm run seed).");
} else {
  const { metrics: m } = trained;
  console.log("\nExperience-risk scores on SIMULATED demo history (lib/seed): a later window than the model was trained on");
  console.log(`  outcome: the customer left a task for another channel or contacted us within ${m.outcomeDays} days of a weekly cut-off`);
  console.log(`  trained on cut-offs ${day(trained.trainFrom)} … ${day(trained.trainTo)} (regression ${TRAINING_PLAN.fitWeeks} weeks: ${m.samples.fit} samples, ${pct(m.positiveRate.fit).trim()} positive; calibration ${TRAINING_PLAN.calibrationWeeks} weeks: ${m.samples.calibration} samples)`);
  console.log(`  judged on cut-offs ${day(trained.evalFrom)} … ${day(trained.evalTo)} (${TRAINING_PLAN.evaluationWeeks} weeks: ${m.samples.evaluation} samples, ${pct(m.positiveRate.evaluation).trim()} positive)`);
  console.log(`  trained and judged in ${seconds} s · load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}\n`);
  const scorers: [string, ScorerFigures][] = [
    ["learned model", m.model],
    ["hand-set weights", m.handSet],
    [`one signal (${m.baseline.signal})`, m.baseline],
  ];
  console.log(`  ${"scorer".padEnd(30)} ${"ROC AUC".padStart(7)}  ${"threshold".padEnd(18)} ${"flagged".padStart(7)} ${"precision".padStart(9)} ${"recall".padStart(8)}  ${"Brier".padStart(6)} ${"ECE".padStart(6)}`);
  for (const [name, f] of scorers) {
    console.log(`  ${name.padEnd(30)} ${f.auc.toFixed(3).padStart(7)}  ${f.threshold.padEnd(18)} ${String(f.flagged).padStart(7)} ${pct(f.precision).padStart(9)} ${pct(f.recall).padStart(8)}  ${f.brier.toFixed(3).padStart(6)} ${f.ece.toFixed(3).padStart(6)}`);
  }
  console.log(`\n  Reliability (evaluation window; each scorer's chance calibrated on the training window): predicted vs observed rate per bin`);
  for (const [name, f] of scorers) {
    console.log(`  ${name}`);
    for (const bin of f.bins) console.log(`    ${(bin.from * 100).toFixed(0).padStart(3)}–${(bin.to * 100).toFixed(0).padEnd(3)} %  n=${String(bin.count).padStart(5)}  predicted ${pct(bin.predicted)}  observed ${pct(bin.observed)}`);
  }
  console.log("\n  What the model learned (weight per standard deviation of the signal, largest first)");
  const p = trained.parameters;
  const order = p.weights.map((w, j) => [w, j] as const).sort((a, b) => Math.abs(b[0]) - Math.abs(a[0]));
  for (const [w, j] of order) console.log(`    ${(w >= 0 ? "+" : "") + w.toFixed(3)}  ${FEATURES[j].words}`);
}
await db.$disconnect();
await database.stop();
process.exit(0);
