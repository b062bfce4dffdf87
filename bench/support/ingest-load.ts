// Browsers posting posthog-js batches to /ingest, as many at once as `clients`: the load behind
// `npm run bench:ingest` and the ingest row of `npm run bench`.
import crypto from "node:crypto";
import { gzipSync } from "node:zlib";
import { median } from "./figures";

const STEPS = ["order", "items", "resolution", "review", "method", "confirmation"];

/** One gzip batch of a device's return steps over five journeys, as posthog-js sends it. */
export function batchBody(size: number): Buffer {
  const deviceId = crypto.randomUUID();
  const journeys = Array.from({ length: 5 }, () => crypto.randomUUID());
  const events = Array.from({ length: size }, (_, i) => ({
    uuid: crypto.randomUUID(),
    event: `return_${STEPS[i % STEPS.length]}_viewed`,
    timestamp: new Date().toISOString(),
    properties: { distinct_id: deviceId, $device_id: deviceId, token: "phc_waymark_local", journey_id: journeys[i % journeys.length], journey_type: "return", step: STEPS[i % STEPS.length], device_class: "MOBILE", $current_url: "http://127.0.0.1/returns" },
  }));
  return gzipSync(JSON.stringify(events));
}

async function post(baseUrl: string, body: Buffer): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/ingest/e/?ver=1.449.2`, { method: "POST", headers: { "content-type": "text/plain" }, body: new Uint8Array(body) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

export type IngestLoad = { events: number; seconds: number; eventsPerSecond: number; failures: number; p50Ms: number; p99Ms: number };

export async function measureIngest(baseUrl: string, options: { seconds: number; clients: number; batch: number; warmup?: number }): Promise<IngestLoad> {
  for (let i = 0; i < (options.warmup ?? 20); i++) await post(baseUrl, batchBody(options.batch));
  const latencies: number[] = [];
  let failures = 0;
  const startedAt = performance.now();
  const deadline = startedAt + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.clients }, async () => {
      while (performance.now() < deadline) {
        const body = batchBody(options.batch);
        const t = performance.now();
        if (!(await post(baseUrl, body))) failures++;
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - startedAt) / 1000;
  const events = (latencies.length - failures) * options.batch;
  const sorted = [...latencies].sort((a, b) => a - b);
  return { events, seconds, eventsPerSecond: events / seconds, failures, p50Ms: median(sorted), p99Ms: sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))] };
}
