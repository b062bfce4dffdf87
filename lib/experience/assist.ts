// Decides, for the step a customer is on, whether to offer help in place, and records what
// happened (shown, withheld for the hold-out group, accepted, dismissed) in the trail.
import "server-only";
import { promisedCallback } from "@/lib/cases/callback";
import { env } from "@/lib/config/env";
import type { Db } from "@/lib/db/client";
import { featureFlag, posthogConfig } from "@/lib/integrations/posthog";
import { isLate } from "@/lib/orders/status";
import type { JourneyType } from "@/lib/trail/journeys";
import { attemptOfStep, recordIntervention, type TrailActor } from "@/lib/trail/server";
import { chooseIntervention, explain, INTERVENTION_RULES, localInterventionGroup, type Intervention, type InterventionCode, type InterventionGroup } from "./interventions";
import { riskNow } from "./models";

export type AssistRequest = { journeyId: string; type: JourneyType; step: string; orderNumber?: string | null };
export type Alternative = { href: string; label: string };
/** The help a step gets: what is offered, and the call back already promised for its task (then never offered again). */
export type Help = { intervention: (Intervention & { message: string; alternative?: Alternative }) | null; promised: string | null };
export type AssistAnswer = Help & { group: InterventionGroup };

/** Another way the policy allows to reach what the customer wanted, after a refusal. */
function alternativeFor(errorCode: string | undefined, order: { number: string; status: string } | null): Alternative | undefined {
  if (!order) return undefined;
  if (order.status === "DELIVERED" && (errorCode === "order_already_shipped" || errorCode === "return_window_expired" || errorCode === "final_sale")) {
    return { href: `/orders/${order.number}/problem`, label: "Report a problem with it instead" };
  }
  if (order.status === "SHIPPED" && errorCode === "order_already_shipped") return { href: `/orders/${order.number}`, label: "Follow the delivery" };
  return undefined;
}

/**
 * Local assignment, unless a PostHog feature flag named by INTERVENTION_FLAG decides it. PostHog is
 * asked only about customers who allow analytics: for the others not even their id leaves the portal.
 */
async function groupFor(actor: TrailActor): Promise<InterventionGroup> {
  const flag = env().INTERVENTION_FLAG;
  const config = posthogConfig();
  if (!flag || !config || !actor.consent) return localInterventionGroup(actor.distinctId);
  const value = await featureFlag(config, actor.distinctId, flag);
  // Unknown to PostHog, or PostHog slow or down: the local assignment keeps the portal working.
  if (value === undefined) return localInterventionGroup(actor.distinctId);
  return value === false || value === "control" ? "control" : "treatment";
}

/**
 * What the step gets, as decided from `journeyId`'s own trail (its errors, the help already
 * answered in it) and the customer's facts; nothing recorded. `liveRisk`: the journey's time on
 * the step and going back and forth count, which only the browser's attempt, asked about once its
 * step is in, can tell.
 */
async function decide(db: Db, actor: TrailActor & { userId: string }, request: Omit<AssistRequest, "journeyId"> & { journeyId: string | null }, now: Date, liveRisk = true) {
  const group = await groupFor(actor);
  const journey = request.journeyId ? await attemptOfStep(db, request.journeyId, request.step) : null;
  // Only the customer's own journey counts; a forged id gets an empty history, never someone else's.
  const ownJourney = journey?.userId === actor.userId;
  const [errors, earlier, risk, order, promised] = await Promise.all([
    ownJourney ? db.trailEvent.groupBy({ by: ["errorCode"], where: { journeyId: journey.id, kind: "ERROR" }, _count: true }) : Promise.resolve([]),
    ownJourney ? db.trailEvent.findMany({ where: { journeyId: journey.id, kind: "INTERVENTION" }, select: { properties: true } }) : Promise.resolve([]),
    riskNow(db, actor.userId, ownJourney && liveRisk ? journey.id : null, now),
    request.orderNumber ? db.order.findFirst({ where: { number: request.orderNumber, userId: actor.userId }, include: { shipments: { select: { deliveredAt: true } } } }) : Promise.resolve(null),
    promisedCallback(db, actor.userId, request.type, now),
  ]);
  const intervention = chooseIntervention({
    errorCounts: Object.fromEntries(errors.map((e) => [e.errorCode ?? "unknown", e._count])),
    risk,
    orderLate: order ? order.status !== "DELIVERED" && isLate({ ...order, deliveredAt: order.shipments[0]?.deliveredAt }, now) : false,
    refundOverdue: risk.signals.overdueRefunds > 0,
  });
  const seen = intervention ? earlier.map((e) => e.properties as { intervention?: string; outcome?: string }).filter((p) => p.intervention === intervention.code) : [];
  if (!intervention || seen.some((p) => p.outcome === "dismissed" || p.outcome === "accepted") || (await declinedLately(db, actor.userId, intervention.code, now))) {
    return { answer: { group, intervention: null, promised }, toRecord: null, journeyId: null };
  }
  const alternative = intervention.offers.includes("alternative") ? alternativeFor(intervention.errorCode, order) : undefined;
  // Booked once for the task: a second "Call me back" would book a second call.
  const offers = promised ? intervention.offers.filter((offer) => offer !== "callback") : intervention.offers;
  const offered = { ...intervention, offers, message: explain(intervention, order?.status), ...(alternative ? { alternative } : {}) };
  const answer: AssistAnswer = { group, intervention: group === "control" ? null : offered, promised };
  // Recorded once per journey, shown or withheld.
  return { answer, toRecord: seen.length === 0 && journey ? intervention.code : null, journeyId: journey?.id ?? null };
}

/** Whether the customer declined this help in any of their attempts within its rest (INTERVENTION_RULES.restAfterDeclineHours). */
async function declinedLately(db: Db, userId: string, code: InterventionCode, now: Date): Promise<boolean> {
  const restHours = INTERVENTION_RULES.restAfterDeclineHours[code];
  if (!restHours) return false;
  const declined = await db.trailEvent.findFirst({
    where: {
      kind: "INTERVENTION",
      occurredAt: { gte: new Date(now.getTime() - restHours * 3_600_000), lte: now },
      journey: { userId },
      AND: [{ properties: { path: ["intervention"], equals: code } }, { properties: { path: ["outcome"], equals: "dismissed" } }],
    },
    select: { id: true },
  });
  return declined !== null;
}

export async function assist(db: Db, actor: TrailActor & { userId: string }, request: AssistRequest, now = new Date()): Promise<AssistAnswer> {
  const { answer, toRecord, journeyId } = await decide(db, actor, request, now);
  const { group } = answer;
  if (toRecord && journeyId) {
    await recordIntervention(db, actor, { journeyId, type: request.type, step: request.step, code: toRecord, outcome: group === "control" ? "withheld" : "shown", group });
  }
  return answer;
}

/**
 * The help a step's page shows in its first HTML, so that it paints with the page instead of
 * arriving after it (and pushing the page down). The browser names its attempt only once the page
 * runs, so this decides as `assist` does on the attempt a tab would continue: the customer's latest
 * at this task that has not ended or idled out. Nothing is recorded here: the page's browser asks
 * `assist` once its step is in, which records the help in its own attempt and may still change it.
 */
export async function helpOnArrival(db: Db, actor: TrailActor & { userId: string }, request: Omit<AssistRequest, "journeyId">, now = new Date()): Promise<Help> {
  const idleSince = new Date(now.getTime() - env().ABANDON_AFTER_MINUTES * 60_000);
  const live = await db.journey.findFirst({
    where: { userId: actor.userId, type: request.type, outcome: "IN_PROGRESS", lastActivityAt: { gte: idleSince } },
    orderBy: { lastActivityAt: "desc" },
    select: { id: true },
  });
  const { answer } = await decide(db, actor, { ...request, journeyId: live?.id ?? null }, now, false);
  return { intervention: answer.intervention, promised: answer.promised };
}
