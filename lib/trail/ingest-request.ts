// One /ingest request answered, as the route (app/ingest/[...path]/route.ts) and the HTTP front
// (scripts/serve.ts, for the event batches) both do: the same budget, database and headers.
import "server-only";
import { sessionIdFromCookie, type CookieJar } from "@/lib/auth/session-cookie";
import { env } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { inFlightLimit, type InFlightLimit } from "@/lib/http/in-flight";
import { dataAnswerHeaders } from "@/lib/http/security-headers";
import { posthogConfig } from "@/lib/integrations/posthog";
import { kickOutbox } from "@/lib/jobs/kick";
import { handleIngest, ingestBudget, INGEST_LIMITS, type IngestRequest } from "./ingest-endpoint";
import { skipsProxy } from "./ingest-paths";

// One budget and one ceiling on batches in flight per process, on globalThis: the front and Next's
// bundle load this module apart, and a client must not get a budget (or the process a ceiling) in each.
const shared = globalThis as unknown as { waymarkIngestBudget?: ReturnType<typeof ingestBudget>; waymarkIngestInFlight?: InFlightLimit };

/** `request` with the cookies it carries (a NextRequest's, or parsed by the front). */
export async function answerIngest(request: IngestRequest & { cookies: CookieJar }, segments: string[]): Promise<Response> {
  const spend = (shared.waymarkIngestBudget ??= ingestBudget(env().INGEST_REQUESTS_PER_MINUTE));
  const inFlight = (shared.waymarkIngestInFlight ??= inFlightLimit(INGEST_LIMITS.maxBatchesInFlight));
  const response = await handleIngest(request, segments, { db: db(), posthog: posthogConfig(), spend, inFlight, sessionId: () => sessionIdFromCookie(request.cookies), onStored: kickOutbox });
  // proxy.ts does not run for the event batches: their answers get its headers here.
  if (skipsProxy(new URL(request.url).pathname)) for (const [name, value] of Object.entries(dataAnswerHeaders(request))) response.headers.set(name, value);
  return response;
}
