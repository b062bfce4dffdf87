import { describe, expect, it } from "vitest";
import { countOf, plural } from "./plural";

describe("counting in words", () => {
  it("uses the singular for one only", () => {
    expect(countOf(1, "minute")).toBe("1 minute");
    expect(countOf(0, "minute")).toBe("0 minutes");
    expect(countOf(2, "minute")).toBe("2 minutes");
    expect(countOf(1.5, "day")).toBe("1.5 days");
  });

  it("takes an irregular plural and groups thousands", () => {
    expect(countOf(1, "device is", "devices are")).toBe("1 device is");
    expect(countOf(1500, "letter")).toBe("1,500 letters");
    expect(plural(1, "it", "them")).toBe("it");
    expect(plural(3, "it", "them")).toBe("them");
  });
});
