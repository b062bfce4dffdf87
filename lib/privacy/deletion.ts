// Deleting an account. Orders, returns and payments stay for the books (the law requires them),
// detached from the person; everything else personal is removed or anonymised, every session
// ends, and PostHog is asked (through the outbox) to delete the person and their events.
import "server-only";
import type { Db } from "@/lib/db/client";
import { revokeAllSessions } from "@/lib/accounts/sessions";
import { forgetQueuedPostHogEvents } from "@/lib/integrations/posthog";
import { forgetMessages } from "@/lib/notify/notify";
import { removeCustomerPhotos } from "@/lib/returns/photos";
import { OPEN_STATUSES } from "@/lib/returns/status";
import { recordStep, type TrailActor } from "@/lib/trail/server";
import { PAGE_SUBJECT_KEYS } from "@/lib/trail/page-subject";
import { lockEveryAttempt, storeTransactionTrailNow } from "@/lib/trail/store";

export const POSTHOG_DELETE_PERSON_TOPIC = "posthog.delete_person";
export const DELETED_CUSTOMER_NAME = "Deleted customer";

// Still moving goods or money: deleting now would leave nobody to deliver to or refund.
const ORDERS_IN_FLIGHT = ["PENDING_PAYMENT", "PROCESSING", "SHIPPED"] as const;

export type PostHogDeletePersonPayload = { distinctId: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Those of these distinct ids that belong to deleted accounts: nothing of theirs may reach PostHog again. */
export async function deletedDistinctIds(db: Db, distinctIds: string[]): Promise<Set<string>> {
  // Analytics ids are UUIDs; anything else (a device id of another shape, "anonymous") is nobody's account.
  const candidates = [...new Set(distinctIds.filter((id) => UUID.test(id)))];
  if (candidates.length === 0) return new Set();
  const deleted = await db.user.findMany({ where: { analyticsId: { in: candidates }, status: { not: "ACTIVE" } }, select: { analyticsId: true } });
  return new Set(deleted.map((u) => u.analyticsId));
}

/** What stands in the way of deleting the account now, and what would be lost. */
export async function deletionBlockers(db: Db, userId: string) {
  const [orders, returns, credit] = await Promise.all([
    db.order.findMany({ where: { userId, status: { in: [...ORDERS_IN_FLIGHT] } }, select: { number: true, status: true }, orderBy: { placedAt: "desc" } }),
    db.return.findMany({ where: { userId, status: { in: [...OPEN_STATUSES] } }, select: { number: true, status: true }, orderBy: { createdAt: "desc" } }),
    db.storeCreditEntry.groupBy({ by: ["currency"], where: { userId }, _sum: { amountMinor: true } }),
  ]);
  return {
    ordersInFlight: orders,
    returnsInFlight: returns,
    storeCreditToLose: credit.map((c) => ({ currency: c.currency, amountMinor: c._sum.amountMinor ?? 0 })).filter((c) => c.amountMinor > 0),
  };
}

export type DeletionResult = { ok: true } | { ok: false; reason: "in_flight" };

/** The caller has re-authenticated the customer. One transaction: all of it happens, or none. */
export async function deleteAccount(db: Db, userId: string, trail: { actor: TrailActor; journeyId: string }): Promise<DeletionResult> {
  const result = await db.$transaction(async (tx) => {
    // Locks the account row: a second submit waits, then finds the account already deleted.
    const [user] = await tx.$queryRaw<{ analyticsId: string; status: string }[]>`SELECT "analyticsId"::text AS "analyticsId", "status"::text AS "status" FROM "User" WHERE "id" = ${userId} FOR UPDATE`;
    if (!user || user.status !== "ACTIVE") return { ok: true } as const;
    const inFlight = await tx.order.count({ where: { userId, status: { in: [...ORDERS_IN_FLIGHT] } } }) + (await tx.return.count({ where: { userId, status: { in: [...OPEN_STATUSES] } } }));
    if (inFlight > 0) {
      await recordStep(tx, trail.actor, { journeyId: trail.journeyId, type: "account_deletion", step: "reauthenticate", action: "failed", errorCode: "orders_in_flight" });
      return { ok: false, reason: "in_flight" } as const;
    }

    // Recorded first, while the journey still belongs to the account; detached with the others below.
    await recordStep(tx, { ...trail.actor, consent: false }, { journeyId: trail.journeyId, type: "account_deletion", step: "deleted", action: "completed" });
    await revokeAllSessions(tx, userId);
    await tx.address.deleteMany({ where: { userId } });
    await tx.emailChangeRequest.deleteMany({ where: { userId } });
    await tx.passwordResetToken.deleteMany({ where: { userId } });
    await tx.consentRecord.deleteMany({ where: { userId } });
    await tx.savedPaymentMethod.deleteMany({ where: { userId } });
    await tx.emailMessage.deleteMany({ where: { userId } });
    await forgetMessages(tx, userId);
    await tx.order.updateMany({ where: { userId }, data: { userId: null } });
    // The return photos go (below, once this commits): the kept returns no longer point at them.
    await tx.returnLine.updateMany({ where: { return: { userId } }, data: { photoPath: null } });
    await tx.return.updateMany({ where: { userId }, data: { userId: null } });
    // What they said on a call is theirs: it goes, the contact is still counted.
    await tx.contact.updateMany({ where: { userId }, data: { userId: null, note: null } });
    await tx.case.updateMany({ where: { userId }, data: { userId: null } });
    // The trail writes these journeys too (a browser's batch still on its way): none may be
    // holding one while the deletion waits for it. The account's row, locked above, keeps new
    // ones from joining, as the trail locks a journey's account before its attempt locks.
    await lockEveryAttempt(tx);
    // The deletion's own step (queued above), and the account's steps other tasks committed a
    // moment ago, are stored now, to be detached too.
    await storeTransactionTrailNow(tx, userId);
    // Tasks left open end here: once detached, the abandonment job could no longer tell they were
    // this person's and would send their closing event to PostHog.
    await tx.journey.updateMany({ where: { userId, outcome: "IN_PROGRESS" }, data: { outcome: "ABANDONED", endedAt: new Date() } });
    // The orders and returns kept still name the person (where they were delivered): the detached
    // trail keeps none of the pages' order or return numbers that would lead back to them.
    await tx.$executeRaw`UPDATE "TrailEvent" SET "properties" = "properties" - ${PAGE_SUBJECT_KEYS}::text[]
      WHERE "journeyId" IN (SELECT "id" FROM "Journey" WHERE "userId" = ${userId}) AND "properties" ?| ${PAGE_SUBJECT_KEYS}::text[]`;
    await tx.journey.updateMany({ where: { userId }, data: { userId: null } });
    // Events still waiting to be forwarded would re-create the person in PostHog after its deletion.
    await forgetQueuedPostHogEvents(tx, user.analyticsId);
    // The analytics id stays: events the browser sends late still find this row and, with consent
    // now off, are kept out of PostHog. The row holds nothing personal any more.
    await tx.user.update({
      where: { id: userId },
      data: {
        email: null,
        name: DELETED_CUSTOMER_NAME,
        phone: null,
        passwordHash: null,
        status: "DELETED",
        deletedAt: new Date(),
        analyticsConsent: false,
      },
    });
    await tx.outboxMessage.create({
      data: { topic: POSTHOG_DELETE_PERSON_TOPIC, dedupeKey: `${POSTHOG_DELETE_PERSON_TOPIC}:${user.analyticsId}`, payload: { distinctId: user.analyticsId } satisfies PostHogDeletePersonPayload },
    });
    return { ok: true } as const;
  });
  // Files cannot join the transaction: removed after it, and again by a repeated submit if this fails.
  if (result.ok) await removeCustomerPhotos(userId);
  return result;
}
