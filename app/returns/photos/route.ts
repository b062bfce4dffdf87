// Photo uploads for return lines, before the return is submitted: checked (size, and type from the
// bytes), stored in the customer's own folder outside the web root, answered with an opaque token
// the return form sends back. A refused photo leaves a failed step in the customer's trail. Each
// account has an hourly upload budget and a cap on photos no return uses yet (disk is not free).
import type { NextRequest } from "next/server";
import { currentPrincipal } from "@/lib/auth/principal";
import { spend } from "@/lib/auth/rate-limit";
import { tooManyAttemptsMessage } from "@/lib/auth/too-many-attempts";
import { env } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { readCappedForm } from "@/lib/http/body";
import { MAX_PHOTO_BYTES, PHOTO_PROBLEM_MESSAGE } from "@/lib/returns/photo-rules";
import { countUnusedPhotos, storePhoto } from "@/lib/returns/photos";
import { trailActor } from "@/lib/trail/actor";
import { attemptIdFor, recordStep } from "@/lib/trail/server";

export const dynamic = "force-dynamic";

// Room for the multipart envelope around the largest photo accepted.
const MAX_REQUEST_BYTES = MAX_PHOTO_BYTES + 64 * 1024;

export async function POST(request: NextRequest): Promise<Response> {
  const principal = await currentPrincipal();
  if (!principal || principal.role !== "CUSTOMER") return Response.json({ message: "Sign in to add a photo." }, { status: 401 });
  const refuse = async (code: keyof typeof PHOTO_PROBLEM_MESSAGE, status: number, journeyId: unknown) => {
    const actor = await trailActor(principal);
    const attemptId = await attemptIdFor(db(), actor, "return", journeyId);
    await recordStep(db(), actor, { journeyId: attemptId, type: "return", step: "items", action: "failed", errorCode: code });
    return Response.json({ code, message: PHOTO_PROBLEM_MESSAGE[code] }, { status });
  };
  const journeyId = request.nextUrl.searchParams.get("journeyId");
  // Paid before the body is read: a refused upload costs the server nothing but this.
  const budget = await spend(db(), [[{ name: "return-photo:account", points: env().RETURN_PHOTO_UPLOADS_PER_HOUR, duration: 3600 }, principal.userId]]);
  if (!budget.ok) return Response.json({ code: "photo_limit", message: tooManyAttemptsMessage(budget.retryAfterSeconds) }, { status: 429, headers: { "Retry-After": String(budget.retryAfterSeconds) } });
  if ((await countUnusedPhotos(db(), principal.userId)) >= env().RETURN_PHOTO_UNUSED_MAX) return refuse("photo_limit", 429, journeyId);
  const form = await readCappedForm(request, MAX_REQUEST_BYTES);
  if (form === "too-large") return refuse("photo_too_large", 413, journeyId);
  if (form === "unreadable") return Response.json({ message: "The photo did not arrive in one piece. Try again." }, { status: 400 });
  const file = form.get("photo");
  if (!(file instanceof File)) return refuse("photo_empty", 400, journeyId);
  if (file.size > MAX_PHOTO_BYTES) return refuse("photo_too_large", 413, journeyId);
  const stored = await storePhoto(principal.userId, new Uint8Array(await file.arrayBuffer()));
  if (!stored.ok) return refuse(stored.code, stored.code === "photo_too_large" ? 413 : 415, journeyId);
  return Response.json({ token: stored.token }, { status: 201 });
}
