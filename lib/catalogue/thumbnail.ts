// Pictures for the demo catalogue, which has no photographs: a thumbnail drawn from the product
// itself, the same every time (its category's outline on a colour taken from its name), so two
// products side by side look different and one product looks the same on every page.
// Framework-free; components/product-thumbnail.tsx draws it.
// One outline per category of the catalogue (lib/seed/demo/catalogue.ts), on a 24×24 grid.
const OUTLINES: Record<string, string> = {
  apparel: "M8 3 4 5 2 9l3 1 1-2v13h12V8l1 2 3-1-2-4-4-2c-1 2-7 2-8 0Z",
  shoes: "M2 16v-5h5c1 2 4 2 5 0l2 1c2 1 5 1 7 2 1 .5 1 2 1 2H2Zm0 1h20v2H2z",
  accessories: "M5 8h14l1 13H4L5 8Zm3.5 0V7a3.5 3.5 0 0 1 7 0v1H14V7a2 2 0 0 0-4 0v1H8.5Z",
  beauty: "M10 2h4v3h-4V2ZM8 6h8l1 3v12H7V9l1-3Z",
  electronics: "M7 2h10a1 1 0 0 1 1 1v18a1 1 0 0 1-1 1H7a1 1 0 0 1-1-1V3a1 1 0 0 1 1-1Zm1 2v14h8V4H8Z",
  home: "M12 3 2 12h3v9h5v-6h4v6h5v-9h3L12 3Z",
  "gift-cards": "M3 8h18v4H3V8Zm1 5h7v8H4v-8Zm9 0h7v8h-7v-8ZM8 4c2 0 4 2 4 4-2 0-6 0-6-2 0-1 1-2 2-2Zm8 0c1 0 2 1 2 2 0 2-4 2-6 2 0-2 2-4 4-4Z",
};
const ANY = "M12 4a8 8 0 1 1 0 16 8 8 0 0 1 0-16Z";

/** `outline`: the drawing; `shape`: its name, the same for every category drawn alike (a page defines each shape once). */
export type Thumbnail = { outline: string; shape: string; background: string; foreground: string };

/** FNV-1a: a small stable hash that runs the same in the browser (the return form draws thumbnails too). */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

export function thumbnailOf(product: { name: string; category: string }): Thumbnail {
  const hue = hashOf(product.name) % 360;
  const known = Object.hasOwn(OUTLINES, product.category);
  return { outline: known ? OUTLINES[product.category] : ANY, shape: known ? product.category : "any", background: `hsl(${hue} 55% 90%)`, foreground: `hsl(${hue} 45% 30%)` };
}
