// The page's fallback when it cannot hold the offer stream (./stream/route.ts: refused over a cap,
// or failing again and again): it asks here every 30 seconds whether an agent has offered help;
// handing the offer over is its showing (lib/frontline/reach-out.ts). Customers only; everyone
// else gets nothing.
import { currentPrincipal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { deliverOffer } from "@/lib/frontline/reach-out";
import { customerActor } from "@/lib/trail/actor";

export const dynamic = "force-dynamic";

export async function GET() {
  const principal = await currentPrincipal();
  if (principal?.role !== "CUSTOMER") return Response.json({ offer: null });
  const offer = await deliverOffer(db(), await customerActor(principal));
  return Response.json({ offer }, { headers: { "cache-control": "no-store" } });
}
