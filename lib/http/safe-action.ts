// Wraps a server action so an unexpected failure reaches the customer as one calm message with a
// reference, and the detail only reaches the server log. Anyone can call a server action with any
// arguments, so the wrapper also refuses what no form of ours sends before the action sees it.
import crypto from "node:crypto";
import { unstable_rethrow } from "next/navigation";
import type { FormState } from "./form-state";
import { isStorableText } from "./input";

/** How a form action with ids bound to it (`action.bind(null, orderNumber)`) is called. */
export type BoundFormArgs = [id: string, previous: FormState, formData: FormData];

const MAX_BOUND_ID_LENGTH = 200;

export const UNREADABLE_FORM: FormState = { status: "error", message: "We could not read this form. Reload the page and try again." };

/**
 * A form action is called with its bound ids (text), the previous state (ignored) and the form.
 * Anything else (no form, an id that is not text, a NUL byte or broken Unicode in any field) is
 * refused here instead of failing deep inside as a 500.
 */
export function isWellFormedActionInput(args: readonly unknown[], declared: number): boolean {
  if (args.length < 2 || (declared > 0 && args.length !== declared)) return false;
  const formData = args[args.length - 1];
  const ids = args.slice(0, -2);
  if (!(formData instanceof FormData)) return false;
  if (!ids.every((id) => typeof id === "string" && id.length <= MAX_BOUND_ID_LENGTH && isStorableText(id))) return false;
  return [...formData.values()].every((value) => typeof value !== "string" || isStorableText(value));
}

export function safeAction<A extends unknown[]>(name: string, action: (...args: A) => Promise<FormState>) {
  return async (...args: A): Promise<FormState> => {
    // A bound action's wrapper declares no parameters of its own and forwards (id, previous, form).
    if (!isWellFormedActionInput(args, action.length)) return UNREADABLE_FORM;
    try {
      return await action(...args);
    } catch (error) {
      unstable_rethrow(error);
      const reference = crypto.randomUUID().slice(0, 8);
      console.error(`[action:${name}] failed (ref ${reference})`, error);
      return { status: "error", message: `Something went wrong on our side and nothing was changed. Please try again in a moment (reference ${reference}).` };
    }
  };
}
