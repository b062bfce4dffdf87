import { NextResponse } from "next/server";
import { currentPrincipal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { buildCustomerExport, exportFileName } from "@/lib/privacy/export";
import { trailActor } from "@/lib/trail/actor";
import { recordStep } from "@/lib/trail/server";

export const dynamic = "force-dynamic";

const LINK_LIFETIME_MS = 60 * 60 * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function notFound() {
  return new NextResponse("Not found", { status: 404, headers: { "cache-control": "no-store" } });
}

// The download of "Download my data". Anyone but the customer whose export journey this is gets a
// 404, signed in or not, so the URL says nothing about whose it is.
export async function GET(_request: Request, { params }: { params: Promise<{ journeyId: string }> }) {
  const { journeyId } = await params;
  const principal = await currentPrincipal();
  if (!principal || principal.role !== "CUSTOMER" || !UUID.test(journeyId)) return notFound();
  const journey = await db().journey.findFirst({ where: { id: journeyId, userId: principal.userId, type: "data_export" }, select: { startedAt: true, outcome: true } });
  if (!journey) return notFound();
  // A relative location, as the portal's other redirects: behind `next start` request.url names the
  // address the server listens on (0.0.0.0), not the one the customer used.
  if (Date.now() - journey.startedAt.getTime() > LINK_LIFETIME_MS) {
    return new NextResponse(null, { status: 303, headers: { location: "/account/privacy?export=expired", "cache-control": "no-store" } });
  }

  const now = new Date();
  const data = await buildCustomerExport(db(), principal.userId, now);
  // The same file fetched again (the page's "download your data" link after the download started)
  // is the task already done, not a second one.
  if (journey.outcome !== "COMPLETED") {
    const actor = await trailActor(principal);
    await recordStep(db(), actor, { journeyId, type: "data_export", step: "download", action: "completed" });
  }
  return new NextResponse(JSON.stringify(data, null, 2), {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="${exportFileName(now)}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
