// Pictures for the demo catalogue, which has no photographs: a thumbnail drawn from the product
// itself, the same every time (its category's outline on a colour taken from its name), so two
// products side by side look different and one product looks the same on every page.
// Framework-free; components/product-thumbnail.tsx draws it, and the outlines themselves are in the
// stylesheet (app/globals.css, `.thumbnail[data-shape]`): a picture is then one element with a hue,
// where an inline drawing was two or three per picture, written out on every page that lists them.

/** One outline per category of the catalogue (lib/seed/demo/catalogue.ts); any other category is drawn as "any". */
export const THUMBNAIL_SHAPES = ["apparel", "shoes", "accessories", "beauty", "electronics", "home", "gift-cards"] as const;

/** `shape`: the outline's name in the stylesheet; `hue`: the colour wheel's angle both its colours are taken at. */
export type Thumbnail = { shape: string; hue: number };

/** FNV-1a: a small stable hash that runs the same in the browser (the return form draws thumbnails too). */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

export function thumbnailOf(product: { name: string; category: string }): Thumbnail {
  const known = (THUMBNAIL_SHAPES as readonly string[]).includes(product.category);
  return { shape: known ? product.category : "any", hue: hashOf(product.name) % 360 };
}
