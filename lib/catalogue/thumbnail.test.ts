import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { THUMBNAIL_SHAPES, thumbnailOf } from "./thumbnail";

describe("generated product thumbnails", () => {
  it("draw one product the same every time, and its category's outline", () => {
    const mug = thumbnailOf({ name: "Stoneware Mug", category: "home" });
    expect(thumbnailOf({ name: "Stoneware Mug", category: "home" })).toEqual(mug);
    expect(thumbnailOf({ name: "Stoneware Mug", category: "shoes" })).toEqual({ shape: "shoes", hue: mug.hue });
  });

  it("tell neighbouring products apart by colour, and draw an unknown category as one shape", () => {
    const hues = new Set(["Linen Shirt", "Linen Shirt II", "Wool Scarf", "Canvas Tote", "Desk Lamp"].map((name) => thumbnailOf({ name, category: "apparel" }).hue));
    expect(hues.size).toBe(5);
    expect(thumbnailOf({ name: "Mystery", category: "not-a-category" }).shape).toBe("any");
    expect(thumbnailOf({ name: "Odd", category: "constructor" }).shape).toBe("any");
  });

  it("have an outline in the stylesheet for every category's shape", () => {
    const css = fs.readFileSync("app/globals.css", "utf8");
    const outlined = [...css.matchAll(/\.thumbnail\[data-shape="([a-z-]+)"\]::after \{ clip-path: path\(evenodd, "M[^"]+"\); \}/g)].map((m) => m[1]);
    expect(outlined.sort()).toEqual([...THUMBNAIL_SHAPES].sort());
  });
});
