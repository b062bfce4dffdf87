// Time to complete, kept as histograms so that daily rollups can be added up over any date range
// and still give a median and a 90th percentile. Each duration falls in a band of DURATION_BUCKETS
// (about 10% wide); a percentile is reported as the band that holds the exact percentile
// (PostgreSQL's percentile_disc over the raw durations falls in the same band). Framework-free.

/** Upper ends (inclusive) of the bands, in whole seconds; the last covers the conversion window. */
export const DURATION_BUCKETS: readonly number[] = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 18, 20, 25, 30, 35, 40, 45, 50, 55, 60,
  70, 80, 90, 100, 110, 120, 135, 150, 165, 180, 210, 240, 270, 300, 330, 360, 420, 480, 540, 600,
  660, 720, 840, 960, 1080, 1200, 1350, 1500, 1800, 2100, 2400, 2700, 3000, 3300, 3600,
  4500, 5400, 6300, 7200, 9000, 10800, 12600, 14400, 18000, 21600, 25200, 28800, 36000, 43200, 50400, 57600, 64800, 72000, 79200, 86400,
  ...Array.from({ length: 13 }, (_, i) => (i + 2) * 86400),
];

export function durationBucket(seconds: number): number {
  const index = DURATION_BUCKETS.findIndex((upper) => seconds <= upper);
  return index === -1 ? DURATION_BUCKETS.length - 1 : index;
}

export type DurationBand = { fromSeconds: number; toSeconds: number };

export function bandOf(bucket: number): DurationBand {
  return { fromSeconds: bucket === 0 ? 0 : DURATION_BUCKETS[bucket - 1] + 1, toSeconds: DURATION_BUCKETS[bucket] };
}

/**
 * The band holding the p-th percentile (percentile_disc: the smallest duration with at least a
 * share p of durations at or below it), from counts per bucket; null when nothing was measured.
 */
export function percentileBucket(counts: ReadonlyMap<number, number>, p: number): number | null {
  const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const bucket of [...counts.keys()].sort((a, b) => a - b)) {
    seen += counts.get(bucket) ?? 0;
    if (seen >= rank) return bucket;
  }
  return null;
}

/** "45 s", "2 min 30 s", "1 h 5 min", "3 d 4 h": short and exact to the unit shown. */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return join(Math.floor(seconds / 60), "min", seconds % 60, "s");
  if (seconds < 86400) return join(Math.floor(seconds / 3600), "h", Math.floor((seconds % 3600) / 60), "min");
  return join(Math.floor(seconds / 86400), "d", Math.floor((seconds % 86400) / 3600), "h");
}

function join(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor ? `${major} ${majorUnit} ${minor} ${minorUnit}` : `${major} ${majorUnit}`;
}

export function formatBand(bucket: number): string {
  const { fromSeconds, toSeconds } = bandOf(bucket);
  return fromSeconds === toSeconds ? formatSeconds(toSeconds) : `${formatSeconds(fromSeconds)}–${formatSeconds(toSeconds)}`;
}
