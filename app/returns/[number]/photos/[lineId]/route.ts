// A photo attached to a return line, for the return's owner and for agents; a 404 for everyone else.
import { currentPrincipal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { readPhoto } from "@/lib/returns/photos";

export const dynamic = "force-dynamic";

const notFound = () => new Response("Not found", { status: 404, headers: { "content-type": "text/plain" } });

export async function GET(_request: Request, { params }: { params: Promise<{ number: string; lineId: string }> }): Promise<Response> {
  const { number, lineId } = await params;
  const principal = await currentPrincipal();
  if (!principal || (principal.role !== "CUSTOMER" && principal.role !== "AGENT")) return notFound();
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
