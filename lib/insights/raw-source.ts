// The same counts as the rollups, computed at query time from the raw trail: every journey, its
// events and contacts, read afresh and folded by the funnel definition. Too slow for pages at
// scale; it is the reference that tests hold the rollups to (and the bench times beside them).
import { env } from "@/lib/config/env";
import { attemptFact, rollupRowsOf, type AttemptFact, type RollupScope } from "./facts";
import type { InsightsFilter } from "./filters";
import { funnelLength } from "./funnel";
import { loadAttemptInputs, type SqlClient } from "./refresh";
import { ATTEMPTS_ROLLUP, DURATIONS_ROLLUP, ERRORS_ROLLUP, sumBy } from "./rollups";
import { weekOf, type AttemptCount, type DurationCount, type ErrorCount, type InsightsSource } from "./source";

export async function rawSource(db: SqlClient, options: { followUpWindowHours?: number } = {}): Promise<InsightsSource> {
  const followUpWindowHours = options.followUpWindowHours ?? env().CONTACT_LINK_WINDOW_HOURS;
  const ids = (await db.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Journey"`).map((j) => j.id);
  const facts = (await loadAttemptInputs(db, ids)).map((input) => attemptFact(input, { followUpWindowHours })).filter((f): f is AttemptFact => f !== null);
  const rows = facts.map(rollupRowsOf);
  const inScope = (filter: InsightsFilter) => (row: RollupScope) =>
    row.day >= filter.from &&
    row.day <= filter.to &&
    (!filter.journeyType || row.journeyType === filter.journeyType) &&
    (!filter.device || row.deviceClass === filter.device) &&
    (!filter.customer || row.customer === filter.customer);
  const signed = <Row>(list: Row[]) => list.map((row) => ({ row, sign: 1 }));

  return {
    async attempts(filter, query) {
      const matching = rows
        .flatMap((r) => r.attempts)
        .filter(inScope(filter))
        .filter((r) => query.includeNotEntered || r.level > 0)
        .map((r) => ({ ...r, period: query.granularity === "week" ? weekOf(r.day) : r.day, completed: r.level === funnelLength(r.journeyType) }));
      return sumBy(signed(matching), query.dims, ATTEMPTS_ROLLUP.measures) as AttemptCount[];
    },
    async durations(filter, dims) {
      const matching = rows.flatMap((r) => r.durations).filter(inScope(filter));
      return sumBy(signed(matching), [...dims, "segment", "bucket"] as const, DURATIONS_ROLLUP.measures) as DurationCount[];
    },
    async errors(filter) {
      const matching = rows.flatMap((r) => r.errors).filter(inScope(filter));
      return sumBy(signed(matching), ["journeyType", "step", "errorCode", "outcome", "exitChannel"] as const, ERRORS_ROLLUP.measures) as ErrorCount[];
    },
  };
}
