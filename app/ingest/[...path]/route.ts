// posthog-js's only destination: the portal's own origin. The rules (which paths, budgets, sizes,
// what is relayed) live in lib/trail/ingest-endpoint.ts. In production the HTTP front
// (scripts/serve.ts) answers the event batches itself, with the same function, before Next.js.
import type { NextRequest } from "next/server";
import { ingestRequestOf } from "@/lib/trail/ingest-endpoint";
import { answerIngest } from "@/lib/trail/ingest-request";

export const dynamic = "force-dynamic";

async function handle(request: NextRequest, { params }: { params: Promise<{ path: string[] }> }) {
  return answerIngest({ ...ingestRequestOf(request), cookies: request.cookies }, (await params).path);
}

export { handle as GET, handle as POST };
