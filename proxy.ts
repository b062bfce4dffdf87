// Runs in front of every page, route handler and server action under `next dev` and `next start`;
// `npm start`'s HTTP front decides the same requests itself, much more cheaply, and marks them so
// this proxy is skipped (lib/http/page-policy.ts, where the decision and its reasons live), all but
// server actions: their bodies are checked here, where Next.js has buffered them for the proxy.
import { NextResponse, type NextRequest } from "next/server";
import { readCappedBody } from "@/lib/http/body";
import { decidePage } from "@/lib/http/page-policy";
import { servedOverHttps } from "@/lib/http/security-headers";

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const decision = await decidePage({
    method: request.method,
    pathname: request.nextUrl.pathname,
    search: request.nextUrl.search,
    https: servedOverHttps(request),
    cookies: request.cookies,
    headers: request.headers,
    readBody: (max) => readCappedBody(request, max),
  });
  if (decision.kind === "refused") return new NextResponse(decision.text, { status: decision.status, headers: decision.headers });
  if (decision.kind === "redirect") return NextResponse.redirect(new URL(decision.to, request.url), { headers: decision.headers });
  const overrides = Object.entries(decision.requestHeaders);
  if (overrides.length === 0) return NextResponse.next({ headers: decision.headers });
  const requestHeaders = new Headers(request.headers);
  for (const [name, value] of overrides) requestHeaders.set(name, value);
  return NextResponse.next({ request: { headers: requestHeaders }, headers: decision.headers });
}

export const config = {
  // The pages' paths (lib/http/page-policy.ts needsPagePolicy, which must be a literal here), unless
  // the HTTP front has decided the request already (FRONT_DECIDED_HEADER, which it removes from
  // what clients send).
  matcher: [{ source: "/((?!_next/static|_next/image|ingest/e/|ingest/i/v0/e/).*)", missing: [{ type: "header", key: "x-waymark-front" }] }],
};
