import { describe, expect, it } from "vitest";
import { createRandom } from "@/lib/seed/random";
import { DURATION_BUCKETS, bandOf, durationBucket, formatBand, formatSeconds, percentileBucket } from "./durations";

/** PostgreSQL's percentile_disc: the smallest value with at least a share p of values at or below it. */
function percentileDisc(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1];
}

describe("duration bands", () => {
  it("are ordered, a second or at most a quarter of their length wide below a day, and reach the 14-day window", () => {
    for (let i = 1; i < DURATION_BUCKETS.length; i++) expect(DURATION_BUCKETS[i]).toBeGreaterThan(DURATION_BUCKETS[i - 1]);
    for (let i = 1; DURATION_BUCKETS[i] <= 86_400; i++) {
      expect(DURATION_BUCKETS[i] - DURATION_BUCKETS[i - 1]).toBeLessThanOrEqual(Math.max(1, 0.25 * DURATION_BUCKETS[i]));
    }
    expect(DURATION_BUCKETS[DURATION_BUCKETS.length - 1]).toBe(14 * 86_400);
  });

  it("put each duration in the band that covers it", () => {
    for (const seconds of [0, 1, 11, 12, 13, 59, 60, 61, 3599, 86_400, 200_000]) {
      const { fromSeconds, toSeconds } = bandOf(durationBucket(seconds));
      expect(seconds).toBeGreaterThanOrEqual(fromSeconds);
      expect(seconds).toBeLessThanOrEqual(toSeconds);
    }
  });

  it("give the band that holds the exact median and 90th percentile", () => {
    const rng = createRandom(7);
    for (let round = 0; round < 50; round++) {
      const values = Array.from({ length: rng.int(1, 300) }, () => Math.round(Math.exp(rng.next() * 9)));
      const counts = new Map<number, number>();
      for (const v of values) counts.set(durationBucket(v), (counts.get(durationBucket(v)) ?? 0) + 1);
      for (const p of [0.5, 0.9]) expect(percentileBucket(counts, p)).toBe(durationBucket(percentileDisc(values, p)));
    }
    expect(percentileBucket(new Map(), 0.5)).toBeNull();
  });

  it("read like a person would say them", () => {
    expect(formatSeconds(45)).toBe("45 s");
    expect(formatSeconds(150)).toBe("2 min 30 s");
    expect(formatSeconds(3900)).toBe("1 h 5 min");
    expect(formatSeconds(2 * 86_400)).toBe("2 d");
    expect(formatBand(durationBucket(20))).toBe("19 s–20 s");
    expect(formatBand(0)).toBe("0 s");
  });
});
