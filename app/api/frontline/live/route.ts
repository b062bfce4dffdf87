// The live view's feed: server-sent events, one snapshot of the attempts in progress every few
// seconds (a short server-side poll of the trail), until the board closes. Staff only.
import { db } from "@/lib/db/client";
import { frontlineViewer } from "@/lib/frontline/access";
import { asSeenBy, liveJourneys } from "@/lib/frontline/live";

export const dynamic = "force-dynamic";

const EVERY_MS = 2000;

export async function GET(request: Request) {
  const viewer = await frontlineViewer();
  if (!viewer) return new Response("Not found", { status: 404 });
  const encoder = new TextEncoder();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Set when the board leaves (the request aborts or the reader cancels): a snapshot still being
  // read then is dropped instead of written to a closed stream.
  let left = false;
  const leave = () => {
    left = true;
    clearTimeout(timer);
  };
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = async () => {
        if (left) return;
        try {
          const snapshot = `data: ${JSON.stringify({ at: new Date().toISOString(), rows: asSeenBy(viewer.role, await liveJourneys(db())) })}\n\n`;
          if (left) return;
          controller.enqueue(encoder.encode(snapshot));
        } catch (error) {
          // A failed snapshot is skipped; the board keeps the last one and the next may succeed.
          console.error("[frontline] live snapshot failed", error);
        }
        if (!left) timer = setTimeout(() => void send(), EVERY_MS);
      };
      request.signal.addEventListener("abort", () => {
        leave();
        try {
          controller.close();
        } catch {
          // already closed
        }
      });
      await send();
    },
    cancel: leave,
  });
  return new Response(stream, { headers: { "content-type": "text/event-stream", "cache-control": "no-store, no-transform", connection: "keep-alive", "x-accel-buffering": "no" } });
}
