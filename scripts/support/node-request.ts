// A Node request read as the portal's request-handling code reads a fetch Request (the HTTP front's
// answers: scripts/support/ingest-front.ts, scripts/support/page-front.ts).
import type http from "node:http";
import type { HeaderGetter } from "../../lib/http/client-address";

// The client's Host header plays no part: nothing the front answers differs per host name.
export function urlOf(request: http.IncomingMessage): URL {
  return new URL(request.url ?? "/", "http://front");
}

/** The Node request's headers read as a fetch Request's are (Node has already lower-cased the names). */
export function headersOf(incoming: http.IncomingMessage): HeaderGetter {
  return {
    get(name) {
      const value = incoming.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(", ") : (value ?? null);
    },
  };
}
