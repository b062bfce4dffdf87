import { thumbnailOf } from "@/lib/catalogue/thumbnail";

/**
 * A product's generated thumbnail, drawn in the page itself: no request, and fixed dimensions so
 * nothing moves when it appears. Always shown beside the product's name, so it is decorative
 * (WCAG's "redundant image": an alt text would make screen readers say the name twice).
 */
export function ProductThumbnail({ name, category, size = 48 }: { name: string; category: string; size?: number }) {
  const { outline, background, foreground } = thumbnailOf({ name, category });
  return (
    <svg className="thumbnail" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false" data-testid="product-thumbnail">
      <rect width="32" height="32" rx="6" fill={background} />
      <path d={outline} fill={foreground} fillRule="evenodd" transform="translate(4 4)" />
    </svg>
  );
}
