import { describe, expect, it } from "vitest";
import { JOURNEY_TYPES, JOURNEYS } from "./journeys";
import { endingLabel, journeyLabel, STEP_LABELS, stepLabel } from "./labels";

describe("the trail in words", () => {
  it("names every declared step in words, never its code", () => {
    for (const type of JOURNEY_TYPES) {
      for (const step of JOURNEYS[type].steps) {
        const label = stepLabel(type, step);
        expect(label, `${type}.${step}`).toMatch(/^[A-Z][a-z]/);
        expect(label, `${type}.${step}`).not.toMatch(/_/);
      }
      expect(Object.keys(STEP_LABELS[type]).sort(), type).toEqual([...JOURNEYS[type].steps].sort());
    }
    expect(stepLabel("payment_method", "hosted_page")).toBe("Card details on Stripe’s page");
    expect(stepLabel("password_change", "saved")).toBe("Saving the new password");
  });

  it("reads a task or step no longer declared (old trail rows) as words", () => {
    expect(journeyLabel("return")).toBe("Start a return");
    expect(journeyLabel("gift_card_redeem")).toBe("Gift card redeem");
    expect(stepLabel("gift_card_redeem", "code_entry")).toBe("Code entry");
    expect(stepLabel("return", "old_step")).toBe("Old step");
  });

  it("says how an attempt ended in words", () => {
    expect(endingLabel("IN_PROGRESS", null)).toBe("In progress");
    expect(endingLabel("EXITED", "HELP_CENTRE")).toBe("Exited to help centre");
    expect(endingLabel("EXITED", "PERSON", "Order page")).toBe("Exited to talk to a person at Order page");
  });
});
