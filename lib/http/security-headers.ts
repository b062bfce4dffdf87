// The headers every answer carries, and the Content-Security-Policy of the pages. Framework-free:
// proxy.ts applies them, the tests read them here. A page rendered per request runs only scripts
// with the request's nonce (Next.js finds it in the request's CSP header and puts it on its own
// tags); a page prerendered at build time, whose HTML cannot carry a nonce, runs only the inline
// scripts whose hashes proxy.ts finds in the HTML it serves, and script files of our own origin.
// Either way an injected <script> or inline handler does nothing. <style> elements need the nonce
// or to be one of our built stylesheets, by hash; everything else comes from our own origin.
import type { HeaderGetter } from "./client-address";

/** A fresh, unguessable nonce for one response. */
export function createNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

/** What lets a page's scripts run: the response's nonce, or the hashes of a prerendered page's inline scripts. */
export type ScriptTrust = { nonce: string } | { hashes: readonly string[] };

export type CspOptions = {
  scripts: ScriptTrust;
  /** Our built stylesheets' hashes: Next.js inlines them and re-inserts them without a nonce on client navigations. */
  styleHashes?: readonly string[];
  /** `next dev` needs eval for React's error overlay; a production build never does. */
  development?: boolean;
  /** Where a form may send the browser besides us: Stripe's hosted Checkout after a redirect. */
  formTargets?: readonly string[];
  /** Over HTTPS, any http:// subresource a page still names is fetched over HTTPS instead. */
  https?: boolean;
};

export function contentSecurityPolicy({ scripts, styleHashes = [], development = false, formTargets = [], https = false }: CspOptions): string {
  const nonce = "nonce" in scripts ? [`'nonce-${scripts.nonce}'`] : [];
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    [
      "script-src",
      "'self'",
      // 'strict-dynamic': scripts loaded by our nonced scripts (Next's chunks, posthog-js's lazy parts) are trusted, nothing else.
      // A prerendered page cannot name its external scripts by nonce, so there 'self' admits our own files (served with nosniff).
      ...("nonce" in scripts ? [...nonce, "'strict-dynamic'"] : scripts.hashes),
      ...(development ? ["'unsafe-eval'"] : []),
    ],
    ["style-src", "'self'", ...(development ? ["'unsafe-inline'"] : [...nonce, ...styleHashes])],
    // style="" attributes only: the charts (recharts) set them and cannot carry a nonce. An attribute
    // restyles its own element; it runs nothing and, unlike a <style> element, matches no selectors.
    ["style-src-attr", "'unsafe-inline'"],
    ["img-src", "'self'", "data:", "blob:"],
    ["font-src", "'self'"],
    // The trail and posthog-js post to our own /ingest; nothing in the browser talks to another host.
    ["connect-src", "'self'"],
    ["object-src", "'none'"],
    ["base-uri", "'self'"],
    ["form-action", "'self'", ...formTargets],
    ["frame-ancestors", "'none'"],
    ...(https ? ([["upgrade-insecure-requests"]] as [string][]) : []),
  ];
  return directives.map((parts) => parts.join(" ")).join("; ");
}

/** Features no page of the portal uses, switched off for it and anything it might embed. */
export const PERMISSIONS_POLICY = [
  "accelerometer=()",
  "autoplay=()",
  "camera=()",
  "display-capture=()",
  "geolocation=()",
  "gyroscope=()",
  "magnetometer=()",
  "microphone=()",
  "midi=()",
  "payment=()",
  "usb=()",
  "browsing-topics=()",
].join(", ");

/** One year, as HSTS preload lists expect; sent only over HTTPS (browsers ignore it over HTTP anyway). */
export const STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains";

/** The headers of every answer, page or not. */
export function baseSecurityHeaders({ https }: { https: boolean }): Record<string, string> {
  return {
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": PERMISSIONS_POLICY,
    // For browsers without CSP level 2; frame-ancestors says the same to the others.
    "x-frame-options": "DENY",
    ...(https ? { "strict-transport-security": STRICT_TRANSPORT_SECURITY } : {}),
  };
}

/** Behind a TLS-terminating proxy the request arrives over HTTP with X-Forwarded-Proto: https. */
export function servedOverHttps(request: { url: string; headers: HeaderGetter }): boolean {
  return request.url.startsWith("https:") || request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
}

/** A data answer's policy: it is never a document, so nothing may load or frame it. */
export const DATA_ANSWER_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * The headers of an answer that is data, not a page (the /ingest capture answers, which skip
 * proxy.ts: they are the busiest requests and need none of a page's nonce work). The same base
 * headers as every answer, a policy that allows nothing, never cached or transformed on the way.
 */
export function dataAnswerHeaders(request: { url: string; headers: HeaderGetter }): Record<string, string> {
  return {
    ...baseSecurityHeaders({ https: servedOverHttps(request) }),
    "content-security-policy": DATA_ANSWER_POLICY,
    "cache-control": "no-store, no-transform",
  };
}

/**
 * True when an address cannot be taken as it is: a path that cannot be decoded (a stray `%`, an
 * invalid UTF-8 sequence such as `%FF` or the overlong `%C0%AF`), or a NUL byte in the path or in a
 * query parameter's name or value. No id, slug or search of ours contains one, and PostgreSQL
 * refuses it in text: a page searching for it would fail with a 500 instead of saying no. (A query
 * that cannot be decoded is not refused: the framework reads it leniently, as browsers do.)
 */
export function isMalformedAddress(pathname: string, search = ""): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return true;
  }
  if (decoded.includes("\u0000")) return true;
  for (const [name, value] of new URLSearchParams(search)) if (name.includes("\u0000") || value.includes("\u0000")) return true;
  return false;
}
