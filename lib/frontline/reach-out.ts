// One-click reach-out: an agent who sees a customer stuck offers help on the page the customer is
// on. The offer opens (or joins) the attempt's case, about the order or return of the page they
// were on; the customer sees it within seconds and accepts or declines; each turn is recorded in
// the trail (`<journey>_help_<outcome>`, intervention `agent_reach_out`) and on the case.
import type { Db } from "@/lib/db/client";
import { closeCase, openCase } from "@/lib/cases/cases";
import { attemptSubject } from "@/lib/cases/subject";
import { announceOffer } from "@/lib/frontline/offer-feed";
import { waitingOffers } from "@/lib/frontline/offer-waiting";
import { isJourneyType } from "@/lib/trail/journeys";
import { journeyLabel } from "@/lib/trail/labels";
import { recordIntervention, type TrailActor } from "@/lib/trail/server";

export const REACH_OUT_INTERVENTION = "agent_reach_out";

export type OfferAnswer = "accepted" | "declined";

/** How the reason of a case an offer opened begins (then the task and step). */
const REACH_OUT_REASON = "reach_out:";

export async function offerHelp(db: Db, agentId: string, journeyId: string, now: Date = new Date()) {
  const journey = await db.journey.findFirst({
    where: { id: journeyId, outcome: "IN_PROGRESS", user: { role: "CUSTOMER", status: "ACTIVE" } },
    select: { id: true, type: true, lastStep: true, userId: true },
  });
  if (!journey?.userId || !isJourneyType(journey.type)) return { ok: false as const };
  const open = await db.reachOut.findFirst({ where: { journeyId, status: { in: ["OFFERED", "SHOWN"] } }, include: { case: { select: { number: true } } } });
  if (open) return { ok: true as const, offerId: open.id, caseNumber: open.case?.number ?? null };
  // About the order or return the customer was looking at, as 'Talk to a person' from that page would be.
  const about = await attemptSubject(db, journey.userId, journeyId);
  const opened = await openCase(db, { userId: journey.userId, channel: "PORTAL", reason: `${REACH_OUT_REASON}${journey.type}:${journey.lastStep}`, journeyId, ...about, now });
  const offer = await db.reachOut.create({
    data: { journeyId, userId: journey.userId, agentId, caseId: opened.id, openedCase: !opened.joined, journeyType: journey.type, step: journey.lastStep, status: "OFFERED", createdAt: now },
  });
  await announceOffer(db, journey.userId);
  return { ok: true as const, offerId: offer.id, caseNumber: opened.number };
}

/**
 * The offer waiting for this customer, if any. Handing it to their page is its showing: the first
 * time, it is marked shown and recorded in the trail.
 */
export async function deliverOffer(db: Db, actor: TrailActor & { userId: string }, now: Date = new Date()) {
  const offer = await db.reachOut.findFirst({
    where: { userId: actor.userId, ...waitingOffers(now) },
    orderBy: { createdAt: "desc" },
  });
  if (!offer || !isJourneyType(offer.journeyType)) return null;
  if (offer.status === "OFFERED") {
    await db.$transaction(async (tx) => {
      const claimed = await tx.reachOut.updateMany({ where: { id: offer.id, status: "OFFERED" }, data: { status: "SHOWN", shownAt: now } });
      if (claimed.count === 1) await recordOutcome(tx, actor, offer, "shown");
    });
  }
  return { id: offer.id, journeyType: offer.journeyType, step: offer.step, task: journeyLabel(offer.journeyType) };
}

/** The customer's answer, on their own offer only; answered once. */
export async function answerOffer(db: Db, actor: TrailActor & { userId: string }, offerId: string, answer: OfferAnswer, now: Date = new Date()) {
  return db.$transaction(async (tx) => {
    const offer = await tx.reachOut.findFirst({ where: { id: offerId, userId: actor.userId } });
    if (!offer || !isJourneyType(offer.journeyType)) return { ok: false as const };
    const answered = await tx.reachOut.updateMany({ where: { id: offer.id, status: { in: ["OFFERED", "SHOWN"] } }, data: { status: answer === "accepted" ? "ACCEPTED" : "DECLINED", answeredAt: now } });
    if (answered.count === 0) return { ok: true as const, caseId: offer.caseId };
    await recordOutcome(tx, actor, offer, answer === "accepted" ? "accepted" : "dismissed");
    // Accepting leaves the case as it is, waiting for whoever takes it: the answer is kept on the
    // offer, which the case's history reads (lib/cases/history.ts).
    // Only a case the offer opened is closed: one the customer had already asked for on the same
    // attempt (the offer joined it) still waits for its person.
    if (offer.caseId && offer.openedCase && answer === "declined") await closeCase(tx, offer.caseId, { outcome: "offer_declined", outcomeText: "Customer declined the agent's offer of help", now });
    return { ok: true as const, caseId: offer.caseId };
  });
}

type Offer = { journeyId: string; journeyType: string; step: string };

async function recordOutcome(tx: Parameters<typeof recordIntervention>[0], actor: TrailActor, offer: Offer, outcome: "shown" | "accepted" | "dismissed") {
  if (!isJourneyType(offer.journeyType)) return;
  await recordIntervention(tx, actor, { journeyId: offer.journeyId, type: offer.journeyType, step: offer.step, code: REACH_OUT_INTERVENTION, outcome, group: "treatment" });
}
