// The portal's links: a plain <a>, which app/providers.tsx navigates in place (one listener for the
// whole document, see lib/http/in-place-link.ts) instead of next/link's client component. A
// next/link is hydrated one by one with the page, and on a mobile CPU the header's and an order
// list's links made a long task of the first load; a plain anchor costs nothing to hydrate, works
// before the page's script has run, and is keyboard-operable as any link. Nothing is prefetched
// (every page is rendered per request for the person signed in, so a prefetched payload is stale
// by the time it is used). Usable from server and client components alike.
import type { AnchorHTMLAttributes } from "react";

export default function Link({ href, ...props }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return <a href={href} data-nav="" {...props} />;
}
