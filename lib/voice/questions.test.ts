// Every task asks how hard it was where its outcome shows, unless it is listed as not asked (with why).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JOURNEY_TYPES } from "@/lib/trail/journeys";
import { EFFORT_NOT_ASKED } from "./questions";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sources(path) : /\.tsx$/.test(entry.name) ? [path] : [];
  });
}

describe("the effort question", () => {
  it("is asked at the end of every task but the ones listed as not asked", () => {
    const asked = new Set(sources("app").flatMap((file) => [...readFileSync(file, "utf8").matchAll(/<JourneyOutcomeShown type="(\w+)"/g)].map((m) => m[1])));
    const expected = JOURNEY_TYPES.filter((type) => !Object.hasOwn(EFFORT_NOT_ASKED, type));
    expect([...asked].sort()).toEqual([...expected].sort());
  });
});
