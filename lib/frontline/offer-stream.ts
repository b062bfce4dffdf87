// One customer page's held connection for an agent's offer of help, as server-sent events: the
// offer already waiting first (one made while the page was closed is not lost), then each one made
// while it is open, as soon as the feed (./offer-feed.ts) wakes it. A comment at every heartbeat
// (./offer-heartbeat.ts) keeps proxies from closing a quiet connection, and is sent only while the
// session is still live: a stream whose session was signed out, revoked or expired ends there,
// freeing its place under the caps, even if no offer ever comes. Framework-free: the route handler
// only says who the customer is and how to look.
import type { OfferFeed } from "./offer-feed";
import type { OfferHeartbeat } from "./offer-heartbeat";
/** How soon a page refused a stream (over a cap) asks again; the page polls at this pace instead. */
export const FALLBACK_ASK_SECONDS = 30;
/** How long the browser waits before it opens a dropped stream again (a deploy drops them all at once). */
const RECONNECT_MS = 5000;
/**
 * Messages (keep-alives, offers) a page may leave unread beyond what the connection itself holds
 * before its stream is dropped: a client that stops reading, or a request whose body nobody reads
 * (Next.js answers HEAD so), would otherwise keep its place and a queue growing every heartbeat.
 */
export const UNREAD_MAX = 4;

/** Whether a request's Accept header asks for an event stream, as the browser's EventSource does. */
export function acceptsEventStream(accept: string | null): boolean {
  return (accept ?? "").split(",").some((type) => type.split(";")[0].trim().toLowerCase() === "text/event-stream");
}

/** `task`: the task's name as the customer reads it, since the offer reaches whatever page they are on now. */
export type StreamedOffer = { id: string; journeyType: string; step: string; task: string };

/** What a page finds when it looks: the offer waiting (or none), or that its session has ended. */
export type Look = { offer: StreamedOffer | null } | "signed_out";

type StreamOptions = {
  feed: Pick<OfferFeed, "subscribe">;
  /** Checks the session at each heartbeat, with the process's other streams' (cheaper than a look). */
  heartbeat: Pick<OfferHeartbeat, "join">;
  userId: string;
  sessionId: string;
  /** Checks the session again, then finds the waiting offer (handing it over is its showing). */
  look: () => Promise<Look>;
  /** The request's: the page left. */
  signal: AbortSignal;
};

export function offerStream({ feed, heartbeat, userId, sessionId, look, signal }: StreamOptions): Response {
  let wake = () => {};
  const subscription = feed.subscribe(userId, () => wake());
  if (!subscription.ok) {
    return new Response("Too many pages are open; this one will ask again later.", { status: 503, headers: { "retry-after": String(FALLBACK_ASK_SECONDS), "cache-control": "no-store" } });
  }
  let end: (unread?: DOMException) => void = () => {};
  const leave = () => end();
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let ended = false;
      let looking = false;
      let lookAgain = false;
      let sentId: string | null = null;
      const write = (text: string) => {
        if (ended) return;
        // An AbortError, so the server drops the connection as it does for a page that left.
        if ((controller.desiredSize ?? 0) <= 0) return end(new DOMException("The page has stopped reading its offer stream.", "AbortError"));
        controller.enqueue(encoder.encode(text));
      };
      const leaveHeartbeat = heartbeat.join({ sessionId, userId }, (live) => (live ? write(": keep-alive\n\n") : end()));
      end = (unread) => {
        if (ended) return;
        ended = true;
        leaveHeartbeat();
        subscription.close();
        signal.removeEventListener("abort", leave);
        // Errored, the queue is let go of at once; closed, it would wait for a reader that never comes.
        if (unread) return controller.error(unread);
        try {
          controller.close();
        } catch {
          // already closed by the reader
        }
      };
      // One look at a time; a wake during a look is one more look after it, not one in parallel.
      const lookNow = async () => {
        if (looking) return void (lookAgain = true);
        looking = true;
        try {
          do {
            lookAgain = false;
            const found = await look();
            if (found === "signed_out") return end();
            if (found.offer && found.offer.id !== sentId) {
              sentId = found.offer.id;
              write(`data: ${JSON.stringify({ offer: found.offer })}\n\n`);
            }
          } while (lookAgain && !ended);
        } catch (error) {
          // The next wake looks again; the page keeps its connection.
          console.error("[waymark] looking for an offer of help failed", error);
        } finally {
          looking = false;
        }
      };
      wake = () => void lookNow();
      signal.addEventListener("abort", leave);
      if (signal.aborted) return end();
      // Sent at once, so the browser knows the stream is open before anything else happens.
      write(`retry: ${RECONNECT_MS}\n\n`);
      void lookNow();
    },
    cancel: () => end(),
  }, new CountQueuingStrategy({ highWaterMark: UNREAD_MAX }));
  return new Response(stream, { headers: { "content-type": "text/event-stream", "cache-control": "no-store, no-transform", connection: "keep-alive", "x-accel-buffering": "no" } });
}
