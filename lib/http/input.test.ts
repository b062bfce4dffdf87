import { describe, expect, it } from "vitest";
import { explanationText, isStorableJson, isStorableText, storableText } from "./input";

describe("storable text", () => {
  it("refuses NUL bytes and lone surrogates, and keeps every real character", () => {
    for (const bad of ["\u0000", "WM-1\u0000", "a\uD800b", "\uDC00", "x\uD83D"]) expect(isStorableText(bad), JSON.stringify(bad)).toBe(false);
    for (const good of ["", "Zoë O'Brien", "東京都", "😀 party", "\u202Eright-to-left", "tab\tand\nnewline"]) expect(isStorableText(good), good).toBe(true);
    expect(storableText().safeParse("a\u0000").success).toBe(false);
  });

  it("looks into every string, key and array of a JSON body", () => {
    expect(isStorableJson(JSON.parse('{"data":{"object":{"metadata":{"id":"re_1"}},"list":[1,"a",null]}}'))).toBe(true);
    expect(isStorableJson(JSON.parse('{"data":{"list":[1,"a\\u0000"]}}'))).toBe(false);
    expect(isStorableJson(JSON.parse('{"k\\u0000":1}'))).toBe(false);
  });
});

describe("an explanation someone must write", () => {
  const justification = explanationText(15, "too short", 1000, "too long");
  const refused = (value: string) => justification.safeParse(value).error?.issues.map((issue) => issue.message);

  it("counts letters and digits, so invisible characters, spaces and punctuation do not make one up", () => {
    for (const invisible of ["\u200B".repeat(25), "\u00AD".repeat(25), "\u2060".repeat(25), " ".repeat(25), "\u3000".repeat(25), ".".repeat(30), "\u200Bab\u200Bcd".repeat(3)]) {
      expect(refused(invisible), JSON.stringify(invisible)).toEqual(["too short"]);
    }
    expect(justification.parse("  Parcel arrived two weeks late.\r\n ")).toBe("Parcel arrived two weeks late.");
    expect(justification.parse("配達が二週間遅れ、お客様は代わりの品を地元で買った")).toBe("配達が二週間遅れ、お客様は代わりの品を地元で買った");
  });

  it("refuses what cannot be stored and what is too long", () => {
    expect(refused("Parcel arrived two weeks late\u0000")).toHaveLength(1);
    expect(refused("x".repeat(1001))).toEqual(["too long"]);
  });
});
