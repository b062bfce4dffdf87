import { describe, expect, it } from "vitest";
import { localBudget } from "./local-budget";

describe("localBudget", () => {
  it("refuses a client once its window is used up, says when to come back, and lets it go on in the next window", () => {
    let now = 1_000_000;
    const spend = localBudget({ points: 3, durationSeconds: 60 }, () => now);
    expect([1, 2, 3, 4].map(() => spend("203.0.113.7").ok)).toEqual([true, true, true, false]);
    now += 15_000;
    expect(spend("203.0.113.7")).toEqual({ ok: false, retryAfterSeconds: 45 });
    // Another client has its own budget.
    expect(spend("198.51.100.9").ok).toBe(true);
    now += 45_000;
    expect(spend("203.0.113.7").ok).toBe(true);
  });

  it("counts clients beyond the ones it can track together, so a flood of new addresses is still limited", () => {
    let now = 0;
    const spend = localBudget({ points: 2, durationSeconds: 60, maxClients: 3 }, () => now);
    for (const client of ["a", "b", "c"]) expect(spend(client).ok).toBe(true);
    // The map is full: every new address shares one window of 2.
    expect(["d", "e", "f"].map((client) => spend(client).ok)).toEqual([true, true, false]);
    // Tracked clients keep their own windows.
    expect(spend("a").ok).toBe(true);
    expect(spend("a").ok).toBe(false);
    // Once windows have ended their clients are forgotten, and new ones are tracked again.
    now += 60_000;
    expect([spend("g").ok, spend("g").ok, spend("g").ok]).toEqual([true, true, false]);
    expect(spend("h").ok).toBe(true);
  });
});
