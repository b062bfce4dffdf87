// The anonymous /ingest endpoint: posthog-js's only destination. Anyone can call it, so it answers
// only the few PostHog paths posthog-js uses (everything else 404), spends from a per-client budget
// before any work (429), refuses bodies too large to be a batch, compressed or inflated (413), and
// works on a bounded number of batches at once (503).
// Batches are stored first and forwarded from the outbox; /flags and the remote config are relayed
// to PostHog with every URL scrubbed, or answered locally.
import "server-only";
import { isLiveSessionOf } from "@/lib/accounts/sessions";
import { localBudget } from "@/lib/auth/local-budget";
import type { SpendResult } from "@/lib/auth/rate-limit";
import type { Db } from "@/lib/db/client";
import { readCappedBody } from "@/lib/http/body";
import { clientAddress, type HeaderGetter } from "@/lib/http/client-address";
import { inFlightLimit, type InFlightLimit } from "@/lib/http/in-flight";
import { relayToPostHog, type PostHogConfig } from "@/lib/integrations/posthog";
import { ingestBrowserBatch } from "./ingest";
import { decodePostHogBody, decodePostHogJson, PostHogBodyTooLargeError, PostHogDecodeError, type PostHogBodyHeaders } from "./posthog-wire";
import { scrubProperties } from "./url-scrub";

export const INGEST_LIMITS = {
  /** posthog-js batches are a few kilobytes compressed; 1 MiB is far beyond any real one. */
  maxCompressedBytes: 1024 * 1024,
  maxInflatedBytes: 5 * 1024 * 1024,
  /**
   * Bodies read and decoded at once by one process. Each is capped, but hundreds in parallel from
   * as many addresses would add up to gigabytes; a real batch takes milliseconds, so 16 at once is
   * far beyond a process's real load (the benchmark's 8 clients keep at most 8 in flight).
   */
  maxBatchesInFlight: 16,
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PROJECT_TOKEN = /^[A-Za-z0-9_-]{1,100}$/;
// Query parameters PostHog's /flags reads; the rest (timestamps, SDK version, compression) stay here.
const FLAGS_QUERY = ["v", "config"];

/**
 * What the endpoint reads of a request: a route's fetch Request (ingestRequestOf), or the HTTP
 * front's Node request as it arrives (scripts/support/ingest-front.ts), for which building a web
 * Request and a stream of its body cost more CPU than decoding the batch.
 */
export type IngestRequest = {
  method: string;
  url: string;
  headers: HeaderGetter;
  /** The body, or null as soon as it is known to exceed `max` bytes (announced or actually sent). */
  readBody(max: number): Promise<Buffer | null>;
};

export function ingestRequestOf(request: Request): IngestRequest {
  return { method: request.method, url: request.url, headers: request.headers, readBody: (max) => readCappedBody(request, max) };
}

export type IngestDeps = {
  db: Db;
  /** Null when the trail is not forwarded: flags and config are then answered locally. */
  posthog: PostHogConfig | null;
  /** Takes one request from this client's budget. */
  spend: (request: IngestRequest) => Promise<SpendResult>;
  /** The session id the request's cookie carries, if any; the batch checks it is live (lib/trail/ingest.ts). */
  sessionId: (request: IngestRequest) => Promise<string | null>;
  /** Called after a batch is stored, to deliver it soon. */
  onStored?: () => void;
  limits?: Partial<typeof INGEST_LIMITS>;
  /** The process's ceiling on batches in flight (one per process, shared by the front and the route). */
  inFlight?: InFlightLimit;
};

export type IngestRoute = { kind: "capture" } | { kind: "flags" } | { kind: "config"; token: string } | { kind: "config-script" };

/**
 * The PostHog paths posthog-js 1.449.2 calls with our settings (no session recording, surveys or
 * site apps): events, flags, and the remote config. Null for everything else.
 */
export function ingestRoute(method: string, segments: string[]): IngestRoute | null {
  const path = segments.filter(Boolean).join("/");
  if (method === "POST" && (path === "e" || path === "i/v0/e")) return { kind: "capture" };
  if (method === "POST" && path === "flags") return { kind: "flags" };
  const config = /^array\/([^/]+)\/config(\.js)?$/.exec(path);
  if (method === "GET" && config && PROJECT_TOKEN.test(config[1])) return config[2] ? { kind: "config-script" } : { kind: "config", token: config[1] };
  return null;
}

export async function handleIngest(received: Request | IngestRequest, segments: string[], deps: IngestDeps): Promise<Response> {
  const request = received instanceof Request ? ingestRequestOf(received) : received;
  const route = ingestRoute(request.method, segments);
  if (!route) return Response.json({ type: "not_found", detail: "Not found." }, { status: 404 });
  const budget = await deps.spend(request);
  if (!budget.ok) {
    return Response.json({ type: "rate_limited", detail: "Too many requests." }, { status: 429, headers: { "retry-after": String(budget.retryAfterSeconds) } });
  }
  const inFlight = deps.inFlight ?? (ownInFlight ??= inFlightLimit(INGEST_LIMITS.maxBatchesInFlight));
  switch (route.kind) {
    case "capture":
      return inFlight(() => capture(request, deps), BUSY);
    case "flags":
      return inFlight(() => flags(request, deps), BUSY);
    case "config":
      return remoteConfig(route.token, deps);
    case "config-script":
      // Site apps would run PostHog-served code in our origin; none are used, so nothing is relayed.
      return new Response("", { headers: { "content-type": "application/javascript" } });
  }
}

let ownInFlight: InFlightLimit | undefined;

// posthog-js and the trail's sender both keep a batch refused this way and send it again later.
const BUSY = () => Response.json({ type: "busy", detail: "Too many batches at once; send it again shortly." }, { status: 503, headers: { "retry-after": "1" } });

const TOO_LARGE = () => Response.json({ type: "validation_error", code: "payload_too_large", detail: "The batch is too large." }, { status: 413 });

async function capture(request: IngestRequest, deps: IngestDeps): Promise<Response> {
  const limits = { ...INGEST_LIMITS, ...deps.limits };
  const body = await request.readBody(limits.maxCompressedBytes);
  if (!body) return TOO_LARGE();
  try {
    const events = decodePostHogBody(body, { ...wireHeaders(request), maxInflatedBytes: limits.maxInflatedBytes });
    await ingestBrowserBatch(deps.db, events, { forwarding: deps.posthog !== null, sessionId: await deps.sessionId(request) });
    deps.onStored?.();
    return Response.json({ status: 1 });
  } catch (e) {
    if (e instanceof PostHogBodyTooLargeError) return TOO_LARGE();
    // The decoder says why in the server log only; the SDK just needs to know the batch was refused.
    if (e instanceof PostHogDecodeError) {
      console.warn("[ingest] refused a batch:", e.message);
      return Response.json({ type: "validation_error", code: "invalid_payload", detail: "The batch could not be decoded." }, { status: 400 });
    }
    console.error("[ingest] could not store a batch", e);
    return Response.json({ type: "server_error", detail: "could not store events" }, { status: 503 });
  }
}

const NO_FLAGS = () => Response.json({ featureFlags: {}, featureFlagPayloads: {}, errorsWhileComputingFlags: false });

/**
 * Flags from PostHog when it answers quickly, else none. What goes to PostHog is the request with
 * every URL scrubbed (posthog-js sends $initial_current_url and friends as person properties), and
 * nothing at all for a person who declined analytics or deleted their account.
 */
async function flags(request: IngestRequest, deps: IngestDeps): Promise<Response> {
  const limits = { ...INGEST_LIMITS, ...deps.limits };
  const body = await request.readBody(limits.maxCompressedBytes);
  if (!body) return TOO_LARGE();
  if (!deps.posthog) return NO_FLAGS();
  let decoded: unknown;
  try {
    decoded = decodePostHogJson(body, { ...wireHeaders(request), maxInflatedBytes: limits.maxInflatedBytes });
  } catch (e) {
    return e instanceof PostHogBodyTooLargeError ? TOO_LARGE() : NO_FLAGS();
  }
  if (typeof decoded !== "object" || decoded === null || Array.isArray(decoded)) return NO_FLAGS();
  const flagsRequest = decoded as Record<string, unknown>;
  if (!(await mayReachPostHog(deps.db, flagsRequest.distinct_id, await deps.sessionId(request)))) return NO_FLAGS();

  const query = new URLSearchParams();
  const incoming = new URL(request.url).searchParams;
  for (const name of FLAGS_QUERY) if (incoming.has(name)) query.set(name, incoming.get(name)!);
  const upstream = await relayToPostHog(deps.posthog, `/flags/?${query}`, { method: "POST", body: JSON.stringify(scrubProperties(flagsRequest)) });
  return upstream ?? NO_FLAGS();
}

/** The remote config from PostHog when it answers quickly, else a local one that turns nothing on. */
async function remoteConfig(token: string, deps: IngestDeps): Promise<Response> {
  const upstream = deps.posthog ? await relayToPostHog(deps.posthog, `/array/${token}/config`, { method: "GET" }) : null;
  return upstream ?? Response.json({ supportedCompression: ["gzip", "gzip-js"], hasFeatureFlags: false, sessionRecording: false, autocapture_opt_out: true });
}

/**
 * Anonymous visitors who reached this point accepted analytics. A customer's flags are asked only
 * for the customer of the request's own live session, and as their account's consent says: anyone
 * else naming a customer's id would read what PostHog holds about them (flags follow person properties).
 */
async function mayReachPostHog(db: Db, distinctId: unknown, sessionId: string | null): Promise<boolean> {
  if (typeof distinctId !== "string" || !UUID.test(distinctId)) return true;
  const [account] = await db.$queryRaw<{ reachable: boolean }[]>`
    SELECT u."analyticsConsent" AND ${isLiveSessionOf(sessionId)} AS "reachable"
    FROM "User" u WHERE u."analyticsId" = ${distinctId.toLowerCase()}::uuid`;
  return account?.reachable ?? true;
}

function wireHeaders(request: IngestRequest): PostHogBodyHeaders {
  return {
    contentType: request.headers.get("content-type"),
    contentEncoding: request.headers.get("content-encoding"),
    compression: new URL(request.url).searchParams.get("compression"),
  };
}

/**
 * The per-client request budget, keyed by the client address our HTTP front derives from the
 * socket (a client-sent X-Forwarded-For is never the key). Kept in this process's memory
 * (lib/auth/local-budget.ts): a database write per request cost /ingest more than storing the
 * batch did. Each web replica counts on its own, so a client spreading its requests over N
 * replicas gets at most N times `requestsPerMinute`.
 */
export function ingestBudget(requestsPerMinute: number): (request: IngestRequest) => Promise<SpendResult> {
  const spendFrom = localBudget({ points: requestsPerMinute, durationSeconds: 60 });
  return async (request) => spendFrom(clientAddress(request.headers));
}
