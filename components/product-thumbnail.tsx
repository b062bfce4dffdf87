import { thumbnailOf } from "@/lib/catalogue/thumbnail";

/**
 * A product's generated thumbnail, drawn in the page itself: no request, and fixed dimensions so
 * nothing moves when it appears. Always shown beside the product's name, so it is decorative
 * (WCAG's "redundant image": an alt text would make screen readers say the name twice).
 * `shared`: the drawing is a reference to its shape in the page's <ThumbnailShapes> (a long list
 * then carries each outline once, in its HTML and again in its RSC payload, instead of per row).
 */
export function ProductThumbnail({ name, category, size = 48, shared = false }: { name: string; category: string; size?: number; shared?: boolean }) {
  const { outline, shape, background, foreground } = thumbnailOf({ name, category });
  // A shared drawing's scale comes from its symbol's viewBox; a row of a long list carries no more
  // attributes than it needs (each is written twice per row, in the HTML and in the RSC payload).
  return shared ? (
    <svg className="thumbnail" width={size} height={size} aria-hidden="true">
      <use href={`#thumbnail-${shape}`} color={background} fill={foreground} />
    </svg>
  ) : (
    <svg className="thumbnail" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="6" fill={background} />
      <path d={outline} fill={foreground} fillRule="evenodd" transform="translate(4 4)" />
    </svg>
  );
}

/** The shapes of these categories, once each, for the page's `shared` thumbnails (drawn in each one's colours). */
export function ThumbnailShapes({ categories }: { categories: string[] }) {
  const shapes = new Map(categories.map((category) => thumbnailOf({ name: "", category })).map((t) => [t.shape, t.outline]));
  return (
    <svg className="sr-only" width="0" height="0" aria-hidden="true">
      {[...shapes].map(([shape, outline]) => (
        <symbol key={shape} id={`thumbnail-${shape}`} viewBox="0 0 32 32">
          <rect width="32" height="32" rx="6" fill="currentColor" />
          <path d={outline} fillRule="evenodd" transform="translate(4 4)" />
        </symbol>
      ))}
    </svg>
  );
}
