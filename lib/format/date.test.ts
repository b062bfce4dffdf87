import { describe, expect, it } from "vitest";
import { canonicalTimeZone, formatCalendarDate, formatDate, formatDateTime, formatDay, STORE_TIME_ZONE, timeZoneSchema, TIME_ZONES } from "./date";

describe("dates in the customer's time zone", () => {
  it("reads an instant on the customer's wall clock, naming the zone", () => {
    const at = new Date("2026-07-14T23:30:00Z");
    expect(formatDateTime(at, "America/New_York")).toBe("14 Jul 2026, 19:30 GMT-4");
    expect(formatDateTime(at, "Europe/London")).toBe("15 Jul 2026, 00:30 BST");
    expect(formatDateTime(at, "Asia/Kolkata")).toBe("15 Jul 2026, 05:00 GMT+5:30");
  });

  it("puts an instant on the customer's day, not UTC's", () => {
    const lateEvening = new Date("2026-01-10T02:00:00Z");
    expect(formatDate(lateEvening, "America/Los_Angeles")).toBe("9 Jan 2026");
    expect(formatDate(lateEvening, "UTC")).toBe("10 Jan 2026");
  });

  it("follows New York across the spring-forward jump (02:00 EST is 03:00 EDT)", () => {
    expect(formatDateTime(new Date("2026-03-08T06:59:00Z"), "America/New_York")).toBe("8 Mar 2026, 01:59 GMT-5");
    expect(formatDateTime(new Date("2026-03-08T07:00:00Z"), "America/New_York")).toBe("8 Mar 2026, 03:00 GMT-4");
  });

  it("tells apart the twice-lived hour of New York's fall-back by its offset", () => {
    expect(formatDateTime(new Date("2026-11-01T05:30:00Z"), "America/New_York")).toBe("1 Nov 2026, 01:30 GMT-4");
    expect(formatDateTime(new Date("2026-11-01T06:30:00Z"), "America/New_York")).toBe("1 Nov 2026, 01:30 GMT-5");
  });

  it("moves the day at London's midnight, in summer time as in winter", () => {
    // 23:30 UTC is already tomorrow in British Summer Time, still today in winter.
    expect(formatDate(new Date("2026-03-29T23:30:00Z"), "Europe/London")).toBe("30 Mar 2026");
    expect(formatDate(new Date("2026-03-28T23:30:00Z"), "Europe/London")).toBe("28 Mar 2026");
  });

  it("uses the store's zone until the customer's browser has told us theirs", () => {
    const at = new Date("2026-07-14T23:30:00Z");
    expect(formatDateTime(at, null)).toBe(formatDateTime(at, STORE_TIME_ZONE));
    expect(formatDateTime(at, undefined)).toBe("15 Jul 2026, 00:30 BST");
  });

  it("shows a calendar day as that day in every zone", () => {
    expect(formatCalendarDate({ year: 2026, month: 12, day: 31 })).toBe("31 Dec 2026");
  });

  it("shows a carrier's day (a date with no time) as that day, not the evening before", () => {
    expect(formatDay(new Date("2026-12-07"))).toBe("7 Dec 2026");
    // What formatDate would say of the same midnight to a customer in New York.
    expect(formatDate(new Date("2026-12-07"), "America/New_York")).toBe("6 Dec 2026");
  });
});

describe("the time zone a customer may keep", () => {
  it("accepts IANA zones from the list, as the platform spells them", () => {
    expect(TIME_ZONES).toContain("America/New_York");
    expect(TIME_ZONES).toContain("UTC");
    expect(timeZoneSchema.parse(" Europe/Paris ")).toBe("Europe/Paris");
    // Browsers and ICU disagree on some aliases: whichever is sent, the one stored is in the list.
    expect(TIME_ZONES).toContain(timeZoneSchema.parse("Asia/Kolkata"));
    expect(TIME_ZONES).toContain(timeZoneSchema.parse("Asia/Calcutta"));
  });

  it("refuses what names no zone in the list", () => {
    for (const value of ["", "+05:00", "Mars/Olympus_Mons", "Europe/London/../x", "a".repeat(80), "<script>"]) {
      expect(canonicalTimeZone(value)).toBeNull();
      expect(timeZoneSchema.safeParse(value).success).toBe(false);
    }
  });
});
