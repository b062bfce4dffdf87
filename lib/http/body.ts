// A request's body read with a ceiling, for route handlers that take bodies from anyone: what is
// over the limit (announced by Content-Length, or as it is actually sent) is never held whole.
import type { HeaderGetter } from "./client-address";

/** A Content-Type's media type alone, lower-cased ("multipart/form-data" of "multipart/form-data; boundary=…"), or "" without one. */
export function mediaType(contentType: string | null | undefined): string {
  return (contentType ?? "").split(";")[0].trim().toLowerCase();
}

/**
 * A body sent compressed or otherwise encoded (a Content-Encoding other than identity). Only
 * /ingest decodes one (posthog-node gzips its batches); everywhere else it would be read as sent,
 * as garbage, so it is refused with 415 before anything reads it.
 */
export function hasEncodedBody(headers: HeaderGetter): boolean {
  const encoding = headers.get("content-encoding")?.trim().toLowerCase();
  return Boolean(encoding) && encoding !== "identity";
}

/** The body, or null as soon as it is known to exceed `max` bytes (announced or actually sent). */
export async function readCappedBody(request: Request, max: number): Promise<Buffer | null> {
  const announced = Number(request.headers.get("content-length") ?? 0);
  if (announced > max) return null;
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/**
 * A form body (multipart or URL-encoded) read with the same ceiling: "too-large" as soon as it
 * is known to exceed `max` bytes, "unreadable" when it does not decode as the form its
 * Content-Type names. `request.formData()` alone holds the whole body first, whatever its size.
 */
export async function readCappedForm(request: Request, max: number): Promise<FormData | "too-large" | "unreadable"> {
  const body = await readCappedBody(request, max);
  if (!body) return "too-large";
  try {
    return await new Response(new Uint8Array(body), { headers: { "content-type": request.headers.get("content-type") ?? "" } }).formData();
  } catch {
    return "unreadable";
  }
}
