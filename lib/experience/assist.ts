// Decides, for the step a customer is on, whether to offer help in place, and records what
// happened (shown, withheld for the hold-out group, accepted, dismissed) in the trail.
import "server-only";
import { env } from "@/lib/config/env";
import type { Db } from "@/lib/db/client";
import { featureFlag, posthogConfig } from "@/lib/integrations/posthog";
import { isLate } from "@/lib/orders/status";
import type { JourneyType } from "@/lib/trail/journeys";
import { recordIntervention, type TrailActor } from "@/lib/trail/server";
import { chooseIntervention, explain, localInterventionGroup, type Intervention, type InterventionGroup } from "./interventions";
import { riskNow } from "./models";

export type AssistRequest = { journeyId: string; type: JourneyType; step: string; orderNumber?: string | null };
export type Alternative = { href: string; label: string };
export type AssistAnswer = { group: InterventionGroup; intervention: (Intervention & { message: string; alternative?: Alternative }) | null };

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

export async function assist(db: Db, actor: TrailActor & { userId: string }, request: AssistRequest, now = new Date()): Promise<AssistAnswer> {
  const group = await groupFor(actor);
  const journey = await db.journey.findUnique({ where: { id: request.journeyId }, select: { userId: true } });
  // Only the customer's own journey counts; a forged id gets an empty history, never someone else's.
  const ownJourney = journey?.userId === actor.userId;
  const [errors, earlier, risk, order] = await Promise.all([
    ownJourney ? db.trailEvent.groupBy({ by: ["errorCode"], where: { journeyId: request.journeyId, kind: "ERROR" }, _count: true }) : Promise.resolve([]),
    ownJourney ? db.trailEvent.findMany({ where: { journeyId: request.journeyId, kind: "INTERVENTION" }, select: { properties: true } }) : Promise.resolve([]),
    riskNow(db, actor.userId, ownJourney ? request.journeyId : null, now),
    request.orderNumber ? db.order.findFirst({ where: { number: request.orderNumber, userId: actor.userId }, include: { shipments: { select: { deliveredAt: true } } } }) : Promise.resolve(null),
  ]);
  const intervention = chooseIntervention({
    errorCounts: Object.fromEntries(errors.map((e) => [e.errorCode ?? "unknown", e._count])),
    risk,
    orderLate: order ? order.status !== "DELIVERED" && isLate({ ...order, deliveredAt: order.shipments[0]?.deliveredAt }, now) : false,
    refundOverdue: risk.signals.overdueRefunds > 0,
  });
  if (!intervention) return { group, intervention: null };

  const seen = earlier.map((e) => e.properties as { intervention?: string; outcome?: string }).filter((p) => p.intervention === intervention.code);
  if (seen.some((p) => p.outcome === "dismissed" || p.outcome === "accepted")) return { group, intervention: null };
  if (seen.length === 0 && journey) {
    await db.$transaction((tx) =>
      recordIntervention(tx, actor, { journeyId: request.journeyId, type: request.type, step: request.step, code: intervention.code, outcome: group === "control" ? "withheld" : "shown", group }),
    );
  }
  const alternative = intervention.offers.includes("alternative") ? alternativeFor(intervention.errorCode, order) : undefined;
  return { group, intervention: group === "control" ? null : { ...intervention, message: explain(intervention, order?.status), ...(alternative ? { alternative } : {}) } };
}
