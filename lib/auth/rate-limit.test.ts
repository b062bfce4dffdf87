import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config/env";
import { BUDGETS, budgetPoints } from "./rate-limit";

describe("per-client budget multiplier", () => {
  it("defaults to 1 and accepts whole numbers", () => {
    expect(parseConfig({}).CLIENT_BUDGET_MULTIPLIER).toBe(1);
    expect(parseConfig({ CLIENT_BUDGET_MULTIPLIER: "" }).CLIENT_BUDGET_MULTIPLIER).toBe(1);
    expect(parseConfig({ CLIENT_BUDGET_MULTIPLIER: "100" }).CLIENT_BUDGET_MULTIPLIER).toBe(100);
  });

  it("refuses anything else with a message naming the variable", () => {
    for (const bad of ["0", "-3", "1.5", "abc", "1e9"]) {
      expect(() => parseConfig({ CLIENT_BUDGET_MULTIPLIER: bad })).toThrow(/CLIENT_BUDGET_MULTIPLIER/);
    }
  });

  it("scales only the per-client budgets: guessing one account stays at its shipped limit", () => {
    expect(budgetPoints("signin:client", 100)).toBe(BUDGETS["signin:client"].points * 100);
    expect(budgetPoints("signup:client", 100)).toBe(BUDGETS["signup:client"].points * 100);
    expect(budgetPoints("signin:account", 100)).toBe(BUDGETS["signin:account"].points);
    expect(budgetPoints("reset:address", 100)).toBe(BUDGETS["reset:address"].points);
  });
});
