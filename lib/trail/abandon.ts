// Closes journeys nobody has touched for a while: abandoned at their last step, or failed when
// the last thing that happened was an error. The closing event goes to PostHog like any other.
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import { abandonEventName, isJourneyType, type JourneyType } from "./journeys";
import { storeTrailEvents, type DeviceClassValue, type TrailEventInput } from "./store";

export type IdleAttempt = {
  id: string;
  type: JourneyType;
  lastStep: string;
  lastActivityAt: Date;
  userId: string | null;
  anonymousId: string | null;
  distinctId: string;
  deviceClass: DeviceClassValue;
  /** The last thing that happened was an error: the attempt ends FAILED. */
  afterError: boolean;
};

/** The `_abandoned` event closing an idle attempt (also how the demo seed closes its simulated customers' attempts). */
export function abandonment(attempt: IdleAttempt, options: { idleMinutes: number; forward: boolean }): TrailEventInput {
  const properties = { journey_id: attempt.id, journey_type: attempt.type, step: attempt.lastStep, source: "server", after_error: attempt.afterError, device_class: attempt.deviceClass };
  return {
    id: crypto.randomUUID(),
    journeyId: attempt.id,
    journeyType: attempt.type,
    step: attempt.lastStep,
    kind: "ABANDONED",
    source: "SERVER",
    // Dated at the last activity plus the idle time: when it became abandoned, not when we noticed.
    occurredAt: new Date(attempt.lastActivityAt.getTime() + options.idleMinutes * 60 * 1000),
    distinctId: attempt.distinctId,
    userId: attempt.userId,
    anonymousId: attempt.anonymousId,
    deviceClass: attempt.deviceClass,
    properties,
    forward: options.forward ? { event: abandonEventName(attempt.type), properties } : null,
  };
}

/**
 * Closes the attempts idle for `idleMinutes` at `now`; `userId` limits it to one customer's (a test
 * moving one customer's clock on, without touching anyone else's attempts).
 */
export async function closeIdleJourneys(db: Db, options: { idleMinutes: number; forwarding: boolean; now?: Date; limit?: number; userId?: string }): Promise<number> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - options.idleMinutes * 60 * 1000);
  const awaitingLink = await attemptsAwaitingLink(db, now);
  const idle = await db.journey.findMany({
    where: { outcome: "IN_PROGRESS", lastActivityAt: { lt: cutoff }, id: { notIn: awaitingLink }, ...(options.userId ? { userId: options.userId } : {}) },
    take: options.limit ?? 500,
    include: { user: { select: { analyticsId: true, analyticsConsent: true } }, events: { orderBy: { occurredAt: "desc" }, take: 1, select: { kind: true, distinctId: true } } },
  });
  const events: TrailEventInput[] = [];
  const failed: string[] = [];
  for (const journey of idle) {
    if (!isJourneyType(journey.type)) continue;
    const afterError = journey.events[0]?.kind === "ERROR";
    if (afterError) failed.push(journey.id);
    const distinctId = journey.user?.analyticsId ?? journey.events[0]?.distinctId ?? journey.anonymousId ?? "anonymous";
    events.push(abandonment({ ...journey, type: journey.type, distinctId, afterError }, { idleMinutes: options.idleMinutes, forward: options.forwarding && mayForward(journey) }));
  }
  await db.$transaction(async (tx) => {
    await storeTrailEvents(tx, events);
    if (failed.length) await tx.journey.updateMany({ where: { id: { in: failed }, outcome: "ABANDONED" }, data: { outcome: "FAILED" } });
  });
  return events.length;
}

/**
 * Attempts waiting on an emailed link that can still be used (a password reset's, an email
 * change's): the customer is reading their email, not gone. Closing one after the idle time
 * counted a reset finished from its link 40 minutes later as dropped at the email step, with the
 * rest of it a second attempt (lib/trail/linked-attempt.ts). Once the link expires unused, the
 * attempt is closed like any other, dated by its last activity.
 */
async function attemptsAwaitingLink(db: Db, now: Date): Promise<string[]> {
  const usable = { usedAt: null, expiresAt: { gt: now }, journeyId: { not: null } };
  const [resets, emailChanges] = await Promise.all([
    db.passwordResetToken.findMany({ where: usable, select: { journeyId: true } }),
    db.emailChangeRequest.findMany({ where: usable, select: { journeyId: true } }),
  ]);
  return [...resets, ...emailChanges].flatMap((link) => (link.journeyId ? [link.journeyId] : []));
}

/**
 * A customer's journey follows their account preference. An anonymous one is known to PostHog only
 * under the device id posthog-js creates, which exists only once the visitor accepted analytics:
 * without one there is no consent to rely on (a declined visitor's server steps are kept here only).
 */
function mayForward(journey: { user: { analyticsConsent: boolean } | null; anonymousId: string | null }): boolean {
  return journey.user ? journey.user.analyticsConsent : journey.anonymousId !== null;
}
