// A task finished from an emailed link (a password reset, a new sign-in email confirmed) is one
// attempt, whichever browser opens the link. A mail app often opens it in another tab or browser,
// whose session storage knows nothing of the attempt that asked, so the server keeps that attempt
// with the link's token when it issues it, and the token (never an id a browser sends) proves that
// whoever holds the link is the person who asked:
// - opening the link hands the attempt over to the browser that opened it (its device; one is
//   given to a browser that may be measured and has none yet), so that browser's own steps on the
//   link's page join it (the page gives it the id: AdoptedAttempt in components/journey.tsx);
// - the link's submit records its outcome in the token's attempt, as that attempt's owner.
// A browser where another customer is signed in takes nothing over: its steps are that customer's.
// The opening of a link is handled in ./link-opened.ts; this file is framework-free.
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { sameOwner } from "./attempts";
import type { JourneyType } from "./journeys";
import { recordStep, type TrailActor } from "./server";

/** What a usable link knows: the account it is for and the attempt that asked for it. */
export type LinkedAttempt = { type: JourneyType; userId: string; journeyId: string | null };

/**
 * The attempt a request for a link is made in, to keep with the link's token: only the requester's
 * own (or one not stored yet, which this request starts). An id naming someone else's attempt is
 * not kept, so no link can ever hand that attempt over.
 */
export async function attemptForLink(db: Db | Prisma.TransactionClient, actor: TrailActor, journeyId: string): Promise<string | null> {
  const stored = await storedOwner(db, journeyId);
  return !stored || sameOwner(stored, { userId: actor.userId, anonymousId: actor.anonymousId ?? null, source: "SERVER" }) ? journeyId : null;
}

/** The link's attempt passes to this device, while it is in progress. */
export async function handOverAttempt(db: Db, attempt: { type: JourneyType; journeyId: string }, deviceId: string): Promise<void> {
  await db.journey.updateMany({ where: { id: attempt.journeyId, type: attempt.type, outcome: "IN_PROGRESS" }, data: { anonymousId: deviceId } });
}

/** The actor a step taken through the link is recorded as: the owner of the attempt it continues. */
export async function ownerOfAttempt(db: Db | Prisma.TransactionClient, actor: TrailActor, journeyId: string): Promise<TrailActor> {
  const stored = await storedOwner(db, journeyId);
  return stored ? { ...actor, userId: stored.userId, anonymousId: stored.anonymousId } : actor;
}

/**
 * The server saw the emailed link followed: the link's step (a reset's `email`) is reached in its
 * attempt, recorded as the attempt's owner. The browser that opened it may send nothing (its
 * visitor has not accepted analytics), and without this step the attempt, completed all the same,
 * stopped at step 1 in every funnel. The rule keeps one view of it if that browser sends one too.
 */
export async function recordLinkFollowed(db: Db, actor: TrailActor, link: LinkedAttempt, step: string): Promise<void> {
  const journeyId = link.journeyId;
  if (!journeyId) return;
  const owner = await ownerOfAttempt(db, actor, journeyId);
  await recordStep(db, owner, { journeyId, type: link.type, step, action: "viewed" });
}

function storedOwner(db: Db | Prisma.TransactionClient, journeyId: string) {
  return db.journey.findUnique({ where: { id: journeyId }, select: { userId: true, anonymousId: true } });
}
