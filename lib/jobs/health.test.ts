import { describe, expect, it } from "vitest";
import { assessJobs, spanWords, type DutyRun } from "./health";
import type { WorkerSighting } from "./workers";

const now = new Date("2026-12-03T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);
const worker = (alive: boolean, lastSeenMsAgo = 1_000): WorkerSighting => ({ name: `host:${lastSeenMsAgo}`, startedAt: ago(3_600_000), lastSeenAt: ago(lastSeenMsAgo), stoppedAt: alive ? null : ago(lastSeenMsAgo), alive });
const duty = (overrides: Partial<DutyRun> = {}): DutyRun => ({ name: "posthog-outbox", everyMs: 2_000, nextRunAt: new Date(now.getTime() + 1_000), runningSince: null, ...overrides });

describe("background work on the health page", () => {
  it("is ok while a worker beats and every duty's run comes on time", () => {
    expect(assessJobs([worker(true)], [duty(), duty({ name: "email", runningSince: ago(500), nextRunAt: null })], now)).toMatchObject({ state: "ok", reason: "1 worker running every duty on time." });
  });

  it("is down when no worker is alive, however calm the queues look", () => {
    expect(assessJobs([worker(false, 5 * 60_000)], [duty()], now)).toMatchObject({ state: "down", reason: expect.stringContaining("No worker is running (the last one was seen 5 min ago)") });
    expect(assessJobs([], [duty()], now)).toMatchObject({ state: "down", reason: expect.stringContaining("No worker has run on this database") });
  });

  it("is down when a duty silently does not run: nothing queued, or a run long overdue that no worker takes", () => {
    const result = assessJobs([worker(true)], [duty({ name: "abandonment", nextRunAt: null }), duty({ name: "email", nextRunAt: ago(5 * 60_000) }), duty({ name: "returns", nextRunAt: ago(1_000) })], now);
    expect(result).toMatchObject({ state: "down", reason: "Not running: abandonment, email." });
    expect(result.duties.map((d) => [d.name, d.state])).toEqual([["abandonment", "down"], ["email", "down"], ["returns", "ok"]]);
  });

  it("is degraded while a run has gone on for more than ten minutes", () => {
    expect(assessJobs([worker(true)], [duty({ runningSince: ago(11 * 60_000) })], now)).toMatchObject({ state: "degraded", reason: "Falling behind: posthog-outbox." });
  });

  it("is degraded while a duty's runs come on time but leave its work waiting (each run failing)", () => {
    const stuck = assessJobs([worker(true)], [duty({ name: "trail-intents", oldestWaitingAt: ago(5 * 60_000) }), duty({ name: "email", oldestWaitingAt: ago(10_000) })], now);
    expect(stuck).toMatchObject({ state: "degraded", reason: "Falling behind: trail-intents." });
    expect(stuck.duties[0].note).toBe("Its runs are not clearing its work: the oldest has waited 5 min.");
    expect(assessJobs([worker(true)], [duty({ name: "trail-intents", runningSince: ago(1_000), nextRunAt: null, oldestWaitingAt: ago(5 * 60_000) })], now).state).toBe("degraded");
  });

  it("says a daily duty's schedule in hours: 'Runs every 24 h', 'Next run in 24 h', not 1440 and 1433 min", () => {
    const daily = duty({ name: "risk-model", everyMs: 86_400_000, nextRunAt: new Date(now.getTime() + 1433 * 60_000) });
    expect(assessJobs([worker(true)], [daily], now).duties[0].note).toBe("Next run in 24 h.");
    expect([spanWords(2_000), spanWords(5 * 60_000), spanWords(60 * 60_000), spanWords(daily.everyMs)]).toEqual(["2 s", "5 min", "60 min", "24 h"]);
  });
});
