// The analyst pages' filters, read from the query string (so every view is a link that can be
// shared or exported) and written back into links. Bad values are ignored with a note, never an error.
import { z } from "zod";
import { JOURNEY_TYPES, type JourneyType } from "@/lib/trail/journeys";
import type { DeviceClassValue } from "@/lib/trail/store";
import type { CustomerClass } from "./facts";

export const DEVICE_CLASSES = ["MOBILE", "TABLET", "DESKTOP"] as const satisfies readonly DeviceClassValue[];
export const CUSTOMER_CLASSES = ["NEW", "RETURNING", "SIGNED_OUT"] as const satisfies readonly CustomerClass[];

export const DEVICE_LABELS: Record<DeviceClassValue, string> = { MOBILE: "Mobile", TABLET: "Tablet", DESKTOP: "Desktop" };
export const CUSTOMER_LABELS: Record<CustomerClass, string> = { NEW: "New customers", RETURNING: "Returning customers", SIGNED_OUT: "Not signed in" };

export const DEFAULT_RANGE_DAYS = 28;
export const MAX_RANGE_DAYS = 366;

export type Granularity = "day" | "week";

/** Dates are whole UTC days, both ends included. */
export type InsightsFilter = {
  from: string;
  to: string;
  device: DeviceClassValue | null;
  customer: CustomerClass | null;
  journeyType: JourneyType | null;
};

export type SearchParams = Record<string, string | string[] | undefined>;

const isoDay = z.iso.date();
const journeyType = z.enum(JOURNEY_TYPES as [JourneyType, ...JourneyType[]]);

export function first(params: SearchParams, name: string): string | undefined {
  const value = params[name];
  const one = Array.isArray(value) ? value[0] : value;
  return one === undefined || one === "" ? undefined : one;
}

const DAY_MS = 86_400_000;
export const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
export const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
/** The filter's days as instants: from its first day's midnight (UTC) up to, not including, the midnight after its last. */
export const filterInstants = (filter: Pick<InsightsFilter, "from" | "to">) => ({ from: new Date(`${filter.from}T00:00:00Z`), until: new Date(`${addDays(filter.to, 1)}T00:00:00Z`) });

export type ParsedFilter = { filter: InsightsFilter; granularity: Granularity; problems: string[] };

export function parseInsightsFilter(params: SearchParams, today: Date = new Date()): ParsedFilter {
  const problems: string[] = [];
  const read = <T>(name: string, schema: z.ZodType<T>, what: string): T | null => {
    const raw = first(params, name);
    if (raw === undefined || raw === "ALL") return null;
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    problems.push(`"${raw}" is not ${what}, so it was ignored.`);
    return null;
  };
  const todayDay = today.toISOString().slice(0, 10);
  let to = read("to", isoDay, "a date (YYYY-MM-DD)") ?? todayDay;
  let from = read("from", isoDay, "a date (YYYY-MM-DD)") ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  if (from > to) {
    [from, to] = [to, from];
    problems.push("The start date was after the end date: the two were swapped.");
  }
  if (daysBetween(from, to) >= MAX_RANGE_DAYS) {
    from = addDays(to, -(MAX_RANGE_DAYS - 1));
    problems.push(`Ranges are at most ${MAX_RANGE_DAYS} days: the range now starts on ${from}.`);
  }
  const filter: InsightsFilter = {
    from,
    to,
    device: read("device", z.enum(DEVICE_CLASSES), "a device class"),
    customer: read("customer", z.enum(CUSTOMER_CLASSES), "a kind of customer"),
    journeyType: read("journey", journeyType, "a journey"),
  };
  const every = read("every", z.enum(["day", "week"]), "day or week");
  return { filter, granularity: every ?? (daysBetween(from, to) > 62 ? "week" : "day"), problems };
}

/** The query string that reproduces a filter (plus extra parameters), for links and exports. */
export function filterQuery(filter: InsightsFilter, extra: Record<string, string | number | null | undefined> = {}): string {
  const params = new URLSearchParams({ from: filter.from, to: filter.to });
  if (filter.device) params.set("device", filter.device);
  if (filter.customer) params.set("customer", filter.customer);
  if (filter.journeyType) params.set("journey", filter.journeyType);
  for (const [key, value] of Object.entries(extra)) if (value !== null && value !== undefined && value !== "") params.set(key, String(value));
  return params.toString();
}
