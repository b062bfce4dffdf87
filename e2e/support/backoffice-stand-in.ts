// A stand-in back office (ERP, CRM, …) receiving Waymark's business-event webhooks (plain node:http).
//
// It checks OUR side of the contract of lib/integrations/backoffice.ts: every delivery carries the
// Standard Webhooks headers and a v1 signature that verifies with the endpoint's secret over the raw
// body, the body is a JSON event envelope, and retries keep the webhook-id. Like a careful receiver it
// answers 2xx to a repeated id without processing it again, and counts how often each id came. It is
// not any real ERP or CRM.
//
// Every path below the root is an endpoint of its own (/erp, /crm, …), each with its own outage switch.
//
// Run standalone (Playwright webServer):  npx tsx e2e/support/backoffice-stand-in.ts --port 12113 --secret whsec_… [--host 127.0.0.1]
// From Vitest:                            const backOffice = await startBackOfficeStandIn({ port: 0, secret });
//
// Inspection and control, under `/_` and never affected by outages:
//   GET /_health · GET /_deliveries · DELETE /_deliveries · POST /_control/down {"endpoint"?: "erp", "down": true|false}
import type { IncomingMessage, ServerResponse } from "node:http";
import { parseArgs } from "node:util";
import { verifyWebhook } from "../../lib/integrations/backoffice-signature";
import { runStandIn, serveStandIn } from "./stand-in-http";

export type BackOfficeDelivery = {
  endpoint: string;
  webhookId: string | null;
  /** The body's event type when the body was a JSON envelope. */
  type: string | null;
  body: unknown;
  signature: "valid" | "invalid";
  /** What the stand-in answered: 2xx accepted, 400 refused (bad signature or body), 503 simulated outage. */
  status: number;
  /** The first accepted delivery of this webhook-id at this endpoint (a receiver processes only these). */
  firstOfItsId: boolean;
  receivedAt: string;
};

export interface BackOfficeStandIn {
  url: string;
  port: number;
  endpointUrl(endpoint: string): string;
  /** Every request received, accepted or not, oldest first. */
  deliveries(endpoint?: string): BackOfficeDelivery[];
  /** How many accepted (2xx) deliveries each webhook-id got at one endpoint. */
  acceptedCounts(endpoint: string): Map<string, number>;
  /** Takes one endpoint, or every endpoint (no name), down or back up. */
  setDown(down: boolean, endpoint?: string): void;
  clear(): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 256 * 1024;
// A real outage seldom fails instantly.
const OUTAGE_ANSWER_DELAY_MS = 50;
const ALL = "*";

export async function startBackOfficeStandIn(options: { port?: number; host?: string; secret: string | Record<string, string> }): Promise<BackOfficeStandIn> {
  const host = options.host ?? "127.0.0.1";
  const received: BackOfficeDelivery[] = [];
  const down = new Set<string>();
  const secretOf = (endpoint: string) => (typeof options.secret === "string" ? options.secret : options.secret[endpoint]);

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const body = await readBody(req);
    if (url.pathname.startsWith("/_")) return control(req.method ?? "GET", url.pathname, body, res);

    const endpoint = url.pathname.replace(/^\/+|\/+$/g, "");
    if (req.method !== "POST" || !/^[a-z0-9][a-z0-9_-]*$/.test(endpoint)) return send(res, 404, { error: "POST to /<endpoint>" });
    const webhookId = typeof req.headers["webhook-id"] === "string" ? req.headers["webhook-id"] : null;
    const secret = secretOf(endpoint);
    const signature = secret && verifyWebhook(secret, req.headers, body).ok ? "valid" : "invalid";
    const envelope = parseJson(body);
    const type = isRecord(envelope) && typeof envelope.type === "string" ? envelope.type : null;
    const record = (status: number) => {
      const firstOfItsId = status < 300 && !received.some((d) => d.endpoint === endpoint && d.webhookId === webhookId && d.status < 300);
      received.push({ endpoint, webhookId, type, body: envelope, signature, status, firstOfItsId, receivedAt: new Date().toISOString() });
    };

    if (down.has(endpoint) || down.has(ALL)) {
      await new Promise((r) => setTimeout(r, OUTAGE_ANSWER_DELAY_MS));
      record(503);
      return send(res, 503, { error: "back office stand-in is simulating an outage" });
    }
    if (signature === "invalid") {
      record(400);
      return send(res, 400, { error: "signature not accepted" });
    }
    if (!type || !isRecord(envelope) || typeof envelope.id !== "string" || envelope.id !== webhookId || !isRecord(envelope.data)) {
      record(400);
      return send(res, 400, { error: "expected {id, type, timestamp, data} with id equal to webhook-id" });
    }
    record(200);
    return send(res, 200, { received: true });
  }

  function control(method: string, path: string, body: string, res: ServerResponse) {
    if (method === "GET" && path === "/_health") return send(res, 200, { ok: true });
    if (method === "GET" && path === "/_deliveries") return send(res, 200, received);
    if (method === "DELETE" && path === "/_deliveries") {
      received.length = 0;
      return send(res, 204, undefined);
    }
    if (method === "POST" && path === "/_control/down") {
      const request = parseJson(body);
      if (!isRecord(request) || typeof request.down !== "boolean" || (request.endpoint !== undefined && typeof request.endpoint !== "string")) {
        return send(res, 400, { error: 'expected {"down": true|false, "endpoint"?: "name"}' });
      }
      setDown(request.down, request.endpoint as string | undefined);
      return send(res, 200, { down: [...down] });
    }
    return send(res, 404, { error: `no control ${method} ${path}` });
  }

  function setDown(value: boolean, endpoint?: string) {
    if (endpoint === undefined) down.clear();
    if (value) down.add(endpoint ?? ALL);
    else if (endpoint !== undefined) down.delete(endpoint);
  }

  const served = await serveStandIn("back office stand-in", handle, { host, port: options.port, crashed: (res) => send(res, 500, { error: "stand-in crashed; see its stderr" }) });
  const { port, url } = served;

  return {
    url,
    port,
    endpointUrl: (endpoint) => `${url}/${endpoint}`,
    deliveries: (endpoint) => received.filter((d) => endpoint === undefined || d.endpoint === endpoint),
    acceptedCounts: (endpoint) => {
      const counts = new Map<string, number>();
      for (const d of received) if (d.endpoint === endpoint && d.status < 300 && d.webhookId) counts.set(d.webhookId, (counts.get(d.webhookId) ?? 0) + 1);
      return counts;
    },
    setDown,
    clear: () => {
      received.length = 0;
    },
    close: served.close,
  };
}

function send(res: ServerResponse, status: number, body: unknown) {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error("body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

runStandIn(
  import.meta.url,
  async () => {
    const { values } = parseArgs({ options: { port: { type: "string", default: "12113" }, host: { type: "string", default: "127.0.0.1" }, secret: { type: "string" } } });
    const port = Number(values.port);
    const secret = values.secret ?? process.env.BACKOFFICE_SIGNING_SECRET;
    if (!Number.isInteger(port) || port < 0 || !secret) throw new Error("usage: backoffice-stand-in.ts --secret whsec_… [--port 12113] [--host 127.0.0.1]");
    return startBackOfficeStandIn({ port, host: values.host, secret });
  },
  (url) => `Back office stand-in listening on ${url}`,
);
