// The learned risk score end to end: a real worker process (scripts/worker.ts) runs its
// `risk-model` duty on real rows in PostgreSQL, stores the model with its windows and figures, and
// the portal's score (cases, the live view) then comes from that model, not the hand-set weights.
import { type ChildProcess, spawn } from "node:child_process";
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openCase } from "@/lib/cases/cases";
import { latestRiskModel, riskNow } from "@/lib/experience/models";
import { scoreWithModel } from "@/lib/experience/risk-model";
import { signalsAt } from "@/lib/experience/signals";
import { liveJourneys } from "@/lib/frontline/live";
import type { Prisma } from "@/lib/generated/prisma/client";
import { OUTSIDE_NEXT } from "@/scripts/support/outside-next-path";
import { type FreshDatabase, freshDatabase } from "../support/db";

const DAY = 86_400_000;
const CUSTOMERS = 30;

let fresh: FreshDatabase;
let worker: ChildProcess | undefined;
const busy: string[] = [];

// A history with a relation in it: half the customers use the portal every other day on a phone and
// leave each task for the phone; the other half finish a task on a desktop every fortnight.
beforeAll(async () => {
  fresh = await freshDatabase();
  const now = Date.now();
  const journeys: Prisma.JourneyCreateManyInput[] = [];
  for (let i = 0; i < CUSTOMERS; i++) {
    const user = await fresh.db.user.create({ data: { name: `Risk ${i}`, email: `risk-${i}@example.com`, role: "CUSTOMER", createdAt: new Date(now - 200 * DAY) } });
    const leaves = i % 2 === 0;
    if (leaves) busy.push(user.id);
    for (let daysAgo = 110; daysAgo > 0; daysAgo -= leaves ? 2 : 14) {
      const startedAt = new Date(now - daysAgo * DAY);
      const endedAt = new Date(startedAt.getTime() + 5 * 60_000);
      journeys.push({
        id: crypto.randomUUID(),
        type: "return",
        userId: user.id,
        deviceClass: leaves ? "MOBILE" : "DESKTOP",
        startedAt,
        lastActivityAt: endedAt,
        endedAt,
        lastStep: "items",
        outcome: leaves ? "EXITED" : "COMPLETED",
        exitChannel: leaves ? "PHONE" : null,
      });
    }
  }
  await fresh.db.journey.createMany({ data: journeys });
});
afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((resolve) => worker?.once("exit", resolve));
    worker.kill("SIGTERM");
    await exited;
  }
  await fresh?.drop();
});

describe("the risk score that learns", () => {
  it("uses the hand-set weights until a model is trained, then the model the worker trained on the history", { timeout: 180_000 }, async () => {
    const customer = busy[0];
    expect(await latestRiskModel(fresh.db)).toBeNull();
    expect((await riskNow(fresh.db, customer)).source).toBe("hand-set");

    worker = spawn(process.execPath, ["--import", "tsx", "--import", OUTSIDE_NEXT, "scripts/worker.ts"], {
      env: { ...process.env, DATABASE_URL: fresh.url, NEXTAUTH_SECRET: "risk-model-test-secret" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    // A worker runs every duty once when it starts.
    await expect.poll(() => fresh.db.riskModel.count(), { timeout: 150_000, interval: 1000 }).toBeGreaterThan(0);
    const model = await latestRiskModel(fresh.db);
    if (!model) throw new Error("the stored model does not fit today's features");

    // Judged on a later window than it was trained on, against both baselines.
    expect(model.trainFrom.getTime()).toBeLessThan(model.trainTo.getTime());
    expect(model.trainTo.getTime()).toBeLessThanOrEqual(model.evalFrom.getTime());
    expect(model.evalFrom.getTime()).toBeLessThan(model.evalTo.getTime());
    expect(model.metrics.samples.evaluation).toBeGreaterThan(0);
    // Every other customer leaves a task each week: the model ranks them all first.
    expect(model.metrics.model.auc).toBe(1);
    expect(model.metrics.handSet.auc).toBeCloseTo(0.5, 5);
    expect(model.metrics.baseline.bins.length).toBeGreaterThan(0);

    // The portal scores with it: the busy customer's score is the model's, explained by their trail.
    const now = new Date();
    const signals = (await signalsAt(fresh.db, [customer], now)).get(customer);
    if (!signals) throw new Error("no signals");
    const expected = scoreWithModel(model.parameters, signals);
    const risk = await riskNow(fresh.db, customer, null, now);
    expect(risk).toMatchObject({ source: "model", score: expected.score });
    expect(risk.score).toBeGreaterThanOrEqual(50);
    expect(risk.factors.map((f) => f.label).join(", ")).toMatch(/on a phone|left for another channel|tasks started/);
    const opened = await openCase(fresh.db, { userId: customer, channel: "PHONE", reason: "help", now });
    expect(opened.riskScore).toBe(expected.score);

    // And the live view shows the model's score and its top signals on the customer's row.
    const journeyId = crypto.randomUUID();
    await fresh.db.journey.create({ data: { id: journeyId, type: "return", userId: customer, deviceClass: "MOBILE", startedAt: now, lastActivityAt: now, lastStep: "items" } });
    const row = (await liveJourneys(fresh.db, now)).find((r) => r.journeyId === journeyId);
    expect(row).toMatchObject({ riskSource: "model", riskWhy: expect.stringMatching(/\(\+\d+\)/) });
  });
});
