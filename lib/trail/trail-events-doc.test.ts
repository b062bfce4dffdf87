// docs/trail-events.md is generated; this fails whenever it no longer matches the declarations.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TRAIL_EVENTS_DOC_PATH, renderTrailEventsDoc } from "../../scripts/trail-events-doc";
import { FUNNEL_CONVERSION_WINDOW_DAYS, JOURNEYS, JOURNEY_TYPES, abandonEventName, exitEventName, funnelEvents, stepEventName } from "./journeys";
import { PAGE_SUBJECT_KEYS } from "./page-subject";

describe("docs/trail-events.md", () => {
  const rendered = renderTrailEventsDoc();

  it("is up to date with the journey declarations (run `npm run docs:trail` to regenerate)", () => {
    expect(readFileSync(TRAIL_EVENTS_DOC_PATH, "utf8")).toBe(rendered);
  });

  it("lists every event of every journey, steps in declared order", () => {
    for (const type of JOURNEY_TYPES) {
      const section = rendered.slice(rendered.indexOf(`(\`${type}\`)`));
      const steps = JOURNEYS[type].steps as readonly string[];
      const events = [...steps.flatMap((step) => (["viewed", "completed", "failed"] as const).map((action) => stepEventName(type, step, action))), exitEventName(type), abandonEventName(type)];
      const positions = events.map((event) => section.indexOf(`| \`${event}\` |`));
      expect(positions.every((position) => position >= 0)).toBe(true);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
  });

  it("states each journey's funnel steps in order and the conversion window", () => {
    for (const type of JOURNEY_TYPES) {
      expect(rendered).toContain(funnelEvents(type).map((event) => `\`${event}\``).join(" → "));
    }
    expect(rendered).toContain(`conversion window ${FUNNEL_CONVERSION_WINDOW_DAYS} days`);
  });

  it("lists the order and return numbers read from a page's address as kept in the portal only, never among the properties PostHog is sent", () => {
    const [sentToPostHog, keptInPortal] = rendered.slice(rendered.indexOf("## Properties"), rendered.indexOf("## Funnels")).split("### Kept in the portal only");
    expect(keptInPortal).toContain("never forwarded to PostHog");
    expect(keptInPortal).toContain("taken off the trail when the account is deleted");
    for (const key of PAGE_SUBJECT_KEYS) {
      expect(keptInPortal).toContain(`| \`${key}\` |`);
      expect(sentToPostHog).not.toContain(`\`${key}\``);
    }
  });
});
