// Browsers posting posthog-js batches to /ingest, as many at once as `clients`: the load behind
// `npm run bench:ingest` and the ingest row of `npm run bench`.
//
// The load generator shares the machine's two cores with the server and the database, so it does
// as little as it can while the clock runs: every batch (unique event ids, JSON, gzip) is made
// beforehand, as the COPY it is compared with gets its rows ready beforehand, and each client posts
// over one kept-alive connection with node:http (fetch's web streams cost the generator more CPU per
// request than the endpoint spends decoding the batch).
import crypto from "node:crypto";
import http from "node:http";
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

function post(agent: http.Agent, baseUrl: string, body: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.request(`${baseUrl}/ingest/e/?ver=1.449.2`, { method: "POST", agent, headers: { "content-type": "text/plain", "content-length": body.length } }, (response) => {
      response.resume();
      response.once("end", () => resolve(response.statusCode === 200));
      response.once("error", () => resolve(false));
    });
    request.once("error", () => resolve(false));
    request.end(body);
  });
}

export type IngestLoad = { events: number; seconds: number; eventsPerSecond: number; failures: number; p50Ms: number; p99Ms: number };

/**
 * Posts batches for `seconds` (or until the `maxEventsPerSecond` worth of batches made beforehand
 * run out, which a run reports as a failure to raise the limit: no batch is ever sent twice).
 */
export async function measureIngest(
  baseUrl: string,
  options: { seconds: number; clients: number; batch: number; warmup?: number; maxEventsPerSecond?: number },
): Promise<IngestLoad> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.clients });
  try {
    for (let i = 0; i < (options.warmup ?? 20); i++) await post(agent, baseUrl, batchBody(options.batch));
    const bodies = Array.from({ length: Math.ceil((options.seconds * (options.maxEventsPerSecond ?? 30_000)) / options.batch) }, () => batchBody(options.batch));
    const latencies: number[] = [];
    let failures = 0;
    let next = 0;
    const startedAt = performance.now();
    const deadline = startedAt + options.seconds * 1000;
    await Promise.all(
      Array.from({ length: options.clients }, async () => {
        while (performance.now() < deadline) {
          if (next === bodies.length) throw new Error(`all ${bodies.length} batches made beforehand were sent before the time was up: raise maxEventsPerSecond`);
          const body = bodies[next++];
          const t = performance.now();
          if (!(await post(agent, baseUrl, body))) failures++;
          latencies.push(performance.now() - t);
        }
      }),
    );
    const seconds = (performance.now() - startedAt) / 1000;
    const events = (latencies.length - failures) * options.batch;
    const sorted = [...latencies].sort((a, b) => a - b);
    return { events, seconds, eventsPerSecond: events / seconds, failures, p50Ms: median(sorted), p99Ms: sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))] };
  } finally {
    agent.destroy();
  }
}
