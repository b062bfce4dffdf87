// Time in the demo data: every date is relative to `now`, rounded to the second.

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const shift = (date: Date, ms: number) => new Date(date.getTime() + Math.round(ms / SECOND) * SECOND);
export const earliest = (a: Date, b: Date) => (a <= b ? a : b);
export const latest = (dates: Date[]) => new Date(Math.max(...dates.map((d) => d.getTime())));
