import { describe, expect, it, vi } from "vitest";
import { IDLE, type FormState } from "./form-state";
import { safeAction, UNREADABLE_FORM, type BoundFormArgs } from "./safe-action";

const form = (entries: Record<string, string> = { name: "Ada" }) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(entries)) data.append(k, v);
  return data;
};

describe("safeAction", () => {
  const seen = vi.fn(async (_previous: FormState, formData: FormData): Promise<FormState> => ({ status: "ok", message: String(formData.get("name")) }));
  const action = safeAction("test", seen);

  it("passes a well-formed call through", async () => {
    expect(await action(IDLE, form())).toEqual({ status: "ok", message: "Ada" });
  });

  // (FormData itself turns a lone surrogate into U+FFFD, as a browser's form encoding does.)
  it("refuses, without running the action, what no form of ours sends: no form, wrong types, NUL bytes", async () => {
    seen.mockClear();
    const call = action as (...args: unknown[]) => Promise<FormState>;
    for (const args of [[], [IDLE], [IDLE, null], [IDLE, { get: () => "x" }], ["WM-1", IDLE, form()], [IDLE, form({ name: "a\u0000" })]]) {
      expect(await call(...args), JSON.stringify(args)).toEqual(UNREADABLE_FORM);
    }
    expect(seen).not.toHaveBeenCalled();
  });

  it("checks a bound action's ids: text of a sensible length, nothing else", async () => {
    const bound = (id: unknown, previous: unknown, formData: unknown) => safeAction<BoundFormArgs>("bound", async () => ({ status: "ok" }))(id as string, previous as FormState, formData as FormData);
    expect(await bound("WM-100001", IDLE, form())).toEqual({ status: "ok" });
    for (const id of [{ toString: null }, 42, null, "WM-1\u0000", "WM-\uD800", "x".repeat(201)]) expect(await bound(id, IDLE, form())).toEqual(UNREADABLE_FORM);
  });
});
