// The HTTP front's own answer to posthog-js's event batches (/ingest/e/, /ingest/i/v0/e/), the
// busiest requests the portal gets: the route's function (lib/trail/ingest-request.ts) called
// straight from the Node request, without the few milliseconds of CPU Next.js spends routing any
// request (on a 2-core server, more than storing a batch of 50 events costs), and without making a
// web Request of it: the endpoint reads the Node request's headers and body as they are.
// Everything the route does still happens here: the client's budget, the size limits, the
// live-session rule, scrubbing, and the security headers of a data answer. The rest of /ingest goes
// through Next.js.
import type http from "node:http";
import { RequestCookies } from "next/dist/server/web/spec-extension/cookies";
import { skipsProxy } from "../../lib/trail/ingest-paths";
import { answerIngest } from "../../lib/trail/ingest-request";
import { headersOf, urlOf } from "./node-request";

/** True for the requests the front answers itself. */
export function isEventBatch(request: http.IncomingMessage): boolean {
  return skipsProxy(urlOf(request).pathname);
}

/**
 * The body, or null as soon as it is known to exceed `max` bytes (announced or actually sent). A
 * refused body is left unread rather than destroyed, so the answer still reaches the client; the
 * connection then closes after it.
 */
function readBody(incoming: http.IncomingMessage, max: number): Promise<Buffer | null> {
  if (Number(incoming.headers["content-length"] ?? 0) > max) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => incoming.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      stop();
      incoming.pause();
      resolve(null);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    const onClose = () => onError(new Error("the client closed the connection before its batch arrived"));
    incoming.on("data", onData).once("end", onEnd).once("error", onError).once("close", onClose);
  });
}

export async function answerEventBatch(incoming: http.IncomingMessage, outgoing: http.ServerResponse): Promise<void> {
  try {
    const headers = headersOf(incoming);
    const url = urlOf(incoming);
    const request = {
      method: incoming.method ?? "GET",
      url: url.href,
      headers,
      readBody: (max: number) => readBody(incoming, max),
      cookies: new RequestCookies(headers as Headers),
    };
    const response = await answerIngest(request, url.pathname.slice("/ingest/".length).split("/"));
    const answer = Buffer.from(await response.arrayBuffer());
    // A refused body may not have been read to its end: the connection closes after the answer
    // instead of reading the rest.
    if (!incoming.complete) outgoing.shouldKeepAlive = false;
    outgoing.writeHead(response.status, Object.fromEntries(response.headers));
    outgoing.end(answer);
  } catch (error) {
    console.error("[ingest] the front could not answer a batch", error);
    if (!outgoing.headersSent) outgoing.writeHead(500, { "content-type": "application/json" });
    outgoing.end(JSON.stringify({ type: "server_error", detail: "could not store events" }));
  }
}
