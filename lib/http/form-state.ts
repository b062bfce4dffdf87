// The state a form action returns to its page: one shape for every form.
import type { z } from "zod";

export type FormState = {
  status: "idle" | "ok" | "error";
  message?: string;
  fieldErrors?: Record<string, string>;
  // Echoed back so a failed submit keeps what the customer typed (never passwords).
  values?: Record<string, string>;
  // An outside page the browser opens next (Stripe's hosted pages). Not a server action's
  // redirect(): for another origin, Next's router may also fetch that page as a page payload,
  // which the CSP's connect-src refuses.
  leaveFor?: string;
};

export const IDLE: FormState = { status: "idle" };

/**
 * A form action with its id already bound, as a client form takes it from its page (a server
 * component): `<CancelForm action={cancelOrderAction.bind(null, order.number)} />`. Never bound in
 * the client component: there each render binds anew, with a new promise of the bound id. When a form
 * sent without JavaScript is refused, the page is rendered with the answer, and useActionState first
 * checks the answer is its own action's by the bound ids, suspending on that promise until it has
 * settled; every retry binds again, so the page never answered (vercel/next.js#57867, open). Bound by
 * the page, the action arrives with its ids settled and is the same on every render.
 */
export type BoundFormAction = (previous: FormState, formData: FormData) => Promise<FormState>;

export function formValues(formData: FormData, omit: string[] = []): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !key.startsWith("$") && !omit.includes(key) && !/password/i.test(key)) values[key] = value.slice(0, 500);
  }
  return values;
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; state: FormState };

/** The form's text fields by name, without React's own (`$ACTION_…`) fields. */
export function formFields(formData: FormData): Record<string, string> {
  return Object.fromEntries([...formData.entries()].filter((entry): entry is [string, string] => !entry[0].startsWith("$") && typeof entry[1] === "string"));
}

/** A refused form's answer: the first message per field, keeping what was typed. */
export function fieldErrorsState(error: z.ZodError, formData: FormData): FormState {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    fieldErrors[key] ??= issue.message;
  }
  return { status: "error", message: "Please correct the highlighted fields.", fieldErrors, values: formValues(formData) };
}

/** Parses a form with a zod schema; on failure returns the first message per field. */
export function parseForm<S extends z.ZodType>(schema: S, formData: FormData): Parsed<z.infer<S>> {
  const result = schema.safeParse(formFields(formData));
  return result.success ? { ok: true, data: result.data } : { ok: false, state: fieldErrorsState(result.error, formData) };
}
