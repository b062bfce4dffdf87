import type { CSSProperties } from "react";
import { thumbnailOf } from "@/lib/catalogue/thumbnail";

/**
 * A product's generated thumbnail: one element, its outline and colours drawn by the stylesheet
 * (`.thumbnail` in app/globals.css), so no request, and a fixed size so nothing moves when it
 * appears. Always shown beside the product's name, so it is decorative (WCAG's "redundant image":
 * an alt text would make screen readers say the name twice).
 */
export function ProductThumbnail({ name, category }: { name: string; category: string }) {
  const { shape, hue } = thumbnailOf({ name, category });
  return <span className="thumbnail" data-shape={shape} style={{ "--hue": hue } as CSSProperties} aria-hidden="true" />;
}
