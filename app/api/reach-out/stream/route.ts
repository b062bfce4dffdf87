// The customer's page holds this open while it is in view, and an agent's offer of help arrives on
// it as soon as it is made (lib/frontline/offer-stream.ts, fed by lib/frontline/offer-feed.ts).
// The session is checked as it opens, again before anything is sent and at every heartbeat (one
// query for all of the process's streams), so a page whose session was signed out, revoked or
// expired stops there; opening and each heartbeat mark the session seen with a page in view,
// which the live view shows agents. Signed-in customers only, and only as an event stream: a request for
// anything else (a tab opened on the address) holds no place.
import { seeLiveSessions } from "@/lib/accounts/sessions";
import { currentPrincipal, principalOfSession } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { offerFeed } from "@/lib/frontline/offer-feed";
import { offerHeartbeat } from "@/lib/frontline/offer-heartbeat";
import { acceptsEventStream, offerStream } from "@/lib/frontline/offer-stream";
import { deliverOffer } from "@/lib/frontline/reach-out";
import { customerActor } from "@/lib/trail/actor";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  if (!acceptsEventStream(request.headers.get("accept"))) return new Response("This address only sends an event stream (text/event-stream).", { status: 406 });
  const principal = await currentPrincipal();
  if (principal?.role !== "CUSTOMER") return new Response(null, { status: 401 });
  const [opened] = await Promise.all([customerActor(principal), seeLiveSessions(db(), [{ sessionId: principal.sessionId, userId: principal.userId }])]);
  return offerStream({
    feed: offerFeed(),
    heartbeat: offerHeartbeat(),
    userId: principal.userId,
    sessionId: principal.sessionId,
    signal: request.signal,
    look: async () => {
      const live = await principalOfSession(principal.sessionId);
      if (live?.userId !== principal.userId) return "signed_out";
      // Consent as it is now: the customer may have changed it since the page opened.
      return { offer: await deliverOffer(db(), { ...opened, distinctId: live.analyticsId, consent: live.analyticsConsent }) };
    },
  });
}

/**
 * Not GET's headers alone, as Next.js would otherwise answer HEAD: it never reads or cancels GET's
 * body, so every HEAD would hold a place under the caps until the stream gave up on it unread.
 */
export function HEAD() {
  return new Response(null, { status: 405, headers: { allow: "GET" } });
}
