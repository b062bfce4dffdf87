import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { goodwillSchema } from "./agent-actions";

const typed = { orderNumber: "WM-209300", kind: "STORE_CREDIT", justification: "Parcel arrived two weeks late." };
const request = (amount: string) => goodwillSchema.safeParse({ ...typed, amount, requestKey: crypto.randomUUID() });
const amountError = (amount: string) => {
  const parsed = request(amount);
  return parsed.success ? null : parsed.error.issues[0].message;
};

describe("a goodwill amount as an agent types it", () => {
  it("takes plain amounts with at most two decimals", () => {
    expect(request("12.50").data?.amount).toBe(12.5);
    expect(request(" 7 ").data?.amount).toBe(7);
    expect(request("0.01").data?.amount).toBe(0.01);
  });

  it("refuses what would round to nothing, round unseen or is not written as an amount", () => {
    expect(amountError("0.001")).toBe("Enter an amount like 12.50.");
    expect(amountError("12.345")).toBe("Enter an amount like 12.50.");
    expect(amountError("0x1")).toBe("Enter an amount like 12.50.");
    expect(amountError("1e1")).toBe("Enter an amount like 12.50.");
    expect(amountError("")).toBe("Enter an amount like 12.50.");
    expect(amountError("-5")).toBe("Enter an amount like 12.50.");
    expect(amountError("0.00")).toBe("The amount must be at least 0.01.");
    expect(amountError("10000.01")).toBe("Amounts above 10,000 need a manager.");
  });

  it("refuses a grant that does not carry its form's own key, which makes a second send of it grant nothing", () => {
    const parsed = goodwillSchema.safeParse({ ...typed, amount: "5" });
    expect(parsed.success ? null : parsed.error.issues.map((issue) => issue.message)).toEqual(["Reload the case and grant again."]);
  });
});
