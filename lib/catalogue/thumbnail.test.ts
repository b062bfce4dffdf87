import { describe, expect, it } from "vitest";
import { thumbnailOf } from "./thumbnail";

describe("generated product thumbnails", () => {
  it("draw one product the same every time, and its category's outline", () => {
    const mug = thumbnailOf({ name: "Stoneware Mug", category: "home" });
    expect(thumbnailOf({ name: "Stoneware Mug", category: "home" })).toEqual(mug);
    expect(thumbnailOf({ name: "Stoneware Mug", category: "shoes" }).outline).not.toBe(mug.outline);
  });

  it("tell neighbouring products apart by colour, and draw even an unknown category", () => {
    const hues = new Set(["Linen Shirt", "Linen Shirt II", "Wool Scarf", "Canvas Tote", "Desk Lamp"].map((name) => thumbnailOf({ name, category: "apparel" }).background));
    expect(hues.size).toBe(5);
    expect(thumbnailOf({ name: "Mystery", category: "not-a-category" }).outline).toMatch(/^M/);
  });

  it("name each shape after its category, and every unknown category's shape alike (one definition per page serves them)", () => {
    expect(thumbnailOf({ name: "Mug", category: "home" }).shape).toBe("home");
    expect(thumbnailOf({ name: "Mystery", category: "not-a-category" })).toMatchObject({ shape: "any", outline: thumbnailOf({ name: "Odd", category: "constructor" }).outline });
    expect(thumbnailOf({ name: "Odd", category: "constructor" }).shape).toBe("any");
  });
});
