// Plumbing shared by the local stand-ins of outside services (PostHog, Stripe, back office, carrier, SMS).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

export async function readBody(req: IncomingMessage, maxBytes = Number.POSITIVE_INFINITY): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new Error("body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** JSON answer; an undefined body answers with no body at all (e.g. 202 or 204). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

export type ServedStandIn = { url: string; port: number; close(): Promise<void> };

/**
 * Serves `handle` on `host`:`port` (0: any free port). A handler that throws is reported on stderr
 * and answers with the service's own error shape (`crashed`), or drops the connection when its
 * answer had already begun. close() also ends keep-alive sockets, which would otherwise hold it open.
 */
export async function serveStandIn(
  name: string,
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  options: { host: string; port?: number; crashed: (res: ServerResponse) => void },
): Promise<ServedStandIn> {
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error(`${name} failed to answer`, error);
      if (!res.headersSent) options.crashed(res);
      else res.destroy();
    });
  });
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once("error", rejectListen);
    server.listen(options.port ?? 0, options.host, () => {
      server.off("error", rejectListen);
      resolveListen();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolveClose, rejectClose) => {
        server.close((error) => (error ? rejectClose(error) : resolveClose()));
        server.closeAllConnections();
      }),
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}

/** True when the module at `moduleUrl` is the script node was started with (the command-line use). */
export function isRunDirectly(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && resolve(entry) === fileURLToPath(moduleUrl);
}

/**
 * The command-line use of a stand-in (the way playwright.config.ts starts each one): starts it,
 * says where it listens, and closes it on SIGINT or SIGTERM so its port is free for the next run.
 * A start failure is one line, not a stack trace.
 */
export function runStandIn(moduleUrl: string, start: () => Promise<{ url: string; close(): Promise<void> }>, describe: (url: string) => string): void {
  if (!isRunDirectly(moduleUrl)) return;
  start().then(
    (standIn) => {
      console.log(describe(standIn.url));
      const stop = () => void standIn.close().then(() => process.exit(0), () => process.exit(1));
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
