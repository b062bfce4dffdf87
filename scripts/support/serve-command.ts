import { OUTSIDE_NEXT } from "./outside-next-path";

/**
 * Node's arguments for the web server (scripts/serve.ts), as `npm start` and the benchmark run it.
 * `--max-semi-space-size=32` (MB; V8's default is 16): rendering a page allocates about 3 MB that die
 * with the request, and with 20 requests in flight a fifth to a quarter of the default young
 * generation was still alive at each scavenge (`--trace-gc`): copied, then promoted into the old
 * generation to be collected again there. A larger one lets more requests end first. Measured under
 * the benchmark's load (/orders, interleaved rounds): +10–11 % requests per second at 32, 64 and
 * 128 alike, the bare Next.js page +1 % at 64; the cost is up to 32 MB more memory per server.
 */
export function serveArguments(host: string, port: number | string, extra: string[] = []): string[] {
  return ["--max-semi-space-size=32", "--import", "tsx", "--import", OUTSIDE_NEXT, "scripts/serve.ts", "--host", host, "--port", String(port), ...extra];
}
