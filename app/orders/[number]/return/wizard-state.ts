// The return form's state and every change to it, as one reducer: which screen is shown, what the
// customer chose per item, the resolution and the method, the field errors, and photos uploading.
// Plain and framework-free (the form, ./return-wizard.tsx, validates and records the trail).
import type { Method, Resolution, ReturnReason } from "@/lib/returns/policy";

export type Step = "items" | "resolution" | "review" | "method";

export type Choice = { selected: boolean; quantity: number; reason: ReturnReason | ""; note: string; photo: string | null; exchangeVariantId: string };

export type WizardState = {
  step: Step;
  choices: Record<string, Choice>;
  errors: Record<string, string>;
  /** Photos still uploading; the items screen waits for them. */
  uploading: number;
  resolution: Resolution | null;
  method: Method | null;
  /** One per form: submitting twice makes one return. */
  idempotencyKey: string;
};

export type WizardAction =
  | { type: "choose"; lineId: string; change: Partial<Choice> }
  | { type: "upload"; busy: boolean }
  | { type: "refuse"; errors: Record<string, string> }
  | { type: "show"; step: Step }
  | { type: "items-done"; allowed: Resolution[] }
  | { type: "resolution-done" }
  | { type: "settle-by"; resolution: Resolution }
  | { type: "send-by"; method: Method };

/** A single returnable item starts selected; several start unselected. */
export function initialWizardState(returnableLineIds: string[], idempotencyKey: string): WizardState {
  const choice = (): Choice => ({ selected: returnableLineIds.length === 1, quantity: 1, reason: "", note: "", photo: null, exchangeVariantId: "" });
  return { step: "items", choices: Object.fromEntries(returnableLineIds.map((id) => [id, choice()])), errors: {}, uploading: 0, resolution: null, method: null, idempotencyKey };
}

export function wizardReducer(state: WizardState, action: WizardAction): WizardState {
  switch (action.type) {
    case "choose": {
      // A change to an item clears that item's errors and the screen's own.
      const errors = Object.fromEntries(Object.entries(state.errors).filter(([key]) => !key.startsWith(action.lineId) && key !== "items"));
      return { ...state, choices: { ...state.choices, [action.lineId]: { ...state.choices[action.lineId], ...action.change } }, errors };
    }
    case "upload":
      return { ...state, uploading: state.uploading + (action.busy ? 1 : -1) };
    case "refuse":
      return { ...state, errors: action.errors };
    case "show":
      return { ...state, step: action.step };
    case "items-done":
      // A resolution the new selection no longer allows is chosen again.
      return { ...state, errors: {}, step: "resolution", resolution: state.resolution && action.allowed.includes(state.resolution) ? state.resolution : null };
    case "resolution-done":
      return { ...state, errors: {}, step: "review" };
    case "settle-by":
      return { ...state, resolution: action.resolution, errors: {} };
    case "send-by":
      return { ...state, method: action.method, errors: {} };
  }
}
