// Signed webhooks from the back office (order status, shipment scans). Standard Webhooks headers,
// verified against BACKOFFICE_INBOUND_SECRET before the body is even parsed.
import { db } from "@/lib/db/client";
import { readCappedBody } from "@/lib/http/body";
import { applyInboundEvent, MAX_INBOUND_BODY_BYTES, parseInboundEvent } from "@/lib/integrations/backoffice-inbound";
import { backOfficeInboundSecret } from "@/lib/integrations/backoffice";
import { verifyWebhook } from "@/lib/integrations/backoffice-signature";

export const dynamic = "force-dynamic";

const refuse = (status: number, error: string) => Response.json({ error }, { status });

export async function POST(request: Request) {
  let secret: string | null;
  try {
    secret = backOfficeInboundSecret();
  } catch (error) {
    console.error("[backoffice] inbound webhooks refused:", error instanceof Error ? error.message : error);
    secret = null;
  }
  // The sender retries on 503, so nothing is lost while the secret is being set up.
  if (!secret) return refuse(503, "Inbound back-office webhooks are not configured.");
  const raw = await readCappedBody(request, MAX_INBOUND_BODY_BYTES);
  if (!raw) return refuse(413, "The body is too large.");
  const body = raw.toString("utf8");

  const verified = verifyWebhook(secret, request.headers, body);
  if (!verified.ok) return refuse(400, `Signature not accepted (${verified.reason}).`);
  const parsed = parseInboundEvent(body);
  if (!parsed.ok) return refuse(400, parsed.message);

  const result = await applyInboundEvent(db(), verified.id, parsed.event);
  if (result.outcome === "rejected") return refuse(422, result.reason === "unknown_order" ? "Unknown order number." : "That tracking number belongs to another order.");
  return Response.json({ ok: true, ...result });
}
