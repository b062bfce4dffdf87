// The reports on the analyst pages, built from counts (whichever source gave them): funnels with
// how the rest ended, mobile against desktop, trends, time to complete, errors per step and exit
// follow-through. Pure and order-independent, so both sources must give identical reports.
import { EXIT_CHANNELS, JOURNEYS, JOURNEY_TYPES, type ExitChannel, type JourneyType } from "@/lib/trail/journeys";
import type { DeviceClassValue } from "@/lib/trail/store";
import { percentileBucket } from "./durations";
import { funnelLength, funnelPositionLabel } from "./funnel";
import { addDays, DEVICE_CLASSES, type Granularity, type InsightsFilter } from "./filters";
import { weekOf, type AttemptCount, type DurationCount, type ErrorCount } from "./source";

export const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

const zeroByChannel = (): Record<ExitChannel, number> => ({ PHONE: 0, CHAT: 0, EMAIL: 0, SOCIAL: 0, HELP_CENTRE: 0, PERSON: 0 });

// ---------------------------------------------------------------- funnel

/** How the attempts that stopped at a position ended. */
export type Endings = { abandoned: number; failed: number; exited: Record<ExitChannel, number>; inProgress: number; completedAnyway: number };

export type FunnelRow = {
  position: number;
  label: string;
  /** The step, or null for the completion position. */
  step: string | null;
  reached: number;
  /** Reached the next position; null on the last. */
  wentOn: number | null;
  fromStart: number | null;
  stepConversion: number | null;
  /** Of the attempts whose furthest position is this one (always nothing on the last). */
  stopped: number;
  endings: Endings;
};

export type FunnelReport = {
  journeyType: JourneyType;
  entered: number;
  completed: number;
  completionRate: number | null;
  /** Attempts that never viewed step 1: outside the funnel, as in PostHog. */
  notEntered: number;
  rows: FunnelRow[];
};

const noEndings = (): Endings => ({ abandoned: 0, failed: 0, exited: zeroByChannel(), inProgress: 0, completedAnyway: 0 });

/** From counts by level, outcome and exit channel (including level 0) of one journey type. */
export function funnelReport(type: JourneyType, counts: readonly AttemptCount[]): FunnelReport {
  const length = funnelLength(type);
  const atLevel = Array.from({ length: length + 1 }, () => 0);
  const endings = Array.from({ length: length + 1 }, noEndings);
  for (const c of counts) {
    const level = c.level ?? 0;
    atLevel[level] += c.attempts;
    const e = endings[level];
    if (c.outcome === "ABANDONED") e.abandoned += c.attempts;
    else if (c.outcome === "FAILED") e.failed += c.attempts;
    else if (c.outcome === "EXITED" && c.exitChannel) e.exited[c.exitChannel] += c.attempts;
    else if (c.outcome === "IN_PROGRESS") e.inProgress += c.attempts;
    else if (c.outcome === "COMPLETED" && level < length) e.completedAnyway += c.attempts;
  }
  const reachedAt = (position: number) => atLevel.slice(position).reduce((sum, n) => sum + n, 0);
  const entered = reachedAt(1);
  const completed = atLevel[length];
  const rows: FunnelRow[] = [];
  for (let position = 1; position <= length; position++) {
    const reached = reachedAt(position);
    const last = position === length;
    const wentOn = last ? null : reachedAt(position + 1);
    rows.push({
      position,
      label: funnelPositionLabel(type, position),
      step: last ? null : JOURNEYS[type].steps[position - 1],
      reached,
      wentOn,
      fromStart: ratio(reached, entered),
      stepConversion: wentOn === null ? null : ratio(wentOn, reached),
      stopped: last ? 0 : atLevel[position],
      endings: last ? noEndings() : endings[position],
    });
  }
  return { journeyType: type, entered, completed, completionRate: ratio(completed, entered), notEntered: atLevel[0], rows };
}

// ---------------------------------------------------------------- mobile against desktop

export type DeviceComparisonRow = {
  position: number;
  label: string;
  byDevice: Record<DeviceClassValue, { reached: number; fromStart: number | null; stepConversion: number | null }>;
  /** Mobile's share going on from this position minus desktop's (negative: phones stop more here). */
  gap: number | null;
};

export type DeviceComparison = { funnels: Record<DeviceClassValue, FunnelReport>; rows: DeviceComparisonRow[]; widestGap: DeviceComparisonRow | null };

/** From counts by device, level, outcome and exit channel of one journey type. */
export function deviceComparison(type: JourneyType, counts: readonly AttemptCount[]): DeviceComparison {
  const funnels = Object.fromEntries(DEVICE_CLASSES.map((d) => [d, funnelReport(type, counts.filter((c) => c.deviceClass === d))])) as Record<DeviceClassValue, FunnelReport>;
  const rows = funnels.DESKTOP.rows.map((row, i): DeviceComparisonRow => {
    const byDevice = Object.fromEntries(
      DEVICE_CLASSES.map((d) => {
        const r = funnels[d].rows[i];
        return [d, { reached: r.reached, fromStart: r.fromStart, stepConversion: r.stepConversion }];
      }),
    ) as DeviceComparisonRow["byDevice"];
    const mobile = byDevice.MOBILE.stepConversion;
    const desktop = byDevice.DESKTOP.stepConversion;
    return { position: row.position, label: row.label, byDevice, gap: mobile === null || desktop === null ? null : mobile - desktop };
  });
  const widestGap = rows.filter((r) => r.gap !== null && r.gap < 0).sort((a, b) => (a.gap ?? 0) - (b.gap ?? 0))[0] ?? null;
  return { funnels, rows, widestGap };
}

// ---------------------------------------------------------------- trend

export type TrendPoint = {
  period: string;
  entered: number;
  completed: number;
  completionRate: number | null;
  exits: Record<ExitChannel, number>;
  abandoned: number;
  failed: number;
};

/** Every day or week of the range, empty ones included; from counts by period, completion, outcome and exit channel. */
export function trendReport(counts: readonly AttemptCount[], filter: InsightsFilter, granularity: Granularity): TrendPoint[] {
  const points = new Map<string, TrendPoint>();
  const step = granularity === "week" ? 7 : 1;
  for (let period = granularity === "week" ? weekOf(filter.from) : filter.from; period <= filter.to; period = addDays(period, step)) {
    points.set(period, { period, entered: 0, completed: 0, completionRate: null, exits: zeroByChannel(), abandoned: 0, failed: 0 });
  }
  for (const c of counts) {
    const point = c.period ? points.get(c.period) : undefined;
    if (!point) continue;
    point.entered += c.attempts;
    if (c.completed) point.completed += c.attempts;
    if (c.outcome === "EXITED" && c.exitChannel) point.exits[c.exitChannel] += c.attempts;
    if (c.outcome === "ABANDONED") point.abandoned += c.attempts;
    if (c.outcome === "FAILED") point.failed += c.attempts;
  }
  return [...points.values()].map((p) => ({ ...p, completionRate: ratio(p.completed, p.entered) }));
}

// ---------------------------------------------------------------- time to complete

export type DurationRow = { segment: number; label: string; measured: number; median: number | null; p90: number | null };

/** Whole task first, then each step; percentiles are DURATION_BUCKETS indexes. */
export function durationsReport(type: JourneyType, counts: readonly DurationCount[]): DurationRow[] {
  const length = funnelLength(type);
  const histograms = new Map<number, Map<number, number>>();
  for (const c of counts) {
    const histogram = histograms.get(c.segment) ?? new Map<number, number>();
    histogram.set(c.bucket, (histogram.get(c.bucket) ?? 0) + c.attempts);
    histograms.set(c.segment, histogram);
  }
  return Array.from({ length }, (_, segment) => {
    const histogram = histograms.get(segment) ?? new Map<number, number>();
    return {
      segment,
      label: segment === 0 ? "Whole task (step 1 to completed)" : `${funnelPositionLabel(type, segment)} → ${funnelPositionLabel(type, segment + 1)}`,
      measured: [...histogram.values()].reduce((sum, n) => sum + n, 0),
      median: percentileBucket(histogram, 0.5),
      p90: percentileBucket(histogram, 0.9),
    };
  });
}

// ---------------------------------------------------------------- errors

export type ErrorRow = {
  step: string;
  /** 1-based position of the step in the funnel; 0 for a step the journey no longer declares. */
  position: number;
  errorCode: string;
  events: number;
  attempts: number;
  /** Of the attempts that reached the step. */
  shareOfReached: number | null;
  completedAnyway: number;
  exited: Record<ExitChannel, number>;
  abandonedOrFailed: number;
};

/** The most frequent errors of each step, in step order; from error counts of one journey type. */
export function errorsReport(type: JourneyType, counts: readonly ErrorCount[], funnel: FunnelReport, perStep = 5): ErrorRow[] {
  const steps = JOURNEYS[type].steps as readonly string[];
  const rows = new Map<string, ErrorRow>();
  for (const c of counts.filter((e) => e.journeyType === type)) {
    const key = `${c.step}\u0000${c.errorCode}`;
    const position = steps.indexOf(c.step) + 1;
    const row = rows.get(key) ?? { step: c.step, position, errorCode: c.errorCode, events: 0, attempts: 0, shareOfReached: null, completedAnyway: 0, exited: zeroByChannel(), abandonedOrFailed: 0 };
    row.events += c.events;
    row.attempts += c.attempts;
    if (c.outcome === "COMPLETED") row.completedAnyway += c.attempts;
    if (c.outcome === "EXITED" && c.exitChannel) row.exited[c.exitChannel] += c.attempts;
    if (c.outcome === "ABANDONED" || c.outcome === "FAILED") row.abandonedOrFailed += c.attempts;
    rows.set(key, row);
  }
  const sorted = [...rows.values()]
    .map((r) => ({ ...r, shareOfReached: r.position ? ratio(r.attempts, funnel.rows[r.position - 1].reached) : null }))
    .sort((a, b) => (a.position || Infinity) - (b.position || Infinity) || a.step.localeCompare(b.step) || b.attempts - a.attempts || a.errorCode.localeCompare(b.errorCode));
  const shownPerStep = new Map<string, number>();
  return sorted.filter((r) => {
    const shown = shownPerStep.get(r.step) ?? 0;
    shownPerStep.set(r.step, shown + 1);
    return shown < perStep;
  });
}

// ---------------------------------------------------------------- exit follow-through

export type DropOff = ExitChannel | "ABANDONED" | "FAILED";

export type FollowThroughRow = {
  dropOff: DropOff;
  /** The contact channel that counts: the one left for, or any after self-service, abandonment and failure. */
  sameChannelOnly: boolean;
  dropOffs: number;
  followedUp: number;
  followUpRate: number | null;
  resolved: number;
  /** Of the drop-offs followed by a contact. */
  resolvedRate: number | null;
  contacts: number;
  contactsPerDropOff: number | null;
};

/** From counts by outcome and exit channel. */
export function followThroughReport(counts: readonly AttemptCount[]): FollowThroughRow[] {
  const dropOffs: DropOff[] = [...EXIT_CHANNELS, "ABANDONED", "FAILED"];
  return dropOffs.map((dropOff) => {
    const matching = counts.filter((c) => (dropOff === "ABANDONED" || dropOff === "FAILED" ? c.outcome === dropOff : c.outcome === "EXITED" && c.exitChannel === dropOff));
    const sum = (pick: (c: AttemptCount) => number) => matching.reduce((total, c) => total + pick(c), 0);
    const attempts = sum((c) => c.attempts);
    const followedUp = sum((c) => c.followedUp);
    const resolved = sum((c) => c.resolved);
    const contacts = sum((c) => c.contacts);
    return {
      dropOff,
      sameChannelOnly: dropOff !== "HELP_CENTRE" && dropOff !== "ABANDONED" && dropOff !== "FAILED",
      dropOffs: attempts,
      followedUp,
      followUpRate: ratio(followedUp, attempts),
      resolved,
      resolvedRate: ratio(resolved, followedUp),
      contacts,
      contactsPerDropOff: ratio(contacts, attempts),
    };
  });
}

// ---------------------------------------------------------------- overview

export type OverviewRow = {
  journeyType: JourneyType;
  entered: number;
  completed: number;
  completionRate: number | null;
  rateByDevice: Record<DeviceClassValue, number | null>;
  /** The step where the most attempts stopped, and their share of the attempts that started. */
  biggestDropOff: { label: string; stopped: number; share: number | null } | null;
  exits: number;
  topExit: ExitChannel | null;
};

/** One row per declared journey; from counts by journey type, device, level, outcome and exit channel. */
export function overviewReport(counts: readonly AttemptCount[]): OverviewRow[] {
  return JOURNEY_TYPES.map((type): OverviewRow => {
    const own = counts.filter((c) => c.journeyType === type);
    const funnel = funnelReport(type, own);
    const rateByDevice = Object.fromEntries(DEVICE_CLASSES.map((d) => [d, funnelReport(type, own.filter((c) => c.deviceClass === d)).completionRate])) as Record<DeviceClassValue, number | null>;
    const biggest = funnel.rows.filter((r) => r.stopped > 0).sort((a, b) => b.stopped - a.stopped)[0];
    const exits = zeroByChannel();
    for (const r of funnel.rows) for (const c of EXIT_CHANNELS) exits[c] += r.endings.exited[c];
    const topExit = EXIT_CHANNELS.filter((c) => exits[c] > 0).sort((a, b) => exits[b] - exits[a])[0] ?? null;
    return {
      journeyType: type,
      entered: funnel.entered,
      completed: funnel.completed,
      completionRate: funnel.completionRate,
      rateByDevice,
      biggestDropOff: biggest ? { label: biggest.label, stopped: biggest.stopped, share: ratio(biggest.stopped, funnel.entered) } : null,
      exits: EXIT_CHANNELS.reduce((sum, c) => sum + exits[c], 0),
      topExit,
    };
  });
}
