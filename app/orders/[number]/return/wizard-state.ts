// The return form's state and every change to it, as one reducer: which screen is shown, what the
// customer chose per item, the resolution and the method, the field errors, and photos uploading.
// Plain and framework-free (the form, ./return-wizard.tsx, validates and records the trail).
import { z } from "zod";
import { isStorableText } from "@/lib/http/input";
import { METHODS, RESOLUTIONS, RETURN_REASONS, type Method, type Resolution, type ReturnReason } from "@/lib/returns/policy";

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
  | { type: "send-by"; method: Method }
  | { type: "restore"; kept: KeptWizard };

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
    case "restore":
      return { ...state, ...action.kept, errors: {} };
  }
}

// Kept in the tab's sessionStorage for each order, so a reload (or a phone bringing the tab back)
// opens the screen the customer was on with what they chose. Kept: the screen, each item's choices
// (a photo by the token of its finished upload, never its bytes), the resolution, the method and the
// idempotency key, so a return sent before the reload is not made twice. Not kept: errors and
// uploads under way.
const STEPS = ["items", "resolution", "review", "method"] as const satisfies readonly Step[];

const KEPT_WIZARD = z.object({
  step: z.enum(STEPS),
  choices: z.record(
    z.string(),
    z.object({
      selected: z.boolean(),
      quantity: z.number().int().min(1),
      reason: z.union([z.enum(RETURN_REASONS), z.literal("")]),
      note: z.string().max(500),
      photo: z.string().max(500).nullable(),
      exchangeVariantId: z.string().max(200),
    }),
  ),
  resolution: z.enum(RESOLUTIONS).nullable(),
  method: z.enum(METHODS).nullable(),
  idempotencyKey: z.string().uuid(),
});

export type KeptWizard = z.infer<typeof KEPT_WIZARD>;

export function keptWizardKey(orderNumber: string): string {
  return `waymark:return-wizard:${orderNumber}`;
}

export function wizardToKeep({ step, choices, resolution, method, idempotencyKey }: WizardState): string {
  return JSON.stringify({ step, choices, resolution, method, idempotencyKey } satisfies KeptWizard);
}

/**
 * What was kept for this order, if it still fits the items that can be returned now (the same
 * items, none in a greater number than can be returned); otherwise the form starts afresh.
 */
export function keptWizard(kept: string | null, returnable: Record<string, number>): KeptWizard | null {
  if (!kept) return null;
  let json: unknown;
  try {
    json = JSON.parse(kept);
  } catch {
    return null;
  }
  const parsed = KEPT_WIZARD.safeParse(json);
  if (!parsed.success) return null;
  const lineIds = Object.keys(parsed.data.choices);
  const fits = lineIds.length === Object.keys(returnable).length && Object.entries(parsed.data.choices).every(([lineId, choice]) => choice.quantity <= (returnable[lineId] ?? 0));
  return fits ? parsed.data : null;
}

/** Items whose note holds a character that cannot be stored (pasted in): refused on the items screen, not at Submit. */
export function linesWithUnusableNotes(choices: Record<string, Choice>): string[] {
  return Object.entries(choices)
    .filter(([, choice]) => choice.selected && !isStorableText(choice.note))
    .map(([lineId]) => lineId);
}
