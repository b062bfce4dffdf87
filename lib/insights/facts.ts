// What one attempt (journey) amounts to for the analyst pages, and what it adds to each daily
// rollup. Both the rollups (kept current by lib/insights/refresh.ts) and the raw-event reference
// (lib/insights/raw-source.ts) are built from these functions. Framework-free.
import { isJourneyType, type ExitChannel, type JourneyType } from "@/lib/trail/journeys";
import type { DeviceClassValue, TrailKind } from "@/lib/trail/store";
import { durationBucket } from "./durations";
import { funnelLength, funnelPosition, orderedFunnel } from "./funnel";

/** A customer is new during the first days after creating their account. */
export const NEW_CUSTOMER_DAYS = 30;

export type CustomerClass = "NEW" | "RETURNING" | "SIGNED_OUT";
export type OutcomeValue = "IN_PROGRESS" | "COMPLETED" | "FAILED" | "ABANDONED" | "EXITED";
export type ContactChannelValue = "PHONE" | "CHAT" | "EMAIL" | "SOCIAL";

export type AttemptInput = {
  journey: {
    id: string;
    type: string;
    deviceClass: DeviceClassValue;
    startedAt: Date;
    endedAt: Date | null;
    outcome: OutcomeValue;
    exitChannel: ExitChannel | null;
  };
  /** When the customer's account was created; null while the attempt is not joined to one. */
  customerSince: Date | null;
  events: { step: string; kind: TrailKind; errorCode?: string | null; occurredAt: Date }[];
  /** Contacts an agent linked to this attempt. */
  contacts: { channel: ContactChannelValue; createdAt: Date; resolvedNeed: boolean }[];
  /** Made by a staff account (agent, analyst): kept in the trail, never counted as customers' product usage. */
  staff?: boolean;
};

export type AttemptError = { step: string; code: string; events: number };

export type AttemptFact = {
  journeyId: string;
  journeyType: JourneyType;
  /** YYYY-MM-DD (UTC) the attempt entered the funnel, or started when it never did. */
  day: string;
  deviceClass: DeviceClassValue;
  customer: CustomerClass;
  level: number;
  outcome: OutcomeValue;
  exitChannel: ExitChannel | null;
  exitStep: string | null;
  startedAt: Date;
  enteredAt: Date | null;
  endedAt: Date | null;
  stepSeconds: number[];
  totalSeconds: number | null;
  errors: AttemptError[];
  followUps: number;
  followUpResolved: boolean;
};

export function customerClass(customerSince: Date | null, startedAt: Date): CustomerClass {
  if (!customerSince) return "SIGNED_OUT";
  return startedAt.getTime() - customerSince.getTime() < NEW_CUSTOMER_DAYS * 86_400_000 ? "NEW" : "RETURNING";
}

/**
 * The channel a follow-up contact must come through: the one the customer left for. After the
 * help centre (no contact channel), "talk to a person" (answered by the customer's preferred
 * channel), an abandonment or a failure, any channel counts: the customer did not get what they
 * needed by themselves.
 */
export function followUpChannel(outcome: OutcomeValue, exitChannel: ExitChannel | null): ContactChannelValue | "ANY" | null {
  if (outcome === "EXITED" && exitChannel && exitChannel !== "HELP_CENTRE" && exitChannel !== "PERSON") return exitChannel;
  if (outcome === "EXITED" || outcome === "ABANDONED" || outcome === "FAILED") return "ANY";
  return null;
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const seconds = (ms: number) => Math.round(ms / 1000);

/** Null for journeys of a type no longer declared (the pages only know declared journeys) and for staff's. */
export function attemptFact(input: AttemptInput, options: { followUpWindowHours: number }): AttemptFact | null {
  const { journey } = input;
  if (!isJourneyType(journey.type) || input.staff) return null;
  const type = journey.type;
  const progress = orderedFunnel(
    input.events.map((e) => ({ position: funnelPosition(type, e.step, e.kind), at: e.occurredAt.getTime() })),
    funnelLength(type),
  );
  const enteredAt = progress.level > 0 ? new Date(progress.timings[0]) : null;
  const stepSeconds = progress.timings.slice(1).map((at, i) => seconds(at - progress.timings[i]));
  const completed = progress.level === funnelLength(type);

  const errors = new Map<string, AttemptError>();
  for (const e of input.events.filter((event) => event.kind === "ERROR")) {
    const code = e.errorCode ?? "";
    const key = `${e.step}\u0000${code}`;
    const found = errors.get(key) ?? { step: e.step, code, events: 0 };
    found.events++;
    errors.set(key, found);
  }

  const lastExit = input.events.filter((e) => e.kind === "EXITED").sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime())[0];
  const channel = followUpChannel(journey.outcome, journey.exitChannel);
  const endedAt = journey.endedAt;
  const followUps =
    channel && endedAt
      ? input.contacts.filter((c) => {
          const after = c.createdAt.getTime() - endedAt.getTime();
          return after >= 0 && after <= options.followUpWindowHours * 3_600_000 && (channel === "ANY" || c.channel === channel);
        })
      : [];

  return {
    journeyId: journey.id,
    journeyType: type,
    day: isoDay(enteredAt ?? journey.startedAt),
    deviceClass: journey.deviceClass,
    customer: customerClass(input.customerSince, journey.startedAt),
    level: progress.level,
    outcome: journey.outcome,
    exitChannel: journey.outcome === "EXITED" ? journey.exitChannel : null,
    exitStep: journey.outcome === "EXITED" ? (lastExit?.step ?? null) : null,
    startedAt: journey.startedAt,
    enteredAt,
    endedAt,
    stepSeconds,
    totalSeconds: completed ? seconds(progress.timings[progress.timings.length - 1] - progress.timings[0]) : null,
    errors: [...errors.values()].sort((a, b) => a.step.localeCompare(b.step) || a.code.localeCompare(b.code)),
    followUps: followUps.length,
    followUpResolved: followUps.some((c) => c.resolvedNeed),
  };
}

// ---------------------------------------------------------------- rollup rows

/** The dimensions every rollup shares. */
export type RollupScope = { journeyType: JourneyType; day: string; deviceClass: DeviceClassValue; customer: CustomerClass };

export type AttemptsRollupRow = RollupScope & {
  level: number;
  outcome: OutcomeValue;
  /** "" unless the attempt ended in an exit. */
  exitChannel: ExitChannel | "";
  attempts: number;
  followedUp: number;
  resolved: number;
  contacts: number;
};

/** Segment 0: entry to completion; segment k: funnel position k to k + 1. */
export type DurationsRollupRow = RollupScope & { segment: number; bucket: number; attempts: number };

export type ErrorsRollupRow = RollupScope & {
  step: string;
  errorCode: string;
  outcome: OutcomeValue;
  exitChannel: ExitChannel | "";
  events: number;
  attempts: number;
};

export type RollupRows = { attempts: AttemptsRollupRow[]; durations: DurationsRollupRow[]; errors: ErrorsRollupRow[] };

/** What one attempt adds to the rollups. Durations and errors only count attempts in the funnel. */
export function rollupRowsOf(fact: AttemptFact): RollupRows {
  const scope: RollupScope = { journeyType: fact.journeyType, day: fact.day, deviceClass: fact.deviceClass, customer: fact.customer };
  const exitChannel = fact.exitChannel ?? "";
  const attempts: AttemptsRollupRow = {
    ...scope,
    level: fact.level,
    outcome: fact.outcome,
    exitChannel,
    attempts: 1,
    followedUp: fact.followUps > 0 ? 1 : 0,
    resolved: fact.followUpResolved ? 1 : 0,
    contacts: fact.followUps,
  };
  if (fact.level === 0) return { attempts: [attempts], durations: [], errors: [] };
  const durations: DurationsRollupRow[] = fact.stepSeconds.map((s, i) => ({ ...scope, segment: i + 1, bucket: durationBucket(s), attempts: 1 }));
  if (fact.totalSeconds !== null) durations.push({ ...scope, segment: 0, bucket: durationBucket(fact.totalSeconds), attempts: 1 });
  const errors: ErrorsRollupRow[] = fact.errors.map((e) => ({ ...scope, step: e.step, errorCode: e.code, outcome: fact.outcome, exitChannel, events: e.events, attempts: 1 }));
  return { attempts: [attempts], durations, errors };
}
