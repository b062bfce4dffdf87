import { describe, expect, it } from "vitest";
import { rageTapDetector, rageTapElement } from "./rage-taps";

const el = (tagName: string, role: string | null = null) => ({ tagName, getAttribute: (name: string) => (name === "role" ? role : null) });

describe("rage taps", () => {
  it("reports the third tap on one element within a second, once per burst", () => {
    const detect = rageTapDetector({ taps: 3, withinMs: 1000 });
    const button = {};
    expect([detect(button, 0), detect(button, 300), detect(button, 600)]).toEqual([null, null, 3]);
    // The burst goes on: nothing more to say about it.
    expect([detect(button, 800), detect(button, 1000), detect(button, 1300)]).toEqual([null, null, null]);
    // After a pause, a new burst is a new rage tap.
    expect([detect(button, 3000), detect(button, 3100), detect(button, 3200)]).toEqual([null, null, 3]);
  });

  it("ignores taps spread out in time, and taps moving between elements", () => {
    const detect = rageTapDetector({ taps: 3, withinMs: 1000 });
    const a = {};
    const b = {};
    // Each tap follows the last within the window, but never three within one second.
    expect([detect(a, 0), detect(a, 700), detect(a, 1400), detect(a, 2100)]).toEqual([null, null, null, null]);
    expect([detect(a, 5000), detect(b, 5100), detect(a, 5200), detect(b, 5300)]).toEqual([null, null, null, null]);
  });

  it("names the kind of element only, from its tag and role", () => {
    expect(rageTapElement(el("BUTTON"))).toBe("button");
    expect(rageTapElement(el("div", "button"))).toBe("button");
    expect(rageTapElement(el("A"))).toBe("link");
    expect(rageTapElement(el("INPUT"))).toBe("field");
    expect(rageTapElement(el("button", "radio"))).toBe("choice");
    expect(rageTapElement(el("LABEL"))).toBe("choice");
    expect(rageTapElement(el("H1"))).toBe("text");
    expect(rageTapElement(el("DIV"))).toBe("other");
  });
});
