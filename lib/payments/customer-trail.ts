// Trail steps recorded outside the customer's request (a Stripe webhook, an outbox retry) still
// belong to the customer's journey: the actor is rebuilt from the customer and the journey's device.
import type { Prisma } from "@/lib/generated/prisma/client";
import type { TrailActor } from "@/lib/trail/server";

export async function customerActor(tx: Prisma.TransactionClient, userId: string, journeyId: string): Promise<TrailActor> {
  const user = await tx.user.findUnique({ where: { id: userId }, select: { analyticsId: true, analyticsConsent: true } });
  const journey = await tx.journey.findUnique({ where: { id: journeyId }, select: { deviceClass: true } });
  return {
    userId,
    distinctId: user?.analyticsId ?? "anonymous",
    // The journey's first browser step set its device; a journey never seen in a browser counts as desktop.
    deviceClass: journey?.deviceClass ?? "DESKTOP",
    consent: user?.analyticsConsent ?? false,
  };
}

/** A journey id carried through Stripe metadata, trusted only as a uuid (see journeyIdFrom). */
export function journeyIdFromMetadata(metadata: Record<string, string> | null | undefined): string | null {
  const value = metadata?.waymark_journey_id;
  return typeof value === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) ? value : null;
}
