// What every page, route handler and server action is answered with before the app sees it: the
// security headers, a Content-Security-Policy with a nonce per request (or, for a page prerendered
// at build time, the hashes of its own inline scripts), a 400 for an address the framework would
// fail on, a 403, 413, 415 or 400 for a server action Next.js would refuse or fail to decode by
// failing, and a signed-in person sent home from /signin. Decided here once, applied by two fronts:
// the portal's HTTP front (scripts/support/page-front.ts, what `npm start` serves through), and
// proxy.ts for `next dev` and `next start`, which skip it when the HTTP front has already done it.
// A server action's body is read by proxy.ts only, which Next.js runs with the body already
// buffered: the front checks an action's headers and leaves the rest to it. The front is much
// cheaper: Next.js running any proxy at all cost /signin half its requests per second and / a
// third (README, Benchmarks). The rules themselves live in ./security-headers.ts.
import "server-only";
import { hasSessionCookie, type CookieJar } from "@/lib/auth/session-cookie";
import { principalFromCookies, REQUESTED_PATH_HEADER, staffHome } from "@/lib/auth/principal";
import { env } from "@/lib/config/env";
import { isActionContentType, isDecodableActionBody } from "./action-body";
import { hasEncodedBody } from "./body";
import type { HeaderGetter } from "./client-address";
import { prerenderedScripts, readBuildOutput, type BuildOutput } from "./build-output";
import { baseSecurityHeaders, contentSecurityPolicy, createNonce, isMalformedAddress, type ScriptTrust } from "./security-headers";
import { hostedCheckoutOrigins, stripeConfig } from "@/lib/payments/stripe";
import { skipsProxy } from "@/lib/trail/ingest-paths";

/** Set by the HTTP front on every request it has decided (and removed from what clients send): proxy.ts's matcher then skips it. */
export const FRONT_DECIDED_HEADER = "x-waymark-front";

// Hashed build assets never change and carry no markup. posthog-js's event batches (skipsProxy)
// are the busiest requests and answer data, never a page: their route sets the same base headers
// itself (./security-headers.ts dataAnswerHeaders), without a nonce per request. Everything else,
// including the rest of /ingest and /api, is decided here. proxy.ts's matcher says the same (it
// must be a literal there).
const BUILD_ASSETS = /^\/_next\/(?:static|image)/;

export function needsPagePolicy(pathname: string): boolean {
  return !BUILD_ASSETS.test(pathname) && !skipsProxy(pathname);
}

/**
 * `search`: the query string as sent (with its `?`, or empty). `readBody`: the body, read up to
 * `max` bytes (null past them); given by proxy.ts only, where Next.js has already buffered the
 * body. Without it, a server action that needs its body read to be decided is left to proxy.ts.
 */
export type PageRequest = {
  method: string;
  pathname: string;
  search: string;
  https: boolean;
  cookies: CookieJar;
  headers: HeaderGetter;
  readBody?: (max: number) => Promise<Buffer | null>;
};

export type PageDecision =
  /** Answered here with `status` and `text`, before the app sees it. */
  | { kind: "refused"; status: 400 | 403 | 413 | 415; text: string; headers: Record<string, string> }
  | { kind: "redirect"; to: string; headers: Record<string, string> }
  /** On to the app: `requestHeaders` for the app to read (the nonce's policy), `headers` for the answer. */
  | { kind: "pass"; requestHeaders: Record<string, string>; headers: Record<string, string> }
  /** A server action whose body must be read to be decided, asked without `readBody`: on to the app undecided, for proxy.ts. */
  | { kind: "body-unread" };

/** Next.js's own limit on a server action's body (serverActions.bodySizeLimit, which next.config.ts leaves as it is). */
export const ACTION_BODY_LIMIT_BYTES = 1024 * 1024;

const REFUSALS = {
  "bad-address": { status: 400, text: "Bad request: the address is not valid." },
  "cross-site": { status: 403, text: "Forbidden: this form was sent from another site. Open Waymark and send it from there." },
  "too-large": { status: 413, text: "This form is too large to send (over 1 MB)." },
  "not-a-form": { status: 415, text: "This form was not sent the way Waymark's pages send it. Reload the page and send it again." },
  unreadable: { status: 400, text: "Bad request: this form could not be read. Reload the page and send it again." },
} as const;
export type Refusal = keyof typeof REFUSALS;

// A browser sent to an address no page of ours has (a NUL byte pasted into a search, a link cut
// short) gets a page it can read and leave, not a bare line of text. Nothing of the address is
// written into it, so its only style may be inline.
const BAD_ADDRESS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>This address could not be read · Waymark</title>
<style>body{font-family:system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2430}main{max-width:36rem;margin:4rem auto;padding:1.5rem;background:#fff;border-radius:8px;border:1px solid #dde1e7}h1{font-size:1.4rem;margin-top:0}a{color:#1f5fbf}</style>
</head><body><main><h1>This address could not be read</h1>
<p>It has characters that no Waymark page uses, perhaps from a link that was copied or cut short. Nothing was searched or changed.</p>
<p><a href="/">Go to your overview</a> or <a href="/orders">search your orders</a> again.</p></main></body></html>`;
const BAD_ADDRESS_PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

/** Every decision but "body-unread": what a caller that gives `readBody` gets. */
export type WholeDecision = Exclude<PageDecision, { kind: "body-unread" }>;

export function decidePage(request: PageRequest & Required<Pick<PageRequest, "readBody">>): Promise<WholeDecision>;
export function decidePage(request: PageRequest): Promise<PageDecision>;
export async function decidePage(request: PageRequest): Promise<PageDecision> {
  const base = baseSecurityHeaders({ https: request.https });
  const refuse = (refusal: Refusal): PageDecision => ({ kind: "refused", ...REFUSALS[refusal], headers: { ...base, "content-type": "text/plain; charset=utf-8" } });
  // The framework would answer 500 when it fails to decode a dynamic segment; the request is simply bad.
  if (isMalformedAddress(request.pathname, request.search)) {
    if (request.method === "GET" && (request.headers.get("accept") ?? "").includes("text/html")) {
      return { kind: "refused", status: 400, text: BAD_ADDRESS_PAGE, headers: { ...base, "content-type": "text/html; charset=utf-8", "content-security-policy": BAD_ADDRESS_PAGE_POLICY } };
    }
    return refuse("bad-address");
  }
  const { isRouteHandler } = buildOutput();
  const refusal = actionRefusal(request, isRouteHandler);
  if (refusal) return refuse(refusal);
  if (isPossibleAction(request, isRouteHandler)) {
    if (!request.readBody) return { kind: "body-unread" };
    const body = await request.readBody(ACTION_BODY_LIMIT_BYTES);
    if (!body) return refuse("too-large");
    if (!(await isDecodableActionBody(request.headers, body))) return refuse("unreadable");
  }
  const home = await signedInHome(request);
  if (home) return { kind: "redirect", to: home, headers: base };
  const prerendered = prerenderedPageHeaders(request);
  if (prerendered) return { kind: "pass", requestHeaders: {}, headers: prerendered };
  const policy = policyFor({ nonce: createNonce() }, request.https);
  // In the request's CSP header, where Next.js reads the nonce for its own tags, and in the answer's;
  // the address asked for, where a sign-in check brings the visitor back to.
  return {
    kind: "pass",
    requestHeaders: { "content-security-policy": policy, [REQUESTED_PATH_HEADER]: `${request.pathname}${request.search}` },
    headers: { ...base, "content-security-policy": policy },
  };
}

type ActionRequest = Pick<PageRequest, "method" | "pathname" | "headers">;

/**
 * A POST Next.js may take for a server action: one to a page with its action header, or a
 * multipart form. Exactly Next.js's own test (server-action-request-meta), so the two agree on
 * what is an action. Route handlers are not server actions: a webhook, posthog-js's batches, a
 * mail client's one-click unsubscribe and a return's photo upload keep their own rules.
 */
function isPossibleAction({ method, pathname, headers }: ActionRequest, isRouteHandler: (pathname: string) => boolean): boolean {
  if (method !== "POST" || isRouteHandler(pathname)) return false;
  return headers.get("next-action") !== null || (headers.get("content-type") ?? "").startsWith("multipart/form-data");
}

/**
 * A server action Next.js would refuse or fail on, refused here with what is wrong with it, from
 * its headers alone. Next.js checks a possible action for a cross-site Origin, and its body for
 * its size limit, by throwing: each such request was answered 500 and logged as the portal's
 * failure. The same checks, answered 403 and 413 (a body sent without its length is measured as
 * proxy.ts reads it). A body compressed, or called as an action but sent as neither text nor a
 * form, Next.js could not decode either: 415. The host compared is the one Next.js compares:
 * X-Forwarded-Host, which the HTTP front removes unless a proxy of ours is trusted to set it
 * (lib/http/client-address.ts), else Host.
 */
export function actionRefusal(request: ActionRequest, isRouteHandler: (pathname: string) => boolean): Refusal | null {
  if (!isPossibleAction(request, isRouteHandler)) return null;
  const { headers } = request;
  const origin = headers.get("origin");
  if (origin !== null && originHost(origin) !== (firstValue(headers.get("x-forwarded-host")) ?? headers.get("host"))) return "cross-site";
  if (Number(headers.get("content-length") ?? 0) > ACTION_BODY_LIMIT_BYTES) return "too-large";
  if (hasEncodedBody(headers) || !isActionContentType(headers.get("content-type"))) return "not-a-form";
  return null;
}

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host || null;
  } catch {
    return null;
  }
}

function firstValue(header: string | null): string | null {
  return header?.split(",")[0].trim() || null;
}

/**
 * Someone signed in who opens /signin goes to their home. The page is prerendered (the same HTML
 * for everyone), so it is asked here, and only when the browser has a session cookie at all: an
 * anonymous visitor costs no lookup, and a revoked or expired session gets the form.
 */
async function signedInHome(request: PageRequest): Promise<string | null> {
  if (request.pathname !== "/signin" || request.method !== "GET" || !hasSessionCookie(request.cookies)) return null;
  const principal = await principalFromCookies(request.cookies);
  return principal ? staffHome(principal.role) : null;
}

let built: BuildOutput | undefined;
/** Read once per process: a build does not change under a running server. `next dev` has no prerendered pages, allows inline styles and checks its server actions itself (every path counts as a route handler here). */
function buildOutput(): BuildOutput {
  built ??= process.env.NODE_ENV === "development" ? { styleHashes: [], prerenderedPages: new Set(), isRouteHandler: () => true } : readBuildOutput(env().NEXT_DIST_DIR);
  return built;
}

let scriptHashesOf: ((pathname: string) => string[]) | undefined;
/** A prerendered page's inline scripts, in every version this server may send (./build-output.ts). */
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
 * new version of the page brings more scripts (the hashes only ever grow): this runs before every
 * such page, so it does as little as it can. A form posted before the page's script ran is
 * answered with HTML rendered now: that one needs a nonce, so only GET and HEAD come here.
 */
function prerenderedPageHeaders(request: PageRequest): Record<string, string> | null {
  if (request.method !== "GET" && request.method !== "HEAD") return null;
  if (!buildOutput().prerenderedPages.has(request.pathname)) return null;
  const hashes = prerenderedScriptHashes(request.pathname);
  const key = `${request.https ? "https" : "http"}:${request.pathname}`;
  let known = prerenderedHeaders.get(key);
  if (known?.scriptCount !== hashes.length) {
    known = { scriptCount: hashes.length, headers: { ...baseSecurityHeaders({ https: request.https }), "content-security-policy": policyFor({ hashes }, request.https) } };
    prerenderedHeaders.set(key, known);
  }
  return known.headers;
}

/** A broken Stripe configuration is reported where payments are used, not on every page. */
function safeStripeConfig() {
  try {
    return stripeConfig();
  } catch {
    return null;
  }
}
