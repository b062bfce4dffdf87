// A request's body read with a ceiling, for route handlers that take bodies from anyone: what is
// over the limit (announced by Content-Length, or as it is actually sent) is never held whole.

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
