// Signed webhooks from the returns warehouse and its carrier (in transit, received, inspected).
// The signature covers a timestamp and the raw body; each event id is processed once; an event
// that would move a return backwards is acknowledged and ignored; the parcel of a return the
// customer cancelled, collected or received all the same, is kept and handed to an agent.
import { env } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { readCappedBody } from "@/lib/http/body";
import { isStorableJson } from "@/lib/http/input";
import { kickOutbox } from "@/lib/jobs/kick";
import { carrierEventSchema, SIGNATURE_HEADER, verifyCarrierSignature } from "@/lib/returns/carrier-webhook";
import { applyCarrierEvent } from "@/lib/returns/lifecycle";

export const dynamic = "force-dynamic";

const MAX_BODY_BYTES = 64 * 1024;

export async function POST(request: Request): Promise<Response> {
  const secret = env().CARRIER_WEBHOOK_SECRET;
  if (!secret) {
    console.error("[carrier-webhook] CARRIER_WEBHOOK_SECRET is not set: refusing every event");
    return Response.json({ error: "webhooks are not configured" }, { status: 503 });
  }
  const raw = await readCappedBody(request, MAX_BODY_BYTES);
  if (!raw) return Response.json({ error: "payload too large" }, { status: 413 });
  const body = raw.toString("utf8");
  const signature = verifyCarrierSignature(secret, body, request.headers.get(SIGNATURE_HEADER));
  if (!signature.ok) return Response.json({ error: `invalid signature (${signature.reason})` }, { status: 401 });
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return Response.json({ error: "body is not JSON" }, { status: 400 });
  }
  const event = carrierEventSchema.safeParse(isStorableJson(json) ? json : null);
  if (!event.success) return Response.json({ error: "unknown event shape", issues: event.error.issues.map((i) => i.path.join(".")) }, { status: 400 });
  const outcome = await applyCarrierEvent(db(), event.data);
  // Either writes messages to send (to the customer, the back office).
  if (outcome === "applied" || outcome === "after_cancellation") kickOutbox();
  // Unknown returns are acknowledged too: retrying would not make them known.
  return Response.json({ received: true, outcome });
}
