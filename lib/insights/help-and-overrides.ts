// Help in place and agents' overrides, for product teams: whether interventions lift completion
// against the hold-out group, and which rules agents set aside, how often, and what came of it.
// Read from the trail and the override records directly (they are small next to the trail).
import { ruleSetAsideLabel } from "@/lib/cases/labels";
import { filterInstants, type InsightsFilter } from "./filters";
import type { SqlClient } from "./refresh";
import type { ReportTable } from "./tables";


type LiftRow = { intervention: string; grp: string; attempts: number; completed: number; exited: number; accepted: number };

export async function interventionLiftTable(db: SqlClient, filter: InsightsFilter): Promise<ReportTable> {
  const { from, until } = filterInstants(filter);
  const rows = await db.$queryRaw<LiftRow[]>`
    WITH offered AS (
      SELECT DISTINCT ON (t."journeyId", t."properties"->>'intervention') t."journeyId", t."properties"->>'intervention' AS intervention,
             CASE WHEN t."properties"->>'outcome' = 'withheld' THEN 'hold-out' ELSE 'offered' END AS grp
      FROM "TrailEvent" t
      WHERE t."kind" = 'INTERVENTION' AND t."properties"->>'outcome' IN ('shown', 'withheld')
        AND t."occurredAt" >= ${from} AND t."occurredAt" < ${until}
        AND (${filter.journeyType}::text IS NULL OR t."journeyType" = ${filter.journeyType})
    )
    SELECT o.intervention, o.grp, count(*)::int AS attempts,
           count(*) FILTER (WHERE j."outcome" = 'COMPLETED')::int AS completed,
           count(*) FILTER (WHERE j."outcome" = 'EXITED')::int AS exited,
           count(*) FILTER (WHERE EXISTS (SELECT 1 FROM "TrailEvent" a WHERE a."journeyId" = o."journeyId" AND a."kind" = 'INTERVENTION'
                                           AND a."properties"->>'intervention' = o.intervention AND a."properties"->>'outcome' = 'accepted'))::int AS accepted
    FROM offered o JOIN "Journey" j ON j."id" = o."journeyId"
    GROUP BY o.intervention, o.grp ORDER BY o.intervention, o.grp DESC`;
  return {
    title: "Help in place against the hold-out group",
    caption: "Attempts where help was offered, or would have been for the hold-out group, and how they ended. The difference in completion rate is the lift.",
    columns: [
      { key: "intervention", label: "Help", format: "text" },
      { key: "group", label: "Group", format: "text" },
      { key: "attempts", label: "Attempts", format: "count" },
      { key: "accepted", label: "Accepted a callback or chat", format: "count" },
      { key: "completionRate", label: "Completed", format: "percent" },
      { key: "exitRate", label: "Left for another channel", format: "percent" },
    ],
    rows: rows.map((r) => ({
      cells: {
        intervention: r.intervention.replaceAll("_", " "),
        group: r.grp,
        attempts: r.attempts,
        accepted: r.accepted,
        completionRate: r.attempts ? r.completed / r.attempts : null,
        exitRate: r.attempts ? r.exited / r.attempts : null,
      },
    })),
  };
}

type OverrideRow = { rule: string; agent: string; overrides: number; casesResolved: number; returnsCompleted: number; last: Date };

export async function overridesTable(db: SqlClient, filter: InsightsFilter): Promise<ReportTable> {
  const { from, until } = filterInstants(filter);
  const rows = await db.$queryRaw<OverrideRow[]>`
    SELECT p."rule", coalesce(u."name", 'former agent') AS agent, count(*)::int AS overrides,
           -- The case it was set aside from; one recorded before overrides kept their case, a case about its order.
           count(*) FILTER (WHERE EXISTS (SELECT 1 FROM "Case" c WHERE (c."id" = p."caseId" OR (p."caseId" IS NULL AND c."orderId" = p."orderId")) AND c."status" IN ('RESOLVED', 'CLOSED')))::int AS "casesResolved",
           count(*) FILTER (WHERE r."status" IN ('REFUNDED', 'CREDITED', 'EXCHANGED'))::int AS "returnsCompleted",
           max(p."createdAt") AS last
    FROM "PolicyOverride" p LEFT JOIN "User" u ON u."id" = p."agentId" LEFT JOIN "Return" r ON r."id" = p."returnId"
    WHERE p."createdAt" >= ${from} AND p."createdAt" < ${until}
    GROUP BY p."rule", u."name" ORDER BY overrides DESC, p."rule"`;
  return {
    title: "Rules set aside by agents",
    caption: "Overrides by rule and agent, each recorded with a written justification, and what came of them.",
    columns: [
      { key: "rule", label: "Rule", format: "text" },
      { key: "agent", label: "Agent", format: "text" },
      { key: "overrides", label: "Overrides", format: "count" },
      { key: "casesResolved", label: "Case resolved", format: "count" },
      { key: "returnsCompleted", label: "Return completed", format: "count" },
      { key: "last", label: "Latest", format: "datetime" },
    ],
    rows: rows.map((r) => ({ cells: { rule: ruleSetAsideLabel(r.rule), agent: r.agent, overrides: r.overrides, casesResolved: r.casesResolved, returnsCompleted: r.returnsCompleted, last: r.last.toISOString() } })),
  };
}
