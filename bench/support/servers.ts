// Production builds served by `next start` (the bare baseline) or, for the portal, by its own HTTP
// front as `npm start` serves it (scripts/serve.ts: Next's request handler, and the /ingest event
// batches answered before Next).
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { inheritedEnvironment } from "../../lib/config/env";
import { serveArguments } from "../../scripts/support/serve-command";

export type Served = { url: string; stop(): Promise<void> };

const NEXT_BIN = path.resolve("node_modules/next/dist/bin/next");

/**
 * `next start` in `cwd` on 127.0.0.1:port, or with `front` the portal's HTTP front; resolved once
 * `readyPath` answers 2xx.
 */
export async function startNext(options: { cwd?: string; port: number; env?: Record<string, string>; readyPath?: string; front?: boolean }): Promise<Served> {
  const url = `http://127.0.0.1:${options.port}`;
  // A server left behind by an interrupted run would answer in place of the one started here (which
  // then fails to bind), and the figures would be the stale build's.
  if (await answers(url)) throw new Error(`port ${options.port} is already serving something (a server left by an earlier run?): stop it first`);
  const command = options.front
    ? serveArguments("127.0.0.1", options.port)
    : [NEXT_BIN, "start", "-H", "127.0.0.1", "-p", String(options.port)];
  const child: ChildProcess = spawn(process.execPath, command, {
    cwd: options.cwd,
    env: { ...inheritedEnvironment(), NEXT_TELEMETRY_DISABLED: "1", ...options.env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await waitFor(`${url}${options.readyPath ?? "/"}`, () => child.exitCode !== null);
  return {
    url,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

export async function waitFor(url: string, gaveUp: () => boolean = () => false): Promise<void> {
  for (let i = 0; i < 1200 && !gaveUp(); i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not come up`);
}

/**
 * For a benchmark whose build or server could not start: they have printed why (another build
 * running, a port taken), so one line here, not a stack trace; then `cleanup` (its database) and exit 1.
 */
export async function exitAfterStartFailure(prefix: string, error: unknown, cleanup: () => Promise<unknown>): Promise<never> {
  console.error(`${prefix} ${error instanceof Error ? error.message : String(error)}`);
  await cleanup();
  process.exit(1);
}
