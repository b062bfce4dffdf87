import { describe, expect, it } from "vitest";
import { FUNNEL_CONVERSION_WINDOW_DAYS, JOURNEY_TYPES, JOURNEYS, funnelEvents, parseEventName } from "@/lib/trail/journeys";
import { funnelInsightDefinitions } from "@/lib/trail/posthog-funnels";
import { FUNNEL_WINDOW_MS, funnelLength, funnelPosition, orderedFunnel } from "./funnel";

const S = 1000;
const DAY = 86_400 * S;
// order_cancellation: 1 detail viewed, 2 lines viewed, 3 confirmation viewed, 4 confirmation completed.
const detail = (at: number) => ({ position: 1, at });
const lines = (at: number) => ({ position: 2, at });
const confirmation = (at: number) => ({ position: 3, at });
const completed = (at: number) => ({ position: 4, at });

describe("the ordered funnel, counted per attempt", () => {
  it("follows the steps in order to completion, with the time each was reached", () => {
    expect(orderedFunnel([detail(0), lines(20 * S), confirmation(50 * S), completed(60 * S)], 4)).toEqual({ level: 4, timings: [0, 20 * S, 50 * S, 60 * S] });
  });

  it("counts a repeated step once, and a repeated first step restarts the clock", () => {
    // Viewing the first step again starts a fresh chain (as PostHog does), so the step took 7 s, not 12 s.
    expect(orderedFunnel([detail(0), detail(5 * S), lines(12 * S), lines(30 * S)], 4)).toEqual({ level: 2, timings: [5 * S, 12 * S] });
  });

  it("does not advance on a step seen out of order", () => {
    expect(orderedFunnel([detail(0), confirmation(10 * S), lines(25 * S)], 4).level).toBe(2);
    // Only a confirmation seen after the lines counts.
    expect(orderedFunnel([detail(0), confirmation(10 * S), lines(25 * S), confirmation(40 * S)], 4).level).toBe(3);
  });

  it("ignores attempts that never viewed the first step", () => {
    expect(orderedFunnel([lines(0), confirmation(S), completed(2 * S)], 4)).toEqual({ level: 0, timings: [] });
  });

  it("counts steps up to the window after the first step, included, and not one millisecond later", () => {
    expect(orderedFunnel([detail(0), lines(FUNNEL_WINDOW_MS)], 4).level).toBe(2);
    expect(orderedFunnel([detail(0), lines(FUNNEL_WINDOW_MS + 1)], 4).level).toBe(1);
    expect(FUNNEL_WINDOW_MS).toBe(FUNNEL_CONVERSION_WINDOW_DAYS * DAY);
  });

  it("lets a later first step open a fresh window", () => {
    expect(orderedFunnel([detail(0), detail(10 * DAY), lines(15 * DAY)], 4)).toEqual({ level: 2, timings: [10 * DAY, 15 * DAY] });
  });

  it("keeps the timings of the first chain that got furthest", () => {
    // The second chain catches up at lines, then goes further: its timings are the ones reported.
    expect(orderedFunnel([detail(0), lines(S), detail(2 * S), lines(3 * S), confirmation(4 * S)], 4)).toEqual({ level: 3, timings: [2 * S, 3 * S, 4 * S] });
  });

  it("counts events at the same moment in funnel order, whatever order they arrive in", () => {
    expect(orderedFunnel([lines(0), detail(0), confirmation(0)], 4)).toEqual({ level: 3, timings: [0, 0, 0] });
  });
});

describe("funnel positions", () => {
  it("are exactly the funnel events pushed to PostHog, in order, with the same window and the attempt as the unit", () => {
    const byDevice = funnelInsightDefinitions().filter((d) => d.purpose === "drop-off by device");
    expect(byDevice.map((d) => d.journey)).toEqual(JOURNEY_TYPES);
    for (const definition of byDevice) {
      const type = definition.journey;
      const { series, funnelsFilter } = definition.query.source;
      expect(series.map((s) => s.event)).toEqual(funnelEvents(type));
      expect(funnelsFilter).toMatchObject({ funnelOrderType: "ordered", funnelWindowInterval: FUNNEL_CONVERSION_WINDOW_DAYS, funnelWindowIntervalUnit: "day", funnelAggregateByHogQL: "properties.journey_id" });
      // Each PostHog step event maps to the same position here.
      series.forEach((s, index) => {
        const parsed = parseEventName(s.event);
        if (parsed?.kind !== "step") throw new Error(`${s.event} is not a step event`);
        const kind = parsed.action === "viewed" ? "VIEWED" : "COMPLETED";
        expect(funnelPosition(type, parsed.step, kind)).toBe(index + 1);
      });
      expect(funnelLength(type)).toBe(series.length);
    }
  });

  it("ignore errors, exits, abandonments and the completion of steps before the last", () => {
    const steps = JOURNEYS.return.steps;
    expect(funnelPosition("return", steps[1], "ERROR")).toBe(0);
    expect(funnelPosition("return", steps[1], "EXITED")).toBe(0);
    expect(funnelPosition("return", steps[1], "ABANDONED")).toBe(0);
    expect(funnelPosition("return", steps[1], "COMPLETED")).toBe(0);
    expect(funnelPosition("return", "no_such_step", "VIEWED")).toBe(0);
  });
});
