// The one place that decides what a URL looks like when it leaves the portal for PostHog: the
// browser batches of /ingest, the /flags relay and every event posthog-node sends from the outbox
// (server-side steps, abandonment) all pass through scrubProperties.
//
// A URL keeps its scheme and host; its path becomes the app route it matches (`/orders/W-10023`
// → `/orders/[number]`, `/reset-password/<token>` → `/reset-password/[token]`), or NOT_FOUND_PATH
// when no route matches (a mistyped or hostile path may hold anything); query strings, fragments
// and credentials are dropped. Product teams still see which page, never which order or which token.
import { APP_ROUTES } from "./app-routes";

/** Stands for any path the portal has no route for. */
export const NOT_FOUND_PATH = "/[not-found]";
// Deeper than any real value: a hostile payload cannot make the scrubber recurse without end.
const MAX_DEPTH = 8;

type Segment = { kind: "static"; text: string } | { kind: "one" } | { kind: "rest"; optional: boolean };
type Route = { template: string; segments: Segment[]; staticCount: number };

function parseTemplate(template: string): Route {
  const segments = template
    .split("/")
    .filter(Boolean)
    .map((part): Segment => {
      if (part.startsWith("[[...")) return { kind: "rest", optional: true };
      if (part.startsWith("[...")) return { kind: "rest", optional: false };
      if (part.startsWith("[")) return { kind: "one" };
      return { kind: "static", text: part };
    });
  return { template, segments, staticCount: segments.filter((s) => s.kind === "static").length };
}

// The most specific route first: `/account/payment-methods/added` wins over `/account/payment-methods/[id]`.
const ROUTES = APP_ROUTES.map(parseTemplate).sort((a, b) => b.staticCount - a.staticCount || b.segments.length - a.segments.length);

function matches(route: Route, parts: string[]): boolean {
  for (let i = 0; i < route.segments.length; i++) {
    const segment = route.segments[i];
    if (segment.kind === "rest") return parts.length - i >= (segment.optional ? 0 : 1);
    if (i >= parts.length) return false;
    if (segment.kind === "static" && segment.text !== parts[i]) return false;
  }
  return parts.length === route.segments.length;
}

/** The app route a path belongs to, e.g. `/orders/W-10023/return` → `/orders/[number]/return`. */
export function routeTemplate(pathname: string): string {
  const parts = pathname.split("/").filter(Boolean);
  return ROUTES.find((route) => matches(route, parts))?.template ?? NOT_FOUND_PATH;
}

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * A URL or a path as PostHog may see it. Absolute URLs keep scheme and host (never a user or
 * password); paths keep only their route template; anything unparseable becomes NOT_FOUND_PATH.
 */
export function scrubUrl(value: string): string {
  let scrubbed = scrubbedUrls.get(value);
  if (scrubbed === undefined) {
    if (scrubbedUrls.size >= SCRUBBED_URLS_MAX) scrubbedUrls.clear();
    scrubbed = scrubUrlNow(value);
    scrubbedUrls.set(value, scrubbed);
  }
  return scrubbed;
}

// The same few page URLs come with nearly every event of a batch (posthog-js sends $current_url,
// $pathname and $referrer with each): each is parsed once, not once per event. Bounded, so URLs
// made up by a client cannot grow it.
const SCRUBBED_URLS_MAX = 2_000;
const scrubbedUrls = new Map<string, string>();

function scrubUrlNow(value: string): string {
  const trimmed = value.trim();
  if (ABSOLUTE.test(trimmed) || trimmed.startsWith("//")) {
    try {
      const url = new URL(trimmed.startsWith("//") ? `https:${trimmed}` : trimmed);
      if (url.protocol !== "http:" && url.protocol !== "https:") return NOT_FOUND_PATH;
      return `${trimmed.startsWith("//") ? "//" : `${url.protocol}//`}${url.host}${routeTemplate(url.pathname)}`;
    } catch {
      return NOT_FOUND_PATH;
    }
  }
  // A path: everything after `?`, `#` or `;` (matrix parameters) is dropped before matching.
  return routeTemplate(trimmed.split(/[?#;]/)[0]);
}

// A whole value that is a URL or a path (`$current_url`, `$pathname`, `$referrer`…).
const URL_VALUE = /^\s*(?:[a-z][a-z0-9+.-]*:\/\/|\/)/i;
// URLs and paths inside longer text (an exception message, a title): absolute URLs anywhere, and
// paths that start a word. A scheme is only looked for where a run of scheme characters begins
// (its leading digits or signs are kept as they are): tried from every letter of a long word, the
// scan cost grew with the square of its length, and one title of 50,000 letters held the server
// for 40 seconds. Both alternatives now read each character a bounded number of times.
const EMBEDDED_URL = /(?<![a-z0-9+.-])([0-9+.-]*)([a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+)|(?<=^|[\s"'(=:,[{<])\/[^\s"'<>`)\]}]*/gi;

function scrubString(value: string): string {
  // Both kinds of URL hold a '/': most values (names, ids, versions) are passed over at once.
  if (!value.includes("/")) return value;
  if (URL_VALUE.test(value) && !/\s/.test(value.trim())) return scrubUrl(value);
  return value.replace(EMBEDDED_URL, (found, lead: string | undefined, url: string | undefined) => (url === undefined ? scrubUrl(found) : `${lead}${scrubUrl(url)}`));
}

/** Every string in a value, however deeply nested ($set, $set_once, arrays), with its URLs scrubbed. */
export function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return scrubString(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return undefined;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubValue(item, depth + 1)]));
}

/** An event's properties ready for PostHog as far as URLs go: every URL-valued property scrubbed. */
export function scrubProperties(properties: Record<string, unknown>): Record<string, unknown> {
  return scrubValue(properties) as Record<string, unknown>;
}
