import { describe, expect, it } from "vitest";
import { initialWizardState, keptWizard, linesWithUnusableNotes, wizardReducer, wizardToKeep, type WizardAction, type WizardState } from "./wizard-state";

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

  it("brings back, after a reload, the screen and everything chosen, without the errors or uploads under way of the page that was left", () => {
    const KEY = "0b8f9d6e-3c1a-4f6e-9d2b-7a5c4e3f2a10";
    const chosen = run(
      initialWizardState(["a", "b"], KEY),
      { type: "choose", lineId: "a", change: { selected: true, quantity: 2, reason: "damaged", note: "Torn at the seam", photo: "photo-token-1" } },
      { type: "items-done", allowed: ["REFUND"] },
      { type: "settle-by", resolution: "REFUND" },
      { type: "resolution-done" },
      { type: "show", step: "method" },
      { type: "send-by", method: "LABEL" },
      { type: "upload", busy: true },
      { type: "refuse", errors: { method: "Choose" } },
    );
    const kept = keptWizard(wizardToKeep(chosen), { a: 2, b: 1 });
    const reloaded = run(initialWizardState(["a", "b"], "a-new-key"), { type: "restore", kept: kept! });
    expect(reloaded).toEqual({ ...chosen, errors: {}, uploading: 0 });
    expect(reloaded.idempotencyKey).toBe(KEY);
  });

  it("starts afresh when nothing was kept, what was kept is not a form of ours, or the order's returnable items have changed since", () => {
    const kept = wizardToKeep(run(initialWizardState(["a"], "0b8f9d6e-3c1a-4f6e-9d2b-7a5c4e3f2a10"), { type: "choose", lineId: "a", change: { quantity: 3 } }));
    expect(keptWizard(kept, { a: 3 })).not.toBeNull();
    expect(keptWizard(null, { a: 3 })).toBeNull();
    expect(keptWizard("{not json", { a: 3 })).toBeNull();
    expect(keptWizard(JSON.stringify({ step: "anywhere" }), { a: 3 })).toBeNull();
    expect(keptWizard(kept, { a: 2 })).toBeNull();
    expect(keptWizard(kept, { b: 3 })).toBeNull();
    expect(keptWizard(kept, { a: 3, b: 1 })).toBeNull();
  });

  it("finds the chosen items whose note holds a NUL byte, so the items screen refuses it before Submit", () => {
    const state = run(
      initialWizardState(["a", "b", "c"], "k"),
      { type: "choose", lineId: "a", change: { selected: true, note: "Torn\u0000" } },
      { type: "choose", lineId: "b", change: { selected: false, note: "\u0000" } },
      { type: "choose", lineId: "c", change: { selected: true, note: "Fine" } },
    );
    expect(linesWithUnusableNotes(state.choices)).toEqual(["a"]);
  });
});
