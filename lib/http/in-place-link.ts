// Which clicks on a portal link (components/link.tsx, marked data-nav) the client router takes,
// navigating in place, and which it leaves to the browser: exactly the ones next/link left to it
// (another tab or window, a download, another site, a jump within the page). Framework-free;
// app/providers.tsx listens for the clicks.

/** What is read of a click and of the link clicked. */
export type LinkClick = {
  button: number;
  modifier: boolean;
  defaultPrevented: boolean;
  /** The link's target attribute ("" without one). */
  target: string;
  download: boolean;
  /** The link's resolved href. */
  href: string;
};

/** The path (with query and fragment) to push, or null when the browser should follow the link itself. */
export function inPlaceTarget(click: LinkClick, current: string): string | null {
  if (click.defaultPrevented || click.button !== 0 || click.modifier || click.download) return null;
  if (click.target && click.target !== "_self") return null;
  const here = new URL(current);
  const url = new URL(click.href, here);
  if (url.origin !== here.origin) return null;
  // A fragment on the same page: the browser scrolls to it without loading anything.
  if (url.hash && url.pathname === here.pathname && url.search === here.search) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}
