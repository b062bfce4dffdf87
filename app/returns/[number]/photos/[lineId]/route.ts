// A photo attached to a return line, for the return's owner and for agents; a 404 for everyone else.
import { z } from "zod";
import { currentPrincipal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { readPhoto } from "@/lib/returns/photos";

export const dynamic = "force-dynamic";

const notFound = () => new Response("Not found", { status: 404, headers: { "content-type": "text/plain" } });

// Anything else (a NUL byte, an overlong value) names no photo, and must not reach the database.
const paramsSchema = z.object({ number: z.string().regex(/^RT-\d{6}$/), lineId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });

export async function GET(_request: Request, { params }: { params: Promise<{ number: string; lineId: string }> }): Promise<Response> {
  const parsed = paramsSchema.safeParse(await params);
  const principal = await currentPrincipal();
  if (!parsed.success || !principal || (principal.role !== "CUSTOMER" && principal.role !== "AGENT")) return notFound();
  const { number, lineId } = parsed.data;
  const line = await db().returnLine.findFirst({
    where: { id: lineId, return: { number, ...(principal.role === "CUSTOMER" ? { userId: principal.userId } : {}) } },
    select: { photoPath: true },
  });
  const photo = line?.photoPath ? await readPhoto(line.photoPath) : null;
  if (!photo) return notFound();
  return new Response(new Uint8Array(photo.bytes), {
    headers: { "content-type": photo.contentType, "cache-control": "private, no-store", "x-content-type-options": "nosniff", "content-security-policy": "default-src 'none'" },
  });
}
