// The portal's HTTP front, started by scripts/start.ts in place of `next start`: it serves the
// production build through Next's request handler, after deriving each client's address from the
// socket (and from X-Forwarded-For only through TRUST_PROXY_HOPS proxies of our own) into headers
// the app believes (lib/http/client-address.ts). Usage: tsx --import ./scripts/support/outside-next.mjs scripts/serve.ts --host 0.0.0.0 --port 3000
// (scripts/start.ts adds --started-at, its own start time in ms, for the "serving on" line).
import "./support/require-outside-next";
import http from "node:http";
import { parseArgs } from "node:util";
import next from "next";
import { envOrExit } from "../lib/config/env";
import { backgroundWorkSettled, runAfterCommitWorkInBackground } from "../lib/db/client";
import { withClientAddress } from "../lib/http/client-address";
import { DEV_MAILBOX_WARNING } from "../lib/mail/dev-mailbox";
import { stopGracefully } from "./support/graceful-stop";
import { describeStartFailure, listenOn } from "./support/start-failure";

const { values } = parseArgs({ options: { host: { type: "string", default: "0.0.0.0" }, port: { type: "string", default: "3000" }, "started-at": { type: "string" } } });
const port = Number(values.port);
const config = envOrExit("[waymark]");
const hops = config.TRUST_PROXY_HOPS;
const startedAt = Number(values["started-at"] ?? Date.now());
// A customer's answer goes at the commit of their task; the trail's rows are stored right after.
runAfterCommitWorkInBackground();

const app = next({ dev: false, dir: process.cwd(), hostname: values.host, port });
const handle = app.getRequestHandler();
// Next prepares while the port is claimed, so a taken port fails at once; a request that arrives
// before Next is ready waits for it.
const prepared = app.prepare();
// posthog-js's event batches are answered here, by the route's own function, without Next.js's
// per-request routing (scripts/support/ingest-front.ts); everything else goes to Next. The front is
// loaded once Next is prepared: the route's modules need the request storage Next sets up.
// Every other request is decided by the page policy here (scripts/support/page-front.ts) instead
// of proxy.ts, which costs several times as much per request.
const front = prepared.then(() => Promise.all([import("./support/ingest-front"), import("./support/page-front")]));
const server = http.createServer(
  withClientAddress(hops, (request, response) =>
    void front
      .then(([{ isEventBatch, answerEventBatch }, { answerThroughPagePolicy }]) => (isEventBatch(request) ? answerEventBatch(request, response) : answerThroughPagePolicy(request, response, handle)))
      .catch((error: unknown) => {
        console.error("[waymark] request failed before the app answered it:", error instanceof Error ? error.message : error);
        if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
        response.end("Waymark is not available right now. Nothing you did has been lost; try again in a minute.");
      }),
  ),
);

try {
  await Promise.all([listenOn(server, values.host, port), front]);
} catch (error) {
  // One line saying what to do, never a stack trace (as scripts/start.ts does for what comes before).
  console.error(`[waymark] ${describeStartFailure(error)}`);
  if (config.WAYMARK_DEBUG) console.error(error);
  process.exit(1);
}

if (config.WAYMARK_DEV_MAILBOX) console.warn(`[waymark] WARNING ${DEV_MAILBOX_WARNING}`);
if (hops > 0) console.log(`[waymark] client addresses from X-Forwarded-For through ${hops} trusted proxy hop(s)`);
// Only now: the port accepts connections and Next answers them.
console.log(`[waymark] serving on http://localhost:${port} (${((Date.now() - startedAt) / 1000).toFixed(1)} s after start)`);

// A stop (a deploy, or npm start's Ctrl-C) answers what is in flight before the process ends.
// Short: a live board's event stream (/api/frontline/live) and a customer page's offer stream
// (/api/reach-out/stream) never end by themselves, and their browsers reconnect.
const STOP_GRACE_MS = 5_000;
// What the last tasks left for after their commit is done before the process ends (the worker's
// trail-intents duty would store their steps anyway, a few seconds later).
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => void stopGracefully(server, STOP_GRACE_MS).then(backgroundWorkSettled).then(() => process.exit(0)));
}
