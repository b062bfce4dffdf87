// Calendar days and wall clocks in a time zone, with the platform's Intl data only (no date
// library): which day an instant falls on somewhere, and the instant that day ends there, daylight
// saving included. Used by the return policy, the date formats and the chat hours alike.

export type CalendarDate = { year: number; month: number; day: number };

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    partsFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's wall clock at this instant (24-hour). */
export function wallClock(at: Date, timeZone: string) {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(at).filter((p) => p.type !== "literal").map((p) => [p.type, Number(p.value)]));
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

export function localCalendarDate(at: Date, timeZone: string): CalendarDate {
  const { year, month, day } = wallClock(at, timeZone);
  return { year, month, day };
}

export function addCalendarDays(date: CalendarDate, days: number): CalendarDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** How far the zone's wall clock is ahead of UTC at this instant, in milliseconds. */
function offsetMs(at: Date, timeZone: string): number {
  const w = wallClock(at, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant a calendar day starts in a zone (midnight local time, or the first instant after it on a DST jump). */
export function startOfLocalDay(date: CalendarDate, timeZone: string): Date {
  const midnightAsUtc = Date.UTC(date.year, date.month - 1, date.day);
  // Two passes settle the offset even when midnight sits next to a daylight-saving change.
  let guess = midnightAsUtc - offsetMs(new Date(midnightAsUtc), timeZone);
  guess = midnightAsUtc - offsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

/** The first instant after the calendar day, in a zone: a window "until the end of that day" closes then. */
export function endOfLocalDay(date: CalendarDate, timeZone: string): Date {
  return startOfLocalDay(addCalendarDays(date, 1), timeZone);
}
