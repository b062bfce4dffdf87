// The state a form action returns to its page: one shape for every form.
import type { z } from "zod";

export type FormState = {
  status: "idle" | "ok" | "error";
  message?: string;
  fieldErrors?: Record<string, string>;
  // Echoed back so a failed submit keeps what the customer typed (never passwords).
  values?: Record<string, string>;
};

export const IDLE: FormState = { status: "idle" };

export function formValues(formData: FormData, omit: string[] = []): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !key.startsWith("$") && !omit.includes(key) && !/password/i.test(key)) values[key] = value.slice(0, 500);
  }
  return values;
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; state: FormState };

/** Parses a form with a zod schema; on failure returns the first message per field. */
export function parseForm<S extends z.ZodType>(schema: S, formData: FormData): Parsed<z.infer<S>> {
  const raw = Object.fromEntries([...formData.entries()].filter(([k, v]) => !k.startsWith("$") && typeof v === "string"));
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  const fieldErrors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = String(issue.path[0] ?? "form");
    fieldErrors[key] ??= issue.message;
  }
  return { ok: false, state: { status: "error", message: "Please correct the highlighted fields.", fieldErrors, values: formValues(formData) } };
}
