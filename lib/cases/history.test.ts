import { describe, expect, it } from "vitest";
import { caseHistory } from "./history";

describe("caseHistory", () => {
  it("says each accepted offer of help, oldest first, and nothing for offers unanswered or declined", () => {
    const first = new Date("2026-12-06T10:00:00Z");
    const later = new Date("2026-12-06T11:30:00Z");
    expect(
      caseHistory([
        { status: "ACCEPTED", answeredAt: later },
        { status: "SHOWN", answeredAt: null },
        { status: "DECLINED", answeredAt: first },
        { status: "ACCEPTED", answeredAt: first },
      ]),
    ).toEqual([
      { at: first, text: "Customer accepted the agent's offer of help" },
      { at: later, text: "Customer accepted the agent's offer of help" },
    ]);
  });
});
