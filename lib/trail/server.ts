// The server half of the trail API: a step that changes data is recorded with `recordStep` inside
// the same transaction as the change, so the trail and the data never disagree: the steps of one
// transaction commit with it and are stored in the trail right after (queueTrailEvents). A step
// that changes nothing else is recorded on the client itself, and stored at once.
import "server-only";
import crypto from "node:crypto";
import { env } from "@/lib/config/env";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { LeaveReason } from "@/lib/voice/reasons";
import { hasEnded, nextAttemptId } from "./attempts";
import {
  exitEventName,
  interventionEventName,
  isJourneyType,
  lastStep,
  overrideEventName,
  stepEventName,
  stepIndex,
  type ExitChannel,
  type InterventionOutcome,
  type JourneyType,
  type StepAction,
} from "./journeys";
import { queueTrailEvents, storePendingSteps, type DeviceClassValue, type TrailEventInput, type TrailKind } from "./store";

export type TrailActor = {
  userId: string | null;
  /** Opaque analytics id of the customer, or the anonymous device id before sign-in. */
  distinctId: string;
  anonymousId?: string | null;
  deviceClass: DeviceClassValue;
  consent: boolean;
};

const KIND_OF_ACTION: Record<StepAction, TrailKind> = { viewed: "VIEWED", completed: "COMPLETED", failed: "ERROR" };

/** A journey id from a form is only trusted as a uuid. */
export function carriedJourneyId(value: unknown): string | null {
  return typeof value === "string" && /^[0-9a-f-]{36}$/i.test(value) ? value : null;
}

/** The journey id a form carries, or a new journey's. */
export function journeyIdFrom(value: unknown): string {
  return carriedJourneyId(value) ?? crypto.randomUUID();
}

/**
 * The actor's latest attempt at the task that is still open (active within the idle window that
 * closes attempts), for a submit that carries no journey id: a form sent before the page's scripts
 * ran (a quick tap on a slow phone, or no JavaScript at all) still follows the pages the customer
 * saw, and starting a new attempt there would split one task in two in every funnel.
 */
export async function openAttemptId(db: Db, actor: TrailActor, type: JourneyType, now = new Date()): Promise<string | null> {
  const owner = actor.userId ? { userId: actor.userId } : actor.anonymousId ? { userId: null, anonymousId: actor.anonymousId } : null;
  if (!owner) return null;
  const open = await db.journey.findFirst({
    where: { ...owner, type, outcome: "IN_PROGRESS", lastActivityAt: { gte: new Date(now.getTime() - env().ABANDON_AFTER_MINUTES * 60_000) } },
    orderBy: { lastActivityAt: "desc" },
    select: { id: true },
  });
  return open?.id ?? null;
}

/** The attempt a request's step belongs to: the one it carries, else the actor's open one, else a new one. */
export async function attemptIdFor(db: Db, actor: TrailActor, type: JourneyType, carried: unknown): Promise<string> {
  return carriedJourneyId(carried) ?? (await openAttemptId(db, actor, type)) ?? crypto.randomUUID();
}

/**
 * The attempt a tab's step belongs to now, as the journey rule places the tab's steps
 * (lib/trail/attempts.ts): the attempt its journey id names while it is under way, and the page
 * whose view completed it (its last step, an order's tracking page); once it has ended, the attempt
 * the rule carries the tab's later steps to, or none while the customer has taken no step there.
 * For what answers a tab about its step (help in place): a tab's ask that arrived after its submit
 * completed the task, or after the customer left for another channel, was offered and recorded
 * help in the ended attempt.
 */
export async function attemptOfStep(db: Db | Prisma.TransactionClient, journeyId: string, step: string): Promise<{ id: string; userId: string | null } | null> {
  await storePendingSteps(db, journeyId);
  let id = journeyId;
  for (let hop = 0; hop < 5; hop++) {
    const attempt = await db.journey.findUnique({ where: { id }, select: { id: true, type: true, userId: true, outcome: true, endedAt: true } });
    if (!attempt || !hasEnded(attempt)) return attempt;
    if (attempt.outcome === "COMPLETED" && isJourneyType(attempt.type) && step === lastStep(attempt.type)) return attempt;
    id = nextAttemptId(id);
  }
  return null;
}

type ServerEvent = Pick<TrailEventInput, "journeyId" | "journeyType" | "step" | "kind"> & Partial<Pick<TrailEventInput, "errorCode" | "channel">>;

/** One server-recorded trail event as the actor's, with its PostHog copy unless the actor declined. */
function serverEvent(actor: TrailActor, event: ServerEvent, forwardName: string, properties: Record<string, string | number | boolean>, at: Date): TrailEventInput {
  return {
    id: crypto.randomUUID(),
    ...event,
    source: "SERVER",
    occurredAt: at,
    distinctId: actor.distinctId,
    userId: actor.userId,
    anonymousId: actor.anonymousId ?? null,
    deviceClass: actor.deviceClass,
    properties,
    forward: actor.consent ? { event: forwardName, properties } : null,
  };
}

/** Stores it through the journey rule (an id naming someone else's attempt is refused there). */
async function storeServerEvent(tx: Db | Prisma.TransactionClient, actor: TrailActor, event: ServerEvent, forwardName: string, properties: Record<string, string | number | boolean>) {
  const stored = serverEvent(actor, event, forwardName, properties, new Date());
  await queueTrailEvents(tx, [stored]);
  return stored.id;
}

export type ServerStep<J extends JourneyType> = { journeyId: string; type: J; step: string; action: StepAction; errorCode?: string; properties?: Record<string, string | number | boolean> };

/** A step as the server records it; also how the demo seed records its simulated customers' server steps. */
export function serverStepEvent<J extends JourneyType>(actor: TrailActor, step: ServerStep<J>, at: Date = new Date()): TrailEventInput {
  if (!isJourneyType(step.type)) throw new Error(`undeclared journey ${String(step.type)}`);
  const properties = {
    ...step.properties,
    journey_id: step.journeyId,
    journey_type: step.type,
    step: step.step,
    step_index: stepIndex(step.type, step.step),
    action: step.action,
    source: "server",
    device_class: actor.deviceClass,
    ...(step.errorCode ? { error_code: step.errorCode } : {}),
  };
  const event = { journeyId: step.journeyId, journeyType: step.type, step: step.step, kind: KIND_OF_ACTION[step.action], errorCode: step.errorCode ?? null };
  return serverEvent(actor, event, stepEventName(step.type, step.step, step.action), properties, at);
}

/**
 * `at`: when the step happened, when that was before now (a webhook reporting it late), so the
 * journey rule places it in the attempt it belongs to; by default, now.
 */
export async function recordStep<J extends JourneyType>(tx: Db | Prisma.TransactionClient, actor: TrailActor, step: ServerStep<J>, at: Date = new Date()) {
  const event = serverStepEvent(actor, step, at);
  // Only for measuring the trail's cost (bench/ingest.ts): a task with and without its step.
  if (env().WAYMARK_TRAIL_DISABLED) return null;
  await queueTrailEvents(tx, [event]);
  return event.id;
}

/** Server-recorded exit, for touchpoints that leave through a server route (e.g. an agent handover). */
export async function recordExit(tx: Prisma.TransactionClient, actor: TrailActor, exit: { journeyId: string; type: JourneyType; step: string; channel: ExitChannel; reason?: LeaveReason | null }) {
  const properties = {
    journey_id: exit.journeyId,
    journey_type: exit.type,
    step: exit.step,
    step_index: stepIndex(exit.type, exit.step),
    channel: exit.channel,
    ...(exit.reason ? { exit_reason: exit.reason } : {}),
    source: "server",
  };
  return storeServerEvent(tx, actor, { journeyId: exit.journeyId, journeyType: exit.type, step: exit.step, kind: "EXITED", channel: exit.channel }, exitEventName(exit.type), properties);
}

/** Help offered in place, and what the customer did with it, on the journey's current step. */
export async function recordIntervention(
  tx: Db | Prisma.TransactionClient,
  actor: TrailActor,
  intervention: { journeyId: string; type: JourneyType; step: string; code: string; outcome: InterventionOutcome; group: "treatment" | "control"; offer?: string },
) {
  const properties = {
    journey_id: intervention.journeyId,
    journey_type: intervention.type,
    step: intervention.step,
    intervention: intervention.code,
    outcome: intervention.outcome,
    intervention_group: intervention.group,
    ...(intervention.offer ? { offer: intervention.offer } : {}),
    source: "server",
  };
  const event = { journeyId: intervention.journeyId, journeyType: intervention.type, step: intervention.step, kind: "INTERVENTION" } as const;
  return storeServerEvent(tx, actor, event, interventionEventName(intervention.type, intervention.outcome), properties);
}

/** An agent's override, shown in the customer's trail next to the step it concerned. */
export async function recordOverride(tx: Prisma.TransactionClient, actor: TrailActor, override: { journeyId: string; type: JourneyType; step: string; rule: string; overrideId: string }) {
  const properties = { journey_id: override.journeyId, journey_type: override.type, step: override.step, rule: override.rule, override_id: override.overrideId, source: "server" };
  await storeServerEvent(tx, actor, { journeyId: override.journeyId, journeyType: override.type, step: override.step, kind: "OVERRIDE" }, overrideEventName(override.type), properties);
}
