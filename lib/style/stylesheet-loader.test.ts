import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { compileStylesheet } from "./stylesheet-loader.cjs";

describe("the stylesheet every page carries inline (app/globals.css?inline)", () => {
  const source = fs.readFileSync("app/globals.css", "utf8");
  const text = compileStylesheet(source, "app/globals.css");

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
