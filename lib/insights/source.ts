// Where the reports get their counts. Two implementations answer the same questions: the daily
// rollups (what the pages use, lib/insights/rollup-source.ts) and the raw trail events
// (lib/insights/raw-source.ts, the reference the rollups are tested against and timed beside).
import type { ExitChannel, JourneyType } from "@/lib/trail/journeys";
import type { DeviceClassValue } from "@/lib/trail/store";
import type { CustomerClass, OutcomeValue } from "./facts";
import type { Granularity, InsightsFilter } from "./filters";

/** `completed`: whether the attempt reached the last funnel position (a cheaper key than journey type and level). */
export type AttemptDim = "journeyType" | "period" | "deviceClass" | "customer" | "level" | "completed" | "outcome" | "exitChannel";

export type AttemptsQuery = {
  dims: readonly AttemptDim[];
  /** What `period` means: the day, or the Monday starting the ISO week. */
  granularity?: Granularity;
  /** Attempts that never viewed step 1 (level 0) are left out, as PostHog leaves them out, unless asked for. */
  includeNotEntered?: boolean;
};

export type Measures = { attempts: number; followedUp: number; resolved: number; contacts: number };

export type AttemptCount = Measures & {
  journeyType?: JourneyType;
  period?: string;
  deviceClass?: DeviceClassValue;
  customer?: CustomerClass;
  level?: number;
  completed?: boolean;
  outcome?: OutcomeValue;
  exitChannel?: ExitChannel | "";
};

export type DurationDim = "journeyType" | "deviceClass";
export type DurationCount = { journeyType?: JourneyType; deviceClass?: DeviceClassValue; segment: number; bucket: number; attempts: number };

export type ErrorCount = {
  journeyType: JourneyType;
  step: string;
  errorCode: string;
  outcome: OutcomeValue;
  exitChannel: ExitChannel | "";
  events: number;
  attempts: number;
};

export interface InsightsSource {
  attempts(filter: InsightsFilter, query: AttemptsQuery): Promise<AttemptCount[]>;
  durations(filter: InsightsFilter, dims: readonly DurationDim[]): Promise<DurationCount[]>;
  errors(filter: InsightsFilter): Promise<ErrorCount[]>;
}

/** The Monday that starts the ISO week of a YYYY-MM-DD day (PostgreSQL's date_trunc('week')). */
export function weekOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
}
