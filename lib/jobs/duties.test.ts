import { describe, expect, it } from "vitest";
import { DUTIES } from "./duties";
import { KICKED_DUTIES } from "./kick";

describe("background duties", () => {
  it("have one name each, and every duty a web process kicks exists", () => {
    const names = DUTIES.map((duty) => duty.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining([...KICKED_DUTIES]));
  });
});
