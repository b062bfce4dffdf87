// Runs in front of every page, route handler and server action. Each concern is one small function
// so it reads (and merges) on its own; the rules themselves live in lib/http/security-headers.ts.
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/config/env";
import { builtStyleHashes } from "@/lib/http/build-output";
import { baseSecurityHeaders, contentSecurityPolicy, createNonce, isMalformedPath } from "@/lib/http/security-headers";
import { hostedCheckoutOrigins, stripeConfig } from "@/lib/payments/stripe";

export function proxy(request: NextRequest): NextResponse {
  const https = servedOverHttps(request);
  const response = rejectMalformedPath(request) ?? withContentSecurityPolicy(request, https);
  for (const [name, value] of Object.entries(baseSecurityHeaders({ https }))) response.headers.set(name, value);
  return response;
}

/** The framework would answer 500 when it fails to decode a dynamic segment; the request is simply bad. */
function rejectMalformedPath(request: NextRequest): NextResponse | null {
  if (!isMalformedPath(request.nextUrl.pathname)) return null;
  return new NextResponse("Bad request: the address is not valid.", { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
}

let styleHashes: string[] | undefined;
/** Read once per process: a build does not change under a running server (`next dev` has none, and allows inline styles). */
function ourStyleHashes(): string[] {
  styleHashes ??= process.env.NODE_ENV === "development" ? [] : builtStyleHashes(env().NEXT_DIST_DIR);
  return styleHashes;
}

/** A nonce per request, in the request's CSP header (where Next.js reads it for its own tags) and in the answer's. */
function withContentSecurityPolicy(request: NextRequest, https: boolean): NextResponse {
  const policy = contentSecurityPolicy({
    nonce: createNonce(),
    styleHashes: ourStyleHashes(),
    development: process.env.NODE_ENV === "development",
    formTargets: hostedCheckoutOrigins(safeStripeConfig()),
    https,
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  return response;
}

/** A broken Stripe configuration is reported where payments are used, not on every page. */
function safeStripeConfig() {
  try {
    return stripeConfig();
  } catch {
    return null;
  }
}

/** Behind a TLS-terminating proxy the request arrives over HTTP with X-Forwarded-Proto: https. */
function servedOverHttps(request: NextRequest): boolean {
  return request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
}

export const config = {
  // Hashed build assets never change and carry no markup; everything else, including /ingest and /api, passes here.
  matcher: ["/((?!_next/static|_next/image).*)"],
};
