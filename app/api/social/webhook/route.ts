// Signed webhooks from the social-listening tool (`social.mention`). Standard Webhooks headers,
// verified against SOCIAL_INBOUND_SECRET before the body is parsed; a budget per client first.
import { spend } from "@/lib/auth/rate-limit";
import { env } from "@/lib/config/env";
import { logSocialMention, MAX_SOCIAL_BODY_BYTES, parseSocialMention } from "@/lib/contacts/social";
import { db } from "@/lib/db/client";
import { clientAddress } from "@/lib/http/client-address";
import { verifyWebhook } from "@/lib/integrations/backoffice-signature";
import { readCappedBody } from "@/lib/http/body";

export const dynamic = "force-dynamic";

const refuse = (status: number, error: string, headers?: Record<string, string>) => Response.json({ error }, { status, headers });

export async function POST(request: Request) {
  const secret = env().SOCIAL_INBOUND_SECRET;
  // The sender retries on 503, so nothing is lost while the secret is being set up.
  if (!secret) return refuse(503, "Inbound social webhooks are not configured.");
  const budget = { name: "social:client", points: 600 * env().CLIENT_BUDGET_MULTIPLIER, duration: 60 };
  const spent = await spend(db(), [[budget, clientAddress(request.headers)]]);
  if (!spent.ok) return refuse(429, "Too many requests.", { "retry-after": String(spent.retryAfterSeconds) });
  const raw = await readCappedBody(request, MAX_SOCIAL_BODY_BYTES);
  if (!raw) return refuse(413, "The body is too large.");
  const body = raw.toString("utf8");
  const verified = verifyWebhook(secret, request.headers, body);
  if (!verified.ok) return refuse(400, `Signature not accepted (${verified.reason}).`);
  const parsed = parseSocialMention(body);
  if (!parsed.ok) return refuse(400, parsed.message);
  return Response.json({ ok: true, ...(await logSocialMention(db(), verified.id, parsed.mention)) });
}
