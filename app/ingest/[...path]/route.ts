// posthog-js's only destination: the portal's own origin. Events are stored first (the customer's
// page never waits on PostHog) and forwarded to PostHog from the outbox.
import type { NextRequest } from "next/server";
import { db } from "@/lib/db/client";
import { posthogConfig } from "@/lib/integrations/posthog";
import { kickOutbox } from "@/lib/jobs/runner";
import { ingestBrowserBatch } from "@/lib/trail/ingest";
import { decodePostHogBody, PostHogDecodeError } from "@/lib/trail/posthog-wire";

export const dynamic = "force-dynamic";

const MAX_BODY_BYTES = 1024 * 1024;
const CAPTURE_PATHS = new Set(["e", "i/v0/e", "batch", "capture", "track"]);

async function capture(request: NextRequest): Promise<Response> {
  const body = Buffer.from(await request.arrayBuffer());
  if (body.length > MAX_BODY_BYTES) return Response.json({ error: "payload too large" }, { status: 413 });
  try {
    const events = decodePostHogBody(body, {
      contentType: request.headers.get("content-type"),
      contentEncoding: request.headers.get("content-encoding"),
      compression: request.nextUrl.searchParams.get("compression"),
    });
    await ingestBrowserBatch(db(), events, { forwarding: posthogConfig() !== null });
    kickOutbox();
    return Response.json({ status: 1 });
  } catch (e) {
    // The decoder says why in the server log only; the SDK just needs to know the batch was refused.
    if (e instanceof PostHogDecodeError) {
      console.warn("[ingest] refused a batch:", e.message);
      return Response.json({ type: "validation_error", code: "invalid_payload", detail: "The batch could not be decoded." }, { status: 400 });
    }
    console.error("[ingest] could not store a batch", e);
    return Response.json({ type: "server_error", detail: "could not store events" }, { status: 503 });
  }
}

/** Remote config and flags: from PostHog when it answers quickly, else a local default. */
async function passThrough(request: NextRequest, path: string): Promise<Response> {
  const config = posthogConfig();
  if (config) {
    try {
      const upstream = await fetch(`${config.host}/${path}${request.nextUrl.search}`, {
        method: request.method,
        headers: { "content-type": request.headers.get("content-type") ?? "application/json" },
        body: request.method === "GET" ? undefined : await request.arrayBuffer(),
        signal: AbortSignal.timeout(1500),
      });
      if (upstream.ok) return new Response(await upstream.arrayBuffer(), { status: 200, headers: { "content-type": upstream.headers.get("content-type") ?? "application/json" } });
    } catch {
      // PostHog slow or down: answer locally so the page carries on.
    }
  }
  if (path.startsWith("flags") || path.startsWith("decide")) return Response.json({ featureFlags: {}, featureFlagPayloads: {}, errorsWhileComputingFlags: false });
  if (path.endsWith("config.js")) return new Response("", { headers: { "content-type": "application/javascript" } });
  if (path.startsWith("array/")) return Response.json({ supportedCompression: ["gzip", "gzip-js"], hasFeatureFlags: false, sessionRecording: false, autocapture_opt_out: true });
  return Response.json({}, { status: 404 });
}

async function handle(request: NextRequest, { params }: { params: Promise<{ path: string[] }> }) {
  const path = (await params).path.join("/");
  if (request.method === "POST" && CAPTURE_PATHS.has(path)) return capture(request);
  return passThrough(request, path);
}

export { handle as GET, handle as POST };
