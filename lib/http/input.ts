// Text from outside that the portal can store and compare. PostgreSQL refuses a NUL byte in text
// (the query fails: a 500), and a lone UTF-16 surrogate is not Unicode at all (it breaks
// encodeURIComponent and turns into U+FFFD on the way to the database). Neither is in any name,
// address, id or message a person types, so both are refused at the boundary.
import { z } from "zod";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Said beside a field holding such a character; a person never types one, pasting can bring one in. */
export const UNUSABLE_CHARACTER = "This holds a hidden character that cannot be used, often brought in by pasting. Type it again and send it.";

export function isStorableText(value: string): boolean {
  return !value.includes("\u0000") && !LONE_SURROGATE.test(value);
}

/** z.string() for input from outside: also refuses what isStorableText refuses. */
export const storableText = () => z.string().refine(isStorableText, UNUSABLE_CHARACTER);

/**
 * Optional free text (a comment, a note): trimmed, at most `max` characters, empty means none
 * (null). A form sends a text area's line breaks as CRLF: each is kept as one "\n", as the browser
 * counted it against the field's maxLength.
 */
export const optionalText = (max: number, tooLong: string) =>
  storableText()
    .transform((value) => value.replaceAll("\r\n", "\n").trim())
    .pipe(z.string().max(max, tooLong))
    .optional()
    .transform((value) => (value ? value : null));

/** The letters and digits in `value`: what a person wrote, without spaces, punctuation or invisible characters. */
export function writtenLength(value: string): number {
  return value.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
}

/**
 * Required free text that explains something (an agent's reason for setting a rule aside): trimmed,
 * at most `max` characters, and at least `minWritten` letters or digits. Counting characters let
 * 25 zero-width spaces or soft hyphens through, which staff read as an empty justification.
 */
export const explanationText = (minWritten: number, tooShort: string, max: number, tooLong: string) =>
  storableText()
    .transform((value) => value.replaceAll("\r\n", "\n").trim())
    .pipe(z.string().max(max, tooLong).refine((value) => writtenLength(value) >= minWritten, tooShort));

/** isStorableText for every string (keys too) anywhere in a parsed JSON body. */
export function isStorableJson(value: unknown): boolean {
  if (typeof value === "string") return isStorableText(value);
  if (Array.isArray(value)) return value.every(isStorableJson);
  if (value !== null && typeof value === "object") return Object.entries(value).every(([key, inner]) => isStorableText(key) && isStorableJson(inner));
  return true;
}

/** Whether `text` parses as JSON (a body or a field that only has to be well-formed here). */
export function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * A webhook's JSON body, parsed with its schema: the value, or a short message for the sender
 * naming the first field that is wrong (`what` names the body: "event", "mention").
 */
export function parseJsonBody<T>(body: string, schema: z.ZodType<T>, what: string): { ok: true; value: T } | { ok: false; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, message: "The body is not JSON." };
  }
  if (!isStorableJson(json)) return { ok: false, message: "The body contains a NUL character or broken Unicode." };
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, message: `Invalid ${what}: ${issue.path.join(".") || "type"}: ${issue.message}` };
}
