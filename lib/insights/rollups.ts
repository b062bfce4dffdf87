// The three daily rollup tables: their keys and measures, and the arithmetic shared by the refresh
// (old facts out, new facts in) and the raw-event reference (group any facts by any keys).
import type { AttemptsRollupRow, DurationsRollupRow, ErrorsRollupRow, RollupRows } from "./facts";

type ColumnType = "text" | "date" | "int" | "device" | "customer" | "outcome";

export type RollupSpec<Row> = {
  table: string;
  columns: Record<keyof Row & string, ColumnType>;
  keys: readonly (keyof Row & string)[];
  measures: readonly (keyof Row & string)[];
};

const scopeColumns = { journeyType: "text", day: "date", deviceClass: "device", customer: "customer" } as const;

export const ATTEMPTS_ROLLUP: RollupSpec<AttemptsRollupRow> = {
  table: "InsightsDailyAttempts",
  columns: { ...scopeColumns, level: "int", outcome: "outcome", exitChannel: "text", attempts: "int", followedUp: "int", resolved: "int", contacts: "int" },
  keys: ["journeyType", "day", "deviceClass", "customer", "level", "outcome", "exitChannel"],
  measures: ["attempts", "followedUp", "resolved", "contacts"],
};

export const DURATIONS_ROLLUP: RollupSpec<DurationsRollupRow> = {
  table: "InsightsDailyDurations",
  columns: { ...scopeColumns, segment: "int", bucket: "int", attempts: "int" },
  keys: ["journeyType", "day", "deviceClass", "customer", "segment", "bucket"],
  measures: ["attempts"],
};

export const ERRORS_ROLLUP: RollupSpec<ErrorsRollupRow> = {
  table: "InsightsDailyErrors",
  columns: { ...scopeColumns, step: "text", errorCode: "text", outcome: "outcome", exitChannel: "text", events: "int", attempts: "int" },
  keys: ["journeyType", "day", "deviceClass", "customer", "step", "errorCode", "outcome", "exitChannel"],
  measures: ["events", "attempts"],
};

export const SQL_TYPES: Record<ColumnType, string> = {
  text: "text",
  date: "date",
  int: "int",
  device: `"DeviceClass"`,
  customer: `"InsightsCustomer"`,
  outcome: `"JourneyOutcome"`,
};

/**
 * Adds rows up by `keys` (any subset of a row's fields), each multiplied by its `sign`; drops
 * groups whose measures all come to zero. The result's rows hold only the keys and the measures.
 */
export function sumBy<Row extends object, K extends keyof Row, M extends keyof Row>(
  rows: Iterable<{ row: Row; sign: number }>,
  keys: readonly K[],
  measures: readonly M[],
): Array<Pick<Row, K | M>> {
  const groups = new Map<string, Pick<Row, K | M>>();
  for (const { row, sign } of rows) {
    const id = JSON.stringify(keys.map((k) => row[k]));
    let group = groups.get(id);
    if (!group) {
      group = {} as Pick<Row, K | M>;
      for (const k of keys) group[k] = row[k];
      for (const m of measures) (group[m] as number) = 0;
      groups.set(id, group);
    }
    for (const m of measures) (group[m] as number) += sign * (row[m] as number);
  }
  return [...groups.values()].filter((g) => measures.some((m) => (g[m] as number) !== 0));
}

/** What the rollups must change by when attempts' facts go from `before` to `after`. */
export function rollupDelta(before: RollupRows[], after: RollupRows[]): RollupRows {
  const signed = <Row>(pick: (r: RollupRows) => Row[]) => [
    ...before.flatMap((r) => pick(r).map((row) => ({ row, sign: -1 }))),
    ...after.flatMap((r) => pick(r).map((row) => ({ row, sign: 1 }))),
  ];
  return {
    attempts: sumBy(signed((r) => r.attempts), ATTEMPTS_ROLLUP.keys, ATTEMPTS_ROLLUP.measures),
    durations: sumBy(signed((r) => r.durations), DURATIONS_ROLLUP.keys, DURATIONS_ROLLUP.measures),
    errors: sumBy(signed((r) => r.errors), ERRORS_ROLLUP.keys, ERRORS_ROLLUP.measures),
  };
}
