// Closes journeys nobody has touched for a while: abandoned at their last step, or failed when
// the last thing that happened was an error. The closing event goes to PostHog like any other.
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import { abandonEventName, isJourneyType } from "./journeys";
import { storeTrailEvents, type TrailEventInput } from "./store";

export async function closeIdleJourneys(db: Db, options: { idleMinutes: number; forwarding: boolean; now?: Date; limit?: number }): Promise<number> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - options.idleMinutes * 60 * 1000);
  const idle = await db.journey.findMany({
    where: { outcome: "IN_PROGRESS", lastActivityAt: { lt: cutoff } },
    take: options.limit ?? 500,
    include: { user: { select: { analyticsId: true, analyticsConsent: true } }, events: { orderBy: { occurredAt: "desc" }, take: 1, select: { kind: true, distinctId: true } } },
  });
  const events: TrailEventInput[] = [];
  const failed: string[] = [];
  for (const journey of idle) {
    if (!isJourneyType(journey.type)) continue;
    const afterError = journey.events[0]?.kind === "ERROR";
    if (afterError) failed.push(journey.id);
    const properties = { journey_id: journey.id, journey_type: journey.type, step: journey.lastStep, source: "server", after_error: afterError, device_class: journey.deviceClass };
    const distinctId = journey.user?.analyticsId ?? journey.events[0]?.distinctId ?? journey.anonymousId ?? "anonymous";
    events.push({
      id: crypto.randomUUID(),
      journeyId: journey.id,
      journeyType: journey.type,
      step: journey.lastStep,
      kind: "ABANDONED",
      source: "SERVER",
      // Dated at the last activity plus the idle time: when it became abandoned, not when we noticed.
      occurredAt: new Date(journey.lastActivityAt.getTime() + options.idleMinutes * 60 * 1000),
      distinctId,
      userId: journey.userId,
      deviceClass: journey.deviceClass,
      properties,
      forward: options.forwarding && mayForward(journey) ? { event: abandonEventName(journey.type), properties } : null,
    });
  }
  await db.$transaction(async (tx) => {
    await storeTrailEvents(tx, events);
    if (failed.length) await tx.journey.updateMany({ where: { id: { in: failed }, outcome: "ABANDONED" }, data: { outcome: "FAILED" } });
  });
  return events.length;
}

/**
 * A customer's journey follows their account preference. An anonymous one is known to PostHog only
 * under the device id posthog-js creates, which exists only once the visitor accepted analytics:
 * without one there is no consent to rely on (a declined visitor's server steps are kept here only).
 */
function mayForward(journey: { user: { analyticsConsent: boolean } | null; anonymousId: string | null }): boolean {
  return journey.user ? journey.user.analyticsConsent : journey.anonymousId !== null;
}
