// Dates and times as the customer reads them: in the time zone on their profile (saved from their
// browser the first time they visit, editable on the profile page). Every page and message that
// shows an instant formats it here, so no page says "UTC" to a customer in New York.
import { z } from "zod";
import type { CalendarDate } from "@/lib/time/zoned-time";

/** Where the store is, and so the zone used until a customer's browser has told us theirs. */
export const STORE_TIME_ZONE = "Europe/London";

const LOCALE = "en-GB";
// An IANA name (Area/Location, or UTC); Intl also takes offsets like "+05:00", which name no place.
const IANA_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/** The zones a customer may choose: the platform's IANA list (which leaves UTC out). */
export const TIME_ZONES: readonly string[] = [...new Set([...Intl.supportedValuesOf("timeZone"), "UTC"])].sort();
const KNOWN = new Set(TIME_ZONES);

/**
 * The zone's name as this platform spells it (browsers and ICU differ on aliases such as
 * Asia/Kolkata and Asia/Calcutta), or null when it is not an IANA zone in the list.
 */
export function canonicalTimeZone(value: string): string | null {
  if (value.length > 64 || !IANA_SHAPE.test(value)) return null;
  try {
    const canonical = new Intl.DateTimeFormat(LOCALE, { timeZone: value }).resolvedOptions().timeZone;
    return KNOWN.has(canonical) ? canonical : null;
  } catch {
    return null;
  }
}

export const timeZoneSchema = z
  .string()
  .trim()
  .transform((value, ctx) => canonicalTimeZone(value) ?? (ctx.addIssue({ code: "custom", message: "Choose a time zone from the list." }), z.NEVER));

/** "Europe/Isle_of_Man" reads "Europe/Isle of Man" in a list. */
export const timeZoneLabel = (zone: string) => zone.replaceAll("_", " ");

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(kind: "date" | "dateTime", timeZone: string): Intl.DateTimeFormat {
  const key = `${kind}|${timeZone}`;
  let found = formatters.get(key);
  if (!found) {
    const time = kind === "dateTime" ? ({ hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" } as const) : {};
    found = new Intl.DateTimeFormat(LOCALE, { day: "numeric", month: "short", year: "numeric", timeZone, ...time });
    formatters.set(key, found);
  }
  return found;
}

/** The customer's zone, or the store's while their browser has not told us theirs. */
const zoneOf = (timeZone: string | null | undefined) => timeZone ?? STORE_TIME_ZONE;

/** The day an instant falls on where the customer is: "8 Mar 2026". */
export function formatDate(at: Date, timeZone: string | null | undefined): string {
  return formatter("date", zoneOf(timeZone)).format(at);
}

/** An instant with its time and the zone it is read in: "8 Mar 2026, 03:30 GMT-4". */
export function formatDateTime(at: Date, timeZone: string | null | undefined): string {
  return formatter("dateTime", zoneOf(timeZone)).format(at);
}

/**
 * A day with no time of day, held as its midnight in UTC (a DATE column, a carrier's "2026-12-07"):
 * that same day wherever it is read, never the day before west of London.
 */
export function formatDay(day: Date): string {
  return formatDate(day, "UTC");
}

/** A calendar day that is the same wherever it is read (a return window's last day, already fixed in the policy's zone). */
export function formatCalendarDate(day: CalendarDate): string {
  return formatDay(new Date(Date.UTC(day.year, day.month - 1, day.day)));
}
