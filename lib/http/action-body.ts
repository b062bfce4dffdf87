// Whether a server action's body can be decoded the way Next.js decodes it. A body Next.js fails
// to decode (a multipart body that is not valid multipart, a reply row that is not JSON, text cut
// short) made it throw, and the request was answered 500 and logged as the portal's failure, with
// nothing run. Checked here first (lib/http/page-policy.ts), so it is answered 400 instead.
// Framework-free: plain bytes and headers.
import { mediaType } from "./body";
import type { HeaderGetter } from "./client-address";
import { isJson } from "./input";

/** What Next.js's client sends an action as: React's reply as text (a few plain values) or as a form (anything with a FormData or a file), and a form posted before the page's script ran. */
export function isActionContentType(contentType: string | null): boolean {
  const type = mediaType(contentType);
  return type === "text/plain" || type === "multipart/form-data";
}

/**
 * False when Next.js could not decode the body: not valid multipart, or a row of React's reply
 * that is not JSON (the root, row 0, is the whole body when it is sent as text, and must be there
 * when it is sent as a form). `headers`: the request's, of a possible action (a Next-Action
 * header, or a multipart form posted without one, which Next.js reads as a form action).
 */
export async function isDecodableActionBody(headers: HeaderGetter, body: Buffer): Promise<boolean> {
  const contentType = headers.get("content-type");
  const called = headers.get("next-action") !== null;
  if (mediaType(contentType) !== "multipart/form-data") return !called || isJson(body.toString("utf8"));
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { "content-type": contentType ?? "" } }).formData();
  } catch {
    return false;
  }
  if (called && !form.has("0")) return false;
  const row = called ? CALL_ROW : BOUND_ROW;
  return [...form].every(([name, value]) => typeof value !== "string" || !row.test(name) || isJson(value));
}

// React's reply rows: `0`, `1`, … in a script's call (a FormData argument's own fields are named
// `1_name`, any text), and `$ACTION_1:0`, … for the bound arguments of a form posted without
// script (its other fields are the form's own, any text).
const CALL_ROW = /^\d+$/;
const BOUND_ROW = /^\$ACTION_\d+:\d+$/;
