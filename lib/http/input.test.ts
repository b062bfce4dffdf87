import { describe, expect, it } from "vitest";
import { isStorableJson, isStorableText, storableText } from "./input";

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
