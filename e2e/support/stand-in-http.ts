// Plumbing shared by the local stand-ins of outside services (PostHog, Stripe, back office).
import type { IncomingMessage, ServerResponse } from "node:http";
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
