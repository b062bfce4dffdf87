// The server half of the trail API: a step that changes data is recorded with `recordStep` inside
// the same transaction as the change, so the trail and the data never disagree.
import crypto from "node:crypto";
import type { Prisma } from "@/lib/generated/prisma/client";
import {
  exitEventName,
  interventionEventName,
  isJourneyType,
  overrideEventName,
  stepEventName,
  stepIndex,
  type ExitChannel,
  type InterventionOutcome,
  type JourneyType,
  type StepAction,
} from "./journeys";
import { storeTrailEvents, type DeviceClassValue, type TrailKind } from "./store";

export type TrailActor = {
  userId: string | null;
  /** Opaque analytics id of the customer, or the anonymous device id before sign-in. */
  distinctId: string;
  anonymousId?: string | null;
  deviceClass: DeviceClassValue;
  consent: boolean;
};

const KIND_OF_ACTION: Record<StepAction, TrailKind> = { viewed: "VIEWED", completed: "COMPLETED", failed: "ERROR" };

/** A journey id from a form is only trusted as a uuid; otherwise the step starts a new journey. */
export function journeyIdFrom(value: unknown): string {
  return typeof value === "string" && /^[0-9a-f-]{36}$/i.test(value) ? value : crypto.randomUUID();
}

export async function recordStep<J extends JourneyType>(
  tx: Prisma.TransactionClient,
  actor: TrailActor,
  step: { journeyId: string; type: J; step: string; action: StepAction; errorCode?: string; properties?: Record<string, string | number | boolean> },
) {
  if (!isJourneyType(step.type)) throw new Error(`undeclared journey ${String(step.type)}`);
  // Only for measuring the trail's cost (bench/ingest.ts): a task with and without its step.
  if (process.env.WAYMARK_TRAIL_DISABLED === "1") return null;
  const id = crypto.randomUUID();
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
  await storeTrailEvents(tx, [
    {
      id,
      journeyId: step.journeyId,
      journeyType: step.type,
      step: step.step,
      kind: KIND_OF_ACTION[step.action],
      errorCode: step.errorCode ?? null,
      source: "SERVER",
      occurredAt: new Date(),
      distinctId: actor.distinctId,
      userId: actor.userId,
      anonymousId: actor.anonymousId ?? null,
      deviceClass: actor.deviceClass,
      properties,
      forward: actor.consent ? { event: stepEventName(step.type, step.step, step.action), properties } : null,
    },
  ]);
  return id;
}

/** Server-recorded exit, for touchpoints that leave through a server route (e.g. an agent handover). */
export async function recordExit(tx: Prisma.TransactionClient, actor: TrailActor, exit: { journeyId: string; type: JourneyType; step: string; channel: ExitChannel }) {
  const id = crypto.randomUUID();
  const properties = { journey_id: exit.journeyId, journey_type: exit.type, step: exit.step, step_index: stepIndex(exit.type, exit.step), channel: exit.channel, source: "server" };
  await storeTrailEvents(tx, [
    {
      id,
      journeyId: exit.journeyId,
      journeyType: exit.type,
      step: exit.step,
      kind: "EXITED",
      channel: exit.channel,
      source: "SERVER",
      occurredAt: new Date(),
      distinctId: actor.distinctId,
      userId: actor.userId,
      deviceClass: actor.deviceClass,
      properties,
      forward: actor.consent ? { event: exitEventName(exit.type), properties } : null,
    },
  ]);
  return id;
}

/** Help offered in place, and what the customer did with it, on the journey's current step. */
export async function recordIntervention(
  tx: Prisma.TransactionClient,
  actor: TrailActor,
  intervention: { journeyId: string; type: JourneyType; step: string; code: string; outcome: InterventionOutcome; group: "treatment" | "control"; offer?: string },
) {
  const id = crypto.randomUUID();
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
  await storeTrailEvents(tx, [
    {
      id,
      journeyId: intervention.journeyId,
      journeyType: intervention.type,
      step: intervention.step,
      kind: "INTERVENTION",
      source: "SERVER",
      occurredAt: new Date(),
      distinctId: actor.distinctId,
      userId: actor.userId,
      deviceClass: actor.deviceClass,
      properties,
      forward: actor.consent ? { event: interventionEventName(intervention.type, intervention.outcome), properties } : null,
    },
  ]);
  return id;
}

/** An agent's override, shown in the customer's trail next to the step it concerned. */
export async function recordOverride(tx: Prisma.TransactionClient, actor: TrailActor, override: { journeyId: string; type: JourneyType; step: string; rule: string; overrideId: string }) {
  const properties = { journey_id: override.journeyId, journey_type: override.type, step: override.step, rule: override.rule, override_id: override.overrideId, source: "server" };
  await storeTrailEvents(tx, [
    {
      id: crypto.randomUUID(),
      journeyId: override.journeyId,
      journeyType: override.type,
      step: override.step,
      kind: "OVERRIDE",
      source: "SERVER",
      occurredAt: new Date(),
      distinctId: actor.distinctId,
      userId: actor.userId,
      deviceClass: actor.deviceClass,
      properties,
      forward: actor.consent ? { event: overrideEventName(override.type), properties } : null,
    },
  ]);
}
