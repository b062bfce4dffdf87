// Shares read as percentages to one decimal place, alike on the insights pages, their charts and
// their CSV downloads: a share of 0.8947 is 89.5 % everywhere.

/** A share in [0, 1], or a difference of shares, in percent (points) to one decimal place: 0.89473 is 89.5. */
export function percentage(share: number): number {
  return Math.round(share * 1000) / 10;
}

/** A share as people read it, "89.5%"; "–" when there is none. */
export function formatPercent(share: number | null | undefined): string {
  return share === null || share === undefined ? "–" : `${percentage(share)}%`;
}
