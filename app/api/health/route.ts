// Whether this web process can serve: its database, and its one LISTEN connection that brings
// agents' offers of help to customers' open pages (lib/frontline/offer-feed.ts). With that
// connection down the process still serves pages (200) but says "degraded", naming it.
import { db } from "@/lib/db/client";
import { offerFeedHealth } from "@/lib/frontline/offer-feed";

export const dynamic = "force-dynamic";

export async function GET() {
  try {
    await db().$queryRaw`SELECT 1`;
  } catch {
    return Response.json({ status: "database_unavailable" }, { status: 503 });
  }
  const offerFeed = offerFeedHealth();
  return Response.json({ status: offerFeed.state === "ok" ? "ok" : "degraded", offerFeed });
}
