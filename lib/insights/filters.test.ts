import { describe, expect, it } from "vitest";
import { MAX_RANGE_DAYS, filterInstants, filterQuery, parseInsightsFilter } from "./filters";

const today = new Date("2026-11-25T15:00:00Z");

describe("the analyst pages' filters", () => {
  it("default to the last 28 days, every device and customer, per day", () => {
    expect(parseInsightsFilter({}, today)).toEqual({
      filter: { from: "2026-10-29", to: "2026-11-25", device: null, customer: null, journeyType: null },
      granularity: "day",
      problems: [],
    });
  });

  it("read a shared link back into the same filter", () => {
    const { filter } = parseInsightsFilter({ from: "2026-09-01", to: "2026-09-30", device: "MOBILE", customer: "NEW", journey: "return" }, today);
    expect(parseInsightsFilter(Object.fromEntries(new URLSearchParams(filterQuery(filter))), today).filter).toEqual(filter);
  });

  it("ignore what they cannot read, and say so, instead of failing", () => {
    const { filter, problems } = parseInsightsFilter({ from: "yesterday", device: "FRIDGE", journey: "teleport" }, today);
    expect(filter).toMatchObject({ from: "2026-10-29", device: null, journeyType: null });
    expect(problems).toHaveLength(3);
  });

  it("swap a range given backwards, cap a long one, and show long ranges per week", () => {
    expect(parseInsightsFilter({ from: "2026-11-20", to: "2026-11-01" }, today).filter).toMatchObject({ from: "2026-11-01", to: "2026-11-20" });
    const long = parseInsightsFilter({ from: "2020-01-01", to: "2026-11-25" }, today);
    expect(long.filter.from).toBe("2025-11-25");
    expect(MAX_RANGE_DAYS).toBe(366);
    expect(long.granularity).toBe("week");
    expect(parseInsightsFilter({ from: "2020-01-01", every: "day" }, today).granularity).toBe("day");
  });
});

describe("a filter's days as instants", () => {
  it("reaches up to the midnight after its last day, across a month's end", () => {
    const { from, until } = filterInstants({ from: "2026-11-28", to: "2026-11-30" });
    expect(from.toISOString()).toBe("2026-11-28T00:00:00.000Z");
    expect(until.toISOString()).toBe("2026-12-01T00:00:00.000Z");
  });
});
