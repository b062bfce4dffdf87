// The analyst pages' counts, read from the daily rollups: a few hundred to a few thousand rows per
// question whatever the number of trail events, through each rollup's primary key (journey type,
// then day) or the day index when every journey is asked for.
import { Prisma } from "@/lib/generated/prisma/client";
import { JOURNEY_TYPES } from "@/lib/trail/journeys";
import type { InsightsFilter } from "./filters";
import { funnelLength } from "./funnel";
import type { SqlClient } from "./refresh";
import type { AttemptCount, AttemptDim, AttemptsQuery, DurationCount, DurationDim, ErrorCount, InsightsSource } from "./source";

function scope(filter: InsightsFilter): Prisma.Sql {
  const conditions = [Prisma.sql`"day" BETWEEN ${filter.from}::date AND ${filter.to}::date`];
  if (filter.journeyType) conditions.push(Prisma.sql`"journeyType" = ${filter.journeyType}`);
  if (filter.device) conditions.push(Prisma.sql`"deviceClass" = ${filter.device}::"DeviceClass"`);
  if (filter.customer) conditions.push(Prisma.sql`"customer" = ${filter.customer}::"InsightsCustomer"`);
  return Prisma.join(conditions, " AND ");
}

function selectDims(dims: readonly string[], expression: (dim: string) => string): { select: Prisma.Sql; groupBy: Prisma.Sql } {
  if (dims.length === 0) return { select: Prisma.empty, groupBy: Prisma.empty };
  return {
    select: Prisma.raw(dims.map((d) => `${expression(d)} AS "${d}", `).join("")),
    groupBy: Prisma.raw(`GROUP BY ${dims.map((_, i) => i + 1).join(", ")}`),
  };
}

function attemptDim(dim: AttemptDim, query: AttemptsQuery): string {
  switch (dim) {
    case "period":
      return query.granularity === "week" ? `to_char(date_trunc('week', "day"), 'YYYY-MM-DD')` : `to_char("day", 'YYYY-MM-DD')`;
    case "completed":
      return `COALESCE("level" = CASE "journeyType" ${JOURNEY_TYPES.map((t) => `WHEN '${t}' THEN ${funnelLength(t)}`).join(" ")} END, false)`;
    case "deviceClass":
    case "customer":
    case "outcome":
      return `"${dim}"::text`;
    default:
      return `"${dim}"`;
  }
}

export function rollupSource(db: SqlClient): InsightsSource {
  return {
    async attempts(filter, query) {
      const { select, groupBy } = selectDims(query.dims, (d) => attemptDim(d as AttemptDim, query));
      const entered = query.includeNotEntered ? Prisma.empty : Prisma.sql`AND "level" > 0`;
      return db.$queryRaw<AttemptCount[]>`
        SELECT ${select} SUM("attempts")::int AS "attempts", SUM("followedUp")::int AS "followedUp", SUM("resolved")::int AS "resolved", SUM("contacts")::int AS "contacts"
        FROM "InsightsDailyAttempts" WHERE ${scope(filter)} ${entered}
        ${groupBy} HAVING SUM("attempts") <> 0`;
    },
    async durations(filter, dims: readonly DurationDim[]) {
      const { groupBy } = selectDims([...dims, "segment", "bucket"], (d) => d);
      const select = Prisma.raw(dims.map((d) => (d === "deviceClass" ? `"deviceClass"::text AS "deviceClass", ` : `"${d}", `)).join(""));
      return db.$queryRaw<DurationCount[]>`
        SELECT ${select} "segment", "bucket", SUM("attempts")::int AS "attempts"
        FROM "InsightsDailyDurations" WHERE ${scope(filter)}
        ${groupBy} HAVING SUM("attempts") <> 0`;
    },
    async errors(filter) {
      return db.$queryRaw<ErrorCount[]>`
        SELECT "journeyType", "step", "errorCode", "outcome"::text AS "outcome", "exitChannel", SUM("events")::int AS "events", SUM("attempts")::int AS "attempts"
        FROM "InsightsDailyErrors" WHERE ${scope(filter)}
        GROUP BY 1, 2, 3, 4, 5 HAVING SUM("attempts") <> 0`;
    },
  };
}
