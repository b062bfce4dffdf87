import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { INLINE_STYLESHEET_SOURCE, inlineStylesheetText } from "./inline-stylesheet";

describe("the stylesheet every page carries inline", () => {
  const source = fs.readFileSync(INLINE_STYLESHEET_SOURCE, "utf8");
  const text = inlineStylesheetText();

  it("is the source minified: every rule kept, its comments and spaces gone", () => {
    expect(source).toMatch(/\/\*/);
    expect(text).not.toMatch(/\/\*|\n/);
    expect(text.length).toBeLessThan(source.length * 0.8);
    for (const property of source.matchAll(/(--[a-z-]+):/g)) expect(text).toContain(`${property[1]}:`);
    expect(text).toContain(".thumbnail[data-shape=");
  });

  it("cannot end the <style> element it is written into", () => {
    expect(text.toLowerCase()).not.toContain("</style");
  });
});
