// Runs in front of every page, route handler and server action. Each concern is one small function
// so it reads (and merges) on its own; the rules themselves live in lib/http/security-headers.ts.
import { NextResponse, type NextRequest } from "next/server";
import { hasSessionCookie } from "@/lib/auth/session-cookie";
import { principalFromCookies, staffHome } from "@/lib/auth/principal";
import { env } from "@/lib/config/env";
import { prerenderedScripts, readBuildOutput, type BuildOutput } from "@/lib/http/build-output";
import { baseSecurityHeaders, contentSecurityPolicy, createNonce, isMalformedPath, servedOverHttps, type ScriptTrust } from "@/lib/http/security-headers";
import { hostedCheckoutOrigins, stripeConfig } from "@/lib/payments/stripe";

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const https = servedOverHttps(request);
  const answered = rejectMalformedPath(request) ?? (await sendSignedInHome(request));
  // A prerendered page's answer comes with all its headers.
  const page = answered ? null : prerenderedPage(request, https);
  if (page) return page;
  const response = answered ?? withContentSecurityPolicy(request, https);
  for (const [name, value] of Object.entries(baseSecurityHeaders({ https }))) response.headers.set(name, value);
  return response;
}

/** The framework would answer 500 when it fails to decode a dynamic segment; the request is simply bad. */
function rejectMalformedPath(request: NextRequest): NextResponse | null {
  if (!isMalformedPath(request.nextUrl.pathname)) return null;
  return new NextResponse("Bad request: the address is not valid.", { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
}

/**
 * Someone signed in who opens /signin goes to their home. The page is prerendered (the same HTML
 * for everyone), so it is asked here, and only when the browser has a session cookie at all: an
 * anonymous visitor costs no lookup, and a revoked or expired session gets the form.
 */
async function sendSignedInHome(request: NextRequest): Promise<NextResponse | null> {
  if (request.nextUrl.pathname !== "/signin" || request.method !== "GET" || !hasSessionCookie(request.cookies)) return null;
  const principal = await principalFromCookies(request.cookies);
  return principal ? NextResponse.redirect(new URL(staffHome(principal.role), request.url)) : null;
}

let built: BuildOutput | undefined;
/** Read once per process: a build does not change under a running server. `next dev` has no prerendered pages and allows inline styles. */
function buildOutput(): BuildOutput {
  built ??= process.env.NODE_ENV === "development" ? { styleHashes: [], prerenderedPages: new Set() } : readBuildOutput(env().NEXT_DIST_DIR);
  return built;
}

let scriptHashesOf: ((pathname: string) => string[]) | undefined;
/** A prerendered page's inline scripts, in every version this server may send (lib/http/build-output.ts). */
function prerenderedScriptHashes(pathname: string): string[] {
  scriptHashesOf ??= prerenderedScripts(env().NEXT_DIST_DIR);
  return scriptHashesOf(pathname);
}

function policyFor(scripts: ScriptTrust, https: boolean): string {
  formTargets ??= hostedCheckoutOrigins(safeStripeConfig());
  return contentSecurityPolicy({ scripts, styleHashes: buildOutput().styleHashes, development: process.env.NODE_ENV === "development", formTargets, https });
}
let formTargets: string[] | undefined;

// Per prerendered path and scheme: every header of its answer, and how many script hashes they allow.
const prerenderedHeaders = new Map<string, { scriptCount: number; headers: Record<string, string> }>();

/**
 * A page prerendered at build time (the same HTML for everyone, so no nonce) gets the hashes of its
 * own inline scripts. Its whole header set is worked out once per process, and again only when a
 * new version of the page brings more scripts (the hashes only ever grow): the proxy runs before
 * every such page, so this path does as little as it can. A form posted before the page's script
 * ran is answered with HTML rendered now: that one needs a nonce, so only GET and HEAD come here.
 */
function prerenderedPage(request: NextRequest, https: boolean): NextResponse | null {
  if (request.method !== "GET" && request.method !== "HEAD") return null;
  const { pathname } = request.nextUrl;
  if (!buildOutput().prerenderedPages.has(pathname)) return null;
  const hashes = prerenderedScriptHashes(pathname);
  const key = `${https ? "https" : "http"}:${pathname}`;
  let known = prerenderedHeaders.get(key);
  if (known?.scriptCount !== hashes.length) {
    known = { scriptCount: hashes.length, headers: { ...baseSecurityHeaders({ https }), "content-security-policy": policyFor({ hashes }, https) } };
    prerenderedHeaders.set(key, known);
  }
  return NextResponse.next({ headers: known.headers });
}

/** Any other answer gets a nonce per request, in the request's CSP header (where Next.js reads it for its own tags) and in the answer's. */
function withContentSecurityPolicy(request: NextRequest, https: boolean): NextResponse {
  const policy = policyFor({ nonce: createNonce() }, https);
  const response = NextResponse.next({ request: { headers: withHeader(request.headers, "content-security-policy", policy) } });
  response.headers.set("content-security-policy", policy);
  return response;
}

function withHeader(headers: Headers, name: string, value: string): Headers {
  const copy = new Headers(headers);
  copy.set(name, value);
  return copy;
}

/** A broken Stripe configuration is reported where payments are used, not on every page. */
function safeStripeConfig() {
  try {
    return stripeConfig();
  } catch {
    return null;
  }
}

export const config = {
  // Hashed build assets never change and carry no markup. posthog-js's event batches (/ingest/e/,
  // /ingest/i/v0/e/) are the busiest requests and answer data, never a page: their route sets the
  // same base headers itself (lib/http/security-headers.ts dataAnswerHeaders), without a nonce per
  // request. Everything else, including the rest of /ingest and /api, passes here.
  matcher: ["/((?!_next/static|_next/image|ingest/e/|ingest/i/v0/e/).*)"],
};
