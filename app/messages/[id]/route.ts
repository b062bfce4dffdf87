import { NextResponse } from "next/server";
import { currentPrincipal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { openMessage } from "@/lib/notify/message-centre";

export const dynamic = "force-dynamic";

const ID = /^[a-z0-9]{20,40}$/;

// A message's link in the message centre: marks it read and goes to the page it is about. Anyone
// but its customer gets a 404, signed in or not.
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await currentPrincipal();
  const path = principal?.role === "CUSTOMER" && ID.test(id) ? await openMessage(db(), principal.userId, id) : null;
  if (!path) return new NextResponse("Not found", { status: 404, headers: { "cache-control": "no-store" } });
  // A relative Location: the browser stays on the origin it used (never a host read from the request).
  return new NextResponse(null, { status: 303, headers: { location: path, "cache-control": "no-store" } });
}
