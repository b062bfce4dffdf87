// Text from outside that the portal can store and compare. PostgreSQL refuses a NUL byte in text
// (the query fails: a 500), and a lone UTF-16 surrogate is not Unicode at all (it breaks
// encodeURIComponent and turns into U+FFFD on the way to the database). Neither is in any name,
// address, id or message a person types, so both are refused at the boundary.
import { z } from "zod";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isStorableText(value: string): boolean {
  return !value.includes("\u0000") && !LONE_SURROGATE.test(value);
}

/** z.string() for input from outside: also refuses what isStorableText refuses. */
export const storableText = () => z.string().refine(isStorableText, "This contains characters we cannot accept.");

/** isStorableText for every string (keys too) anywhere in a parsed JSON body. */
export function isStorableJson(value: unknown): boolean {
  if (typeof value === "string") return isStorableText(value);
  if (Array.isArray(value)) return value.every(isStorableJson);
  if (value !== null && typeof value === "object") return Object.entries(value).every(([key, inner]) => isStorableText(key) && isStorableJson(inner));
  return true;
}
