import { describe, expect, it } from "vitest";
import { leftTaskWords } from "./linked-words";

const endedAt = new Date("2026-12-06T18:49:00Z");
const left = (exitChannel: Parameters<typeof leftTaskWords>[0]["exitChannel"]) => ({ type: "return", lastStep: "items", exitChannel, endedAt });

describe("a logged contact's task, in the agent's words", () => {
  it("says where the customer went as a sentence goes on, never the channel's button label", () => {
    // It read 'left “Start a return” at step “Choosing the items” for talk to a person'.
    expect(leftTaskWords(left("PERSON"), new Date("2026-12-06T19:15:00Z"))).toBe("the customer left “Start a return” at step “Choosing the items” to talk to a person 26 minutes before this contact");
    expect(leftTaskWords(left("PHONE"), new Date("2026-12-06T18:50:00Z"))).toBe("the customer left “Start a return” at step “Choosing the items” to call us 1 minute before this contact");
    expect(leftTaskWords(left("HELP_CENTRE"), new Date("2026-12-06T23:49:00Z"))).toBe("the customer left “Start a return” at step “Choosing the items” for the help centre 5 hours before this contact");
  });

  it("says nothing of a channel for a task given up", () => {
    expect(leftTaskWords(left(null), new Date("2026-12-06T19:19:00Z"))).toBe("the customer left “Start a return” at step “Choosing the items” 30 minutes before this contact");
  });
});
