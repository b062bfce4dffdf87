import { NextResponse } from "next/server";
import { db } from "@/lib/db/client";
import { messageLinks } from "@/lib/notify/links";
import { followMessageLink } from "@/lib/notify/message-trail";

export const dynamic = "force-dynamic";

// A link in an email or text message: records the click, then goes to the page the message is
// about, where its journey starts (or resumes). Works signed out: the page asks for sign-in itself.
export async function GET(_request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const path = await followMessageLink(db(), messageLinks().key, token);
  // A relative Location: the browser stays on the origin it used (never a host read from the request).
  return new NextResponse(null, { status: 303, headers: { location: path ?? "/messages", "cache-control": "no-store" } });
}
