// The HTTP front's own answer to posthog-js's event batches (/ingest/e/, /ingest/i/v0/e/), the
// busiest requests the portal gets: the route's function (lib/trail/ingest-request.ts) called
// straight from the Node request, without the few milliseconds of CPU Next.js spends routing any
// request (on a 2-core server, more than storing a batch of 50 events costs). Everything the route
// does still happens here: the client's budget, the size limits, the live-session rule, scrubbing,
// and the security headers of a data answer. The rest of /ingest goes through Next.js.
import type http from "node:http";
import { Readable } from "node:stream";
import { NextRequest } from "next/server";
import { skipsProxy } from "../../lib/trail/ingest-endpoint";
import { answerIngest } from "../../lib/trail/ingest-request";

/** True for the requests the front answers itself. */
export function isEventBatch(request: http.IncomingMessage): boolean {
  return skipsProxy(new URL(request.url ?? "/", "http://front").pathname);
}

export async function answerEventBatch(incoming: http.IncomingMessage, outgoing: http.ServerResponse): Promise<void> {
  try {
    const url = new URL(incoming.url ?? "/", `http://${incoming.headers.host ?? "localhost"}`);
    const headers = new Headers();
    for (let i = 0; i < incoming.rawHeaders.length; i += 2) headers.append(incoming.rawHeaders[i], incoming.rawHeaders[i + 1]);
    const hasBody = incoming.method !== "GET" && incoming.method !== "HEAD";
    // The body stays a stream: the route stops reading it at its size limit.
    const body = hasBody ? (Readable.toWeb(incoming) as ReadableStream<Uint8Array>) : undefined;
    const request = new NextRequest(url, { method: incoming.method, headers, body, duplex: "half" } as ConstructorParameters<typeof NextRequest>[1]);
    const response = await answerIngest(request, url.pathname.slice("/ingest/".length).split("/"));
    const answer = Buffer.from(await response.arrayBuffer());
    // A refused body may not have been read to its end: the connection closes after the answer
    // instead of reading the rest.
    if (hasBody && !incoming.complete) outgoing.shouldKeepAlive = false;
    outgoing.writeHead(response.status, Object.fromEntries(response.headers));
    outgoing.end(answer);
  } catch (error) {
    console.error("[ingest] the front could not answer a batch", error);
    if (!outgoing.headersSent) outgoing.writeHead(500, { "content-type": "application/json" });
    outgoing.end(JSON.stringify({ type: "server_error", detail: "could not store events" }));
  }
}
