// The pure half of `npm run bench`: medians, each figure's goal and verdict, and the one table it
// prints. No I/O here, so the rules that decide PASS/FAIL are unit-tested (figures.test.ts).

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * What a figure must meet, against the baseline measured in the same run where there is one:
 *   atMostPlus    waymark ≤ bare + delta            (kB of JS, ms of blocking time)
 *   atMost        waymark ≤ limit                   (requests per page)
 *   ratioAtMost   waymark / bare ≤ limit            (LCP)
 *   ratioAtLeast  waymark / bare ≥ limit, and waymark ≥ floor when given (req/s, ingest vs COPY)
 *   overheadAtMost  waymark is an overhead in %, ≤ limit (trail on vs off)
 */
export type Goal =
  | { kind: "atMostPlus"; delta: number }
  | { kind: "atMost"; limit: number }
  | { kind: "ratioAtMost"; limit: number }
  | { kind: "ratioAtLeast"; limit: number; floor?: number }
  | { kind: "overheadAtMost"; limit: number };

/**
 * One row of the table. `waymark` may hold one value per page (the signed-in pages): the row shows
 * their range and passes only when every page does; `bare` is the baseline of the same run, or null.
 */
export type Figure = { figure: string; unit: string; waymark: number | number[]; bare: number | null; goal: Goal };

export type Row = { figure: string; waymark: string; bare: string; ratio: string; goal: string; verdict: "PASS" | "FAIL" };

function meets(value: number, bare: number | null, goal: Goal): boolean {
  switch (goal.kind) {
    case "atMostPlus":
      return bare !== null && value <= bare + goal.delta;
    case "atMost":
      return value <= goal.limit;
    case "ratioAtMost":
      return bare !== null && bare > 0 && value / bare <= goal.limit;
    case "ratioAtLeast":
      return bare !== null && bare > 0 && value / bare >= goal.limit && value >= (goal.floor ?? 0);
    case "overheadAtMost":
      return value <= goal.limit;
  }
}

const number = (value: number, unit: string) => {
  const digits = Math.abs(value) >= 100 || Number.isInteger(value) ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits })}${unit ? ` ${unit}` : ""}`;
};

function range(values: number[], format: (value: number) => string): string {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? format(low) : `${format(low).replace(/ \S+$/, "")}–${format(high)}`;
}

function goalText(goal: Goal, unit: string): string {
  switch (goal.kind) {
    case "atMostPlus":
      return `≤ bare + ${number(goal.delta, unit)}`;
    case "atMost":
      return `≤ ${number(goal.limit, unit)}`;
    case "ratioAtMost":
      return `≤ ${goal.limit}×`;
    case "ratioAtLeast":
      return `≥ ${goal.limit}×${goal.floor ? ` and ≥ ${number(goal.floor, unit)}` : ""}`;
    case "overheadAtMost":
      return `≤ ${goal.limit} %`;
  }
}

function ratioText(values: number[], bare: number | null, goal: Goal, unit: string): string {
  if (bare === null || goal.kind === "atMost" || goal.kind === "overheadAtMost") return "";
  if (goal.kind === "atMostPlus") return range(values.map((v) => v - bare), (d) => `${d >= 0 ? "+" : ""}${number(d, unit)}`);
  return range(values.map((v) => v / bare), (r) => `${r.toFixed(2)}×`);
}

export function judge(figure: Figure): Row {
  const values = Array.isArray(figure.waymark) ? figure.waymark : [figure.waymark];
  const unit = figure.unit;
  const valid = values.length > 0 && values.every(Number.isFinite);
  const shown = figure.goal.kind === "overheadAtMost" ? (v: number) => `${v >= 0 ? "+" : ""}${v.toFixed(1)} %` : (v: number) => number(v, unit);
  return {
    figure: figure.figure,
    waymark: valid ? range(values, shown) : "n/a",
    bare: figure.bare === null ? "" : number(figure.bare, unit),
    ratio: valid ? ratioText(values, figure.bare, figure.goal, unit) : "",
    goal: goalText(figure.goal, unit),
    verdict: valid && values.every((v) => meets(v, figure.bare, figure.goal)) ? "PASS" : "FAIL",
  };
}

const COLUMNS: [keyof Row, string][] = [
  ["figure", "figure"],
  ["waymark", "Waymark"],
  ["bare", "bare Next.js"],
  ["ratio", "ratio"],
  ["goal", "goal"],
  ["verdict", "PASS/FAIL"],
];

/** A Markdown table (readable in a terminal, pasted as is into the README). */
export function formatTable(rows: Row[]): string {
  const widths = COLUMNS.map(([key, title]) => Math.max(title.length, ...rows.map((row) => row[key].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(" | ")} |`;
  return [line(COLUMNS.map(([, title]) => title)), line(widths.map((w) => "-".repeat(w))), ...rows.map((row) => line(COLUMNS.map(([key]) => row[key])))].join("\n");
}

/** Overhead of `on` over `off` in %, from interleaved samples of each. */
export function overheadPercent(on: number[], off: number[]): number {
  return (median(on) / median(off) - 1) * 100;
}

/**
 * The same from the pairs' own differences (`on[i]` was measured right before `off[i]`): the median
 * of on − off over the median without. Printed beside overheadPercent, not instead of it: on a
 * machine whose load drifts within a run, a pair's two runs share the drift that separates the
 * two medians' samples, so this one moves less from run to run.
 */
export function pairedOverheadPercent(on: number[], off: number[]): number {
  return (median(on.map((value, i) => value - off[i])) / median(off)) * 100;
}
