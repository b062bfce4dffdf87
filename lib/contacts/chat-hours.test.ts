import { describe, expect, it } from "vitest";
import { chatAvailability, chatAvailabilityText } from "./chat-hours";

describe("chatAvailability", () => {
  it("is open from 8:00 to 20:00 on the UK's clock, summer time included", () => {
    // 7 July: UK time is UTC+1.
    expect(chatAvailability(new Date("2026-07-07T06:59:00Z"))).toEqual({ open: false, opensAt: "8:00", opensToday: true });
    expect(chatAvailability(new Date("2026-07-07T07:00:00Z"))).toEqual({ open: true, closesAt: "20:00" });
    expect(chatAvailability(new Date("2026-07-07T18:59:00Z"))).toEqual({ open: true, closesAt: "20:00" });
    expect(chatAvailability(new Date("2026-07-07T19:00:00Z"))).toEqual({ open: false, opensAt: "8:00", opensToday: false });
    // 3 December: UK time is UTC.
    expect(chatAvailability(new Date("2026-12-03T07:30:00Z")).open).toBe(false);
    expect(chatAvailability(new Date("2026-12-03T08:00:00Z")).open).toBe(true);
    expect(chatAvailability(new Date("2026-12-03T19:59:00Z")).open).toBe(true);
  });

  it("says when a person will pick a chat up", () => {
    expect(chatAvailabilityText({ open: true, closesAt: "20:00" })).toBe("Open now, until 20:00 UK time.");
    expect(chatAvailabilityText(chatAvailability(new Date("2026-12-03T05:00:00Z")))).toContain("at 8:00 UK time this morning");
    expect(chatAvailabilityText(chatAvailability(new Date("2026-12-03T22:00:00Z")))).toContain("at 8:00 UK time tomorrow");
  });
});
