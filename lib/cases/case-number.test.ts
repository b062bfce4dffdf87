import { describe, expect, it } from "vitest";
import { caseNumberFrom } from "./case-number";

describe("a case number as people give it", () => {
  it("reads it however it was typed or read out", () => {
    for (const typed of ["CS-12A9E8BC", "cs-12a9e8bc", " cs 12a9e8bc ", "12A9E8BC", "#CS-12A9E8BC"]) expect(caseNumberFrom(typed), typed).toBe("CS-12A9E8BC");
  });

  it("is nothing for what cannot be a case number", () => {
    for (const typed of ["", "CS-12A9E8B", "CS-12A9E8BCD", "WM-209300", "ada@example.com", "CS-12A9E8BG"]) expect(caseNumberFrom(typed), typed).toBeNull();
  });
});
