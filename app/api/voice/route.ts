// What customers tell us about a step (why they left, how hard it felt, what went wrong). A route
// rather than a server action: the exit comment is sent with `keepalive` as the page is left for
// another channel, which a server action's request would not survive.
import { spend } from "@/lib/auth/rate-limit";
import { currentPrincipal } from "@/lib/auth/principal";
import { env } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { clientAddress } from "@/lib/http/client-address";
import { trailActor } from "@/lib/trail/actor";
import { readCappedBody } from "@/lib/http/body";
import { recordVoice, voiceSchema } from "@/lib/voice/voice";

export const dynamic = "force-dynamic";

const MAX_BODY_BYTES = 4 * 1024;

export async function POST(request: Request) {
  const budget = { name: "voice:client", points: 60 * env().CLIENT_BUDGET_MULTIPLIER, duration: 3600 };
  const spent = await spend(db(), [[budget, clientAddress(request.headers)]]);
  if (!spent.ok) return Response.json({ error: "Too many answers; try again later." }, { status: 429, headers: { "retry-after": String(spent.retryAfterSeconds) } });
  const body = await readCappedBody(request, MAX_BODY_BYTES);
  if (!body) return Response.json({ error: "The answer is too long." }, { status: 413 });
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    return Response.json({ error: "The answer could not be read." }, { status: 400 });
  }
  const parsed = voiceSchema.safeParse(json);
  if (!parsed.success) return Response.json({ error: parsed.error.issues[0]?.message ?? "The answer could not be read." }, { status: 400 });
  const principal = await currentPrincipal();
  const result = await recordVoice(db(), await trailActor(principal), parsed.data);
  if (!result.ok) return Response.json({ error: "Not found." }, { status: 404 });
  return Response.json({ ok: true });
}
