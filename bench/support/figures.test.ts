import { describe, expect, it } from "vitest";
import { formatTable, judge, median, overheadPercent, pairedOverheadPercent } from "./figures";

describe("median", () => {
  it("takes the middle value, or the mean of the two middle ones", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe("judge", () => {
  it("passes a budget over the baseline only within the allowance, on every page", () => {
    const row = judge({ figure: "compressed JS", unit: "kB", waymark: [160, 176], bare: 137, goal: { kind: "atMostPlus", delta: 40 } });
    expect(row).toMatchObject({ waymark: "160–176 kB", bare: "137 kB", ratio: "+23–+39 kB", verdict: "PASS" });
    expect(judge({ figure: "compressed JS", unit: "kB", waymark: [160, 178], bare: 137, goal: { kind: "atMostPlus", delta: 40 } }).verdict).toBe("FAIL");
  });

  it("compares throughput as a ratio of the baseline, with an absolute floor when given", () => {
    expect(judge({ figure: "req/s", unit: "req/s", waymark: 150, bare: 300, goal: { kind: "ratioAtLeast", limit: 0.5 } })).toMatchObject({ ratio: "0.50×", verdict: "PASS" });
    expect(judge({ figure: "req/s", unit: "req/s", waymark: 62, bare: 301, goal: { kind: "ratioAtLeast", limit: 0.5 } })).toMatchObject({ ratio: "0.21×", verdict: "FAIL" });
    // 30 % of COPY but under 10k events/s
    expect(judge({ figure: "ingest", unit: "events/s", waymark: 9_000, bare: 30_000, goal: { kind: "ratioAtLeast", limit: 0.25, floor: 10_000 } }).verdict).toBe("FAIL");
  });

  it("holds LCP to a ratio, requests to a count and overhead to a percentage", () => {
    expect(judge({ figure: "LCP", unit: "s", waymark: [1.8, 1.9], bare: 1.6, goal: { kind: "ratioAtMost", limit: 1.15 } }).verdict).toBe("FAIL");
    expect(judge({ figure: "requests", unit: "", waymark: [9, 12], bare: 7, goal: { kind: "atMost", limit: 12 } })).toMatchObject({ waymark: "9–12", verdict: "PASS" });
    expect(judge({ figure: "overhead", unit: "", waymark: 4.96, bare: null, goal: { kind: "overheadAtMost", limit: 5 } })).toMatchObject({ waymark: "+5.0 %", verdict: "PASS" });
  });

  it("fails a figure that could not be measured instead of passing it", () => {
    expect(judge({ figure: "LCP", unit: "s", waymark: [Number.NaN], bare: 1.6, goal: { kind: "ratioAtMost", limit: 1.15 } })).toMatchObject({ waymark: "n/a", verdict: "FAIL" });
  });
});

describe("overheadPercent", () => {
  it("is the median with the trail over the median without, in percent", () => {
    expect(overheadPercent([10.5, 10.4, 11], [10, 9, 10.1])).toBeCloseTo(5, 5);
  });

  it("has a paired form: the median of each pair's difference over the median without", () => {
    // The first pair's 1 ms moves the medians' ratio to 10 %; the pairs' median difference is 0.5 ms.
    expect(overheadPercent([11, 10.3, 12.5], [10, 10, 12])).toBeCloseTo(10, 5);
    expect(pairedOverheadPercent([11, 10.3, 12.5], [10, 10, 12])).toBeCloseTo(5, 5);
  });
});

describe("formatTable", () => {
  it("prints one aligned Markdown table with a header row", () => {
    const table = formatTable([judge({ figure: "req/s, /signin", unit: "req/s", waymark: 274, bare: 1249, goal: { kind: "ratioAtLeast", limit: 0.5 } })]);
    const lines = table.split("\n");
    expect(lines[0]).toMatch(/^\| figure +\| Waymark +\| bare Next.js \| ratio +\| goal +\| PASS\/FAIL \|$/);
    expect(lines[2]).toMatch(/^\| req\/s, \/signin \| 274 req\/s \| 1,249 req\/s +\| 0\.22× \| ≥ 0\.5× \| FAIL +\|$/);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });
});
