// posthog-js's only destination: the portal's own origin. The rules (which paths, budgets, sizes,
// what is relayed) live in lib/trail/ingest-endpoint.ts.
import type { NextRequest } from "next/server";
import { sessionIdFromCookie } from "@/lib/auth/session-cookie";
import { env } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { posthogConfig } from "@/lib/integrations/posthog";
import { kickOutbox } from "@/lib/jobs/kick";
import { handleIngest, ingestBudget } from "@/lib/trail/ingest-endpoint";

export const dynamic = "force-dynamic";

let spend: ReturnType<typeof ingestBudget> | undefined;

async function handle(request: NextRequest, { params }: { params: Promise<{ path: string[] }> }) {
  spend ??= ingestBudget(env().INGEST_REQUESTS_PER_MINUTE);
  return handleIngest(request, (await params).path, { db: db(), posthog: posthogConfig(), spend, sessionId: () => sessionIdFromCookie(request.cookies), onStored: kickOutbox });
}

export { handle as GET, handle as POST };
