import { NextResponse } from "next/server";
import { db } from "@/lib/db/client";
import { messageLinks } from "@/lib/notify/links";
import { recordEmailOpened } from "@/lib/notify/message-trail";

export const dynamic = "force-dynamic";

// The smallest transparent GIF: what an email's open pixel shows, whatever the token.
const PIXEL = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

// An email's open pixel (only in emails to customers who allow analytics). Always the same answer,
// so it tells nobody whether a token was valid.
export async function GET(_request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  await recordEmailOpened(db(), messageLinks().key, token);
  return new NextResponse(PIXEL, { status: 200, headers: { "content-type": "image/gif", "cache-control": "no-store, private" } });
}
