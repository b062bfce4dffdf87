/**
 * The event batches' paths, on their own so the page policy (lib/http/page-policy.ts) reads them in
 * front of every request without the ingest route's modules. The page policy and proxy.ts's matcher
 * leave them out (the matcher must be a literal: keep it alike): the busiest requests, answering
 * data, so the route sets their security headers itself.
 */
export const PROXY_FREE_PREFIXES = ["/ingest/e/", "/ingest/i/v0/e/"] as const;

export function skipsProxy(pathname: string): boolean {
  return PROXY_FREE_PREFIXES.some((prefix) => pathname.startsWith(prefix));
}
