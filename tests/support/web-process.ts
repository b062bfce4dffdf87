// A web process for the multi-process test (tests/integration/worker.test.ts): the portal's own route
// handlers for /ingest and the carrier webhook, in a process of their own behind a plain Node HTTP
// server and the same client-address front as scripts/serve.ts. No Next.js build is needed (npm test
// runs Vitest before it builds); what is under test — the handlers writing the business transaction
// and its outbox rows, then kicking the workers — is the portal's code, unchanged.
// Usage: tsx --import ./scripts/support/outside-next.mjs tests/support/web-process.ts (prints its port).
import "../../scripts/support/require-outside-next";
import http from "node:http";
import { NextRequest } from "next/server";
import { POST as carrierWebhook } from "@/app/api/carrier/webhook/route";
import { POST as ingest } from "@/app/ingest/[...path]/route";
import { envOrExit } from "@/lib/config/env";
import { withClientAddress } from "@/lib/http/client-address";

envOrExit("[web]");

async function route(request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  if (pathname === "/api/carrier/webhook") return carrierWebhook(request);
  if (pathname.startsWith("/ingest/")) return ingest(new NextRequest(request), { params: Promise.resolve({ path: pathname.slice("/ingest/".length).split("/") }) });
  return new Response("not found", { status: 404 });
}

const server = http.createServer(
  withClientAddress(0, (incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const headers = new Headers(Object.entries(incoming.headers).flatMap(([name, value]): [string, string][] => (typeof value === "string" ? [[name, value]] : [])));
      const request = new Request(`http://127.0.0.1${incoming.url ?? "/"}`, { method: incoming.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
      void route(request)
        .then(async (response) => {
          outgoing.writeHead(response.status, Object.fromEntries(response.headers));
          outgoing.end(Buffer.from(await response.arrayBuffer()));
        })
        .catch((error: unknown) => {
          console.error("[web]", error);
          outgoing.writeHead(500).end();
        });
    });
  }),
);
server.listen(0, "127.0.0.1", () => console.log(`[web] listening on ${(server.address() as { port: number }).port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
