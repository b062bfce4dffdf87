import { describe, expect, it } from "vitest";
import { initialWizardState, wizardReducer, type WizardAction, type WizardState } from "./wizard-state";

const run = (state: WizardState, ...actions: WizardAction[]) => actions.reduce(wizardReducer, state);

describe("the return form's state", () => {
  it("starts on the items screen, a lone item already selected, several not", () => {
    expect(initialWizardState(["a"], "key-1")).toEqual({
      step: "items",
      choices: { a: { selected: true, quantity: 1, reason: "", note: "", photo: null, exchangeVariantId: "" } },
      errors: {},
      uploading: 0,
      resolution: null,
      method: null,
      idempotencyKey: "key-1",
    });
    expect(Object.values(initialWizardState(["a", "b"], "key-2").choices).map((c) => c.selected)).toEqual([false, false]);
  });

  it("clears an item's own errors and the screen's when the item changes, and keeps the others", () => {
    const refused = run(initialWizardState(["a", "b"], "k"), { type: "refuse", errors: { items: "Choose", "a-reason": "Why?", "b-reason": "Why?" } });
    const changed = run(refused, { type: "choose", lineId: "a", change: { reason: "damaged", quantity: 2 } });
    expect(changed.errors).toEqual({ "b-reason": "Why?" });
    expect(changed.choices.a).toMatchObject({ reason: "damaged", quantity: 2, selected: false });
    expect(changed.choices.b).toEqual(refused.choices.b);
  });

  it("counts photos uploading up and down", () => {
    expect(run(initialWizardState(["a"], "k"), { type: "upload", busy: true }, { type: "upload", busy: true }, { type: "upload", busy: false }).uploading).toBe(1);
  });

  it("moves on from the items with the errors cleared, dropping a resolution the new selection no longer allows", () => {
    const chosen = run(initialWizardState(["a"], "k"), { type: "settle-by", resolution: "EXCHANGE" }, { type: "refuse", errors: { items: "x" } });
    expect(run(chosen, { type: "items-done", allowed: ["REFUND", "EXCHANGE"] })).toMatchObject({ step: "resolution", resolution: "EXCHANGE", errors: {} });
    expect(run(chosen, { type: "items-done", allowed: ["REFUND"] })).toMatchObject({ step: "resolution", resolution: null, errors: {} });
  });

  it("clears the errors when a resolution or method is chosen, and walks the screens back and forth", () => {
    const state = run(
      initialWizardState(["a"], "k"),
      { type: "refuse", errors: { resolution: "Choose" } },
      { type: "settle-by", resolution: "REFUND" },
      { type: "resolution-done" },
      { type: "show", step: "method" },
      { type: "refuse", errors: { method: "Choose" } },
      { type: "send-by", method: "DROP_OFF" },
    );
    expect(state).toMatchObject({ step: "method", resolution: "REFUND", method: "DROP_OFF", errors: {} });
    expect(run(state, { type: "show", step: "items" })).toMatchObject({ step: "items", resolution: "REFUND", method: "DROP_OFF" });
  });
});
