// The journey explorer: individual attempts matching a filter, newest first, and one attempt's full
// trail step by step. Customers appear only by their opaque analytics id: analysts never see names,
// emails or anything else personal (no staff role sees more here).
import { z } from "zod";
import { Prisma } from "@/lib/generated/prisma/client";
import { EXIT_CHANNELS, isJourneyType, type ExitChannel, type JourneyType } from "@/lib/trail/journeys";
import type { DeviceClassValue, TrailKind } from "@/lib/trail/store";
import type { CustomerClass, OutcomeValue } from "./facts";
import { first, type InsightsFilter, type SearchParams } from "./filters";
import { funnelLength, funnelPosition, orderedFunnel } from "./funnel";
import type { SqlClient } from "./refresh";

export const EXPLORER_PAGE_SIZE = 50;
/** The most a CSV export of the explorer holds (newest first). */
export const EXPLORER_EXPORT_LIMIT = 5000;

export const ENDINGS = ["COMPLETED", "IN_PROGRESS", "ABANDONED", "FAILED", ...EXIT_CHANNELS] as const;
export type Ending = (typeof ENDINGS)[number];

export type ExplorerFilter = InsightsFilter & {
  ending: Ending | null;
  /** Furthest funnel position (attempts that stopped there); 0: never viewed step 1. */
  reached: number | null;
  errorCode: string | null;
  /** The customer's opaque analytics id. */
  customerId: string | null;
};

export type Cursor = { day: string; startedAt: string; journeyId: string };

const cursorSchema = z.object({ day: z.iso.date(), startedAt: z.iso.datetime({ offset: true }), journeyId: z.string().min(1).max(64) });

export function parseExplorerFilter(filter: InsightsFilter, params: SearchParams): { filter: ExplorerFilter; cursor: Cursor | null; problems: string[] } {
  const problems: string[] = [];
  const ending = z.enum(ENDINGS).safeParse(first(params, "ending"));
  const reached = z.coerce.number().int().min(0).max(20).safeParse(first(params, "reached"));
  const errorCode = z.string().trim().min(1).max(64).safeParse(first(params, "error"));
  const customerId = z.uuid().safeParse(first(params, "customerId"));
  if (first(params, "customerId") && !customerId.success) problems.push("The customer id is not an analytics id (a UUID), so it was ignored.");
  let cursor: Cursor | null = null;
  const rawCursor = first(params, "after");
  if (rawCursor) {
    const parsed = cursorSchema.safeParse(safeJson(Buffer.from(rawCursor, "base64url").toString("utf8")));
    if (parsed.success) cursor = parsed.data;
    else problems.push("The page link was damaged, so the newest attempts are shown.");
  }
  return {
    filter: {
      ...filter,
      ending: ending.success ? ending.data : null,
      reached: reached.success ? reached.data : null,
      errorCode: errorCode.success ? errorCode.data : null,
      customerId: customerId.success ? customerId.data : null,
    },
    cursor,
    problems,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function explorerQuery(filter: ExplorerFilter): Record<string, string | number | null> {
  return { ending: filter.ending, reached: filter.reached, error: filter.errorCode, customerId: filter.customerId };
}

export type ExplorerRow = {
  journeyId: string;
  journeyType: JourneyType;
  deviceClass: DeviceClassValue;
  customer: CustomerClass;
  customerId: string | null;
  level: number;
  outcome: OutcomeValue;
  exitChannel: ExitChannel | null;
  exitStep: string | null;
  startedAt: Date;
  totalSeconds: number | null;
  errorEvents: number;
  day: string;
};

export type ExplorerPage = { rows: ExplorerRow[]; next: string | null };

export async function exploreAttempts(db: SqlClient, filter: ExplorerFilter, cursor: Cursor | null, pageSize = EXPLORER_PAGE_SIZE): Promise<ExplorerPage> {
  const conditions = [Prisma.sql`f."day" BETWEEN ${filter.from}::date AND ${filter.to}::date`];
  if (filter.journeyType) conditions.push(Prisma.sql`f."journeyType" = ${filter.journeyType}`);
  if (filter.device) conditions.push(Prisma.sql`f."deviceClass" = ${filter.device}::"DeviceClass"`);
  if (filter.customer) conditions.push(Prisma.sql`f."customer" = ${filter.customer}::"InsightsCustomer"`);
  if (filter.reached !== null) conditions.push(Prisma.sql`f."level" = ${filter.reached}`);
  if (filter.ending && (EXIT_CHANNELS as readonly string[]).includes(filter.ending)) {
    conditions.push(Prisma.sql`f."outcome" = 'EXITED' AND f."exitChannel" = ${filter.ending}::"ExitChannel"`);
  } else if (filter.ending) {
    conditions.push(Prisma.sql`f."outcome" = ${filter.ending}::"JourneyOutcome"`);
  }
  if (filter.errorCode) conditions.push(Prisma.sql`f."errors" @> ${JSON.stringify([{ code: filter.errorCode }])}::jsonb`);
  if (filter.customerId) {
    conditions.push(Prisma.sql`f."journeyId" IN (SELECT j2."id" FROM "Journey" j2 JOIN "User" u2 ON u2."id" = j2."userId" WHERE u2."analyticsId" = ${filter.customerId}::uuid)`);
  }
  if (cursor) conditions.push(Prisma.sql`(f."day", f."startedAt", f."journeyId") < (${cursor.day}::date, ${cursor.startedAt}::timestamptz, ${cursor.journeyId})`);
  const rows = await db.$queryRaw<(Omit<ExplorerRow, "journeyType"> & { journeyType: string })[]>`
    SELECT f."journeyId", f."journeyType", f."deviceClass"::text AS "deviceClass", f."customer"::text AS "customer", u."analyticsId"::text AS "customerId",
           f."level", f."outcome"::text AS "outcome", f."exitChannel"::text AS "exitChannel", f."exitStep", f."startedAt", f."totalSeconds",
           (SELECT COALESCE(SUM((e->>'events')::int), 0) FROM jsonb_array_elements(f."errors") e)::int AS "errorEvents", to_char(f."day", 'YYYY-MM-DD') AS "day"
    FROM "InsightsAttempt" f JOIN "Journey" j ON j."id" = f."journeyId" LEFT JOIN "User" u ON u."id" = j."userId"
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY f."day" DESC, f."startedAt" DESC, f."journeyId" DESC
    LIMIT ${pageSize + 1}`;
  const page = rows.slice(0, pageSize).filter((r): r is ExplorerRow => isJourneyType(r.journeyType));
  const last = page[page.length - 1];
  const next =
    rows.length > pageSize && last
      ? Buffer.from(JSON.stringify({ day: last.day, startedAt: last.startedAt.toISOString(), journeyId: last.journeyId })).toString("base64url")
      : null;
  return { rows: page, next };
}

// ---------------------------------------------------------------- one attempt's trail

export type TrailStep = {
  occurredAt: Date;
  /** Seconds since the attempt's first event. */
  offsetSeconds: number;
  step: string;
  kind: TrailKind;
  errorCode: string | null;
  channel: ExitChannel | null;
  source: "BROWSER" | "SERVER";
  /** For help offered in place, what was offered and what became of it; for an override, the rule. */
  note: string | null;
  /** The funnel position this event counted for, when it is part of the counted chain. */
  countedAs: number | null;
};

export type AttemptTrail = {
  journeyId: string;
  journeyType: JourneyType;
  deviceClass: DeviceClassValue;
  customerId: string | null;
  startedAt: Date;
  endedAt: Date | null;
  outcome: OutcomeValue;
  exitChannel: ExitChannel | null;
  level: number;
  steps: TrailStep[];
  contacts: { channel: string; reason: string; resolvedNeed: boolean; note: string | null; createdAt: Date }[];
};

export async function attemptTrail(db: SqlClient, journeyId: string): Promise<AttemptTrail | null> {
  type JourneyRow = Omit<AttemptTrail, "steps" | "contacts" | "level" | "journeyType"> & { journeyType: string };
  const [journey] = await db.$queryRaw<JourneyRow[]>`
    SELECT j."id" AS "journeyId", j."type" AS "journeyType", j."deviceClass"::text AS "deviceClass", u."analyticsId"::text AS "customerId",
           j."startedAt", j."endedAt", j."outcome"::text AS "outcome", j."exitChannel"::text AS "exitChannel"
    FROM "Journey" j LEFT JOIN "User" u ON u."id" = j."userId" WHERE j."id" = ${journeyId}`;
  if (!journey || !isJourneyType(journey.journeyType)) return null;
  const type = journey.journeyType;
  const [events, contacts] = await Promise.all([
    db.$queryRaw<Omit<TrailStep, "offsetSeconds" | "countedAs">[]>`
      SELECT "occurredAt", "step", "kind"::text AS "kind", "errorCode", "channel"::text AS "channel", "source"::text AS "source",
             CASE "kind"::text WHEN 'INTERVENTION' THEN concat_ws(': ', "properties"->>'intervention', "properties"->>'outcome')
                               WHEN 'OVERRIDE' THEN "properties"->>'rule'
                               WHEN 'RAGE_TAP' THEN concat("properties"->>'taps', ' taps on a ', "properties"->>'element') END AS "note"
      FROM "TrailEvent" WHERE "journeyId" = ${journeyId} ORDER BY "occurredAt", "receivedAt", "id"`,
    db.$queryRaw<AttemptTrail["contacts"]>`
      SELECT "channel"::text AS "channel", "reason", "resolvedNeed", "note", "createdAt" FROM "Contact" WHERE "journeyId" = ${journeyId} ORDER BY "createdAt"`,
  ]);
  const progress = orderedFunnel(
    events.map((e) => ({ position: funnelPosition(type, e.step, e.kind), at: e.occurredAt.getTime() })),
    funnelLength(type),
  );
  // Marks, for each counted position, the first event of that position at the counted moment.
  const unmarked = new Map(progress.timings.map((at, i) => [i + 1, at]));
  const firstAt = events[0]?.occurredAt.getTime() ?? journey.startedAt.getTime();
  const steps = events.map((e): TrailStep => {
    const position = funnelPosition(type, e.step, e.kind);
    const counted = unmarked.get(position) === e.occurredAt.getTime();
    if (counted) unmarked.delete(position);
    return { ...e, offsetSeconds: Math.round((e.occurredAt.getTime() - firstAt) / 1000), countedAs: counted ? position : null };
  });
  return { ...journey, journeyType: type, level: progress.level, steps, contacts };
}
