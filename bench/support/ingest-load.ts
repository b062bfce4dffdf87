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
import { encode } from "next-auth/jwt";
import { openSession } from "../../lib/accounts/sessions";
import type { Db } from "../../lib/db/client";
import { median } from "./figures";

// A return's steps up to its submit, each viewed once per attempt: what a tab sends while the
// customer walks the form (its confirmation is the server's to record).
const STEPS = ["order", "items", "resolution", "review", "method"];

/** A signed-in customer's browser: the session cookie its requests carry, and the ids its events name. */
export type IngestClient = { cookie: string; analyticsId: string; deviceId: string };

/**
 * Customers signed in on the portal under test, one per client, as its sign-in would leave them:
 * a live session each, in the cookie next-auth encodes with the portal's secret. A return is a
 * task only customers take: /ingest refuses a device alone starting one (lib/trail/attempts.ts).
 */
export async function signedInClients(db: Db, count: number, secret: string): Promise<IngestClient[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const user = await db.user.create({ data: { name: `Bench Browser ${i + 1}`, email: `bench-ingest-${crypto.randomUUID()}@example.com`, role: "CUSTOMER", analyticsConsent: true } });
      const session = await openSession(db, user.id, "bench");
      const token = await encode({ token: { sid: session.id }, secret, maxAge: 3600 });
      return { cookie: `next-auth.session-token=${token}`, analyticsId: user.analyticsId, deviceId: crypto.randomUUID() };
    }),
  );
}

/**
 * One gzip batch of the client's return steps, as posthog-js sends it: each event a step not seen
 * before in its attempt (five per attempt), so every event is one the trail stores.
 */
export function batchBody(client: IngestClient, size: number): Buffer {
  const journeys = Array.from({ length: Math.ceil(size / STEPS.length) }, () => crypto.randomUUID());
  const events = Array.from({ length: size }, (_, i) => ({
    uuid: crypto.randomUUID(),
    event: `return_${STEPS[i % STEPS.length]}_viewed`,
    timestamp: new Date().toISOString(),
    properties: {
      distinct_id: client.analyticsId,
      $device_id: client.deviceId,
      token: "phc_waymark_local",
      journey_id: journeys[Math.floor(i / STEPS.length)],
      journey_type: "return",
      step: STEPS[i % STEPS.length],
      step_index: i % STEPS.length,
      action: "viewed",
      device_class: "MOBILE",
      $current_url: "http://127.0.0.1/orders/WM-100001/return",
    },
  }));
  return gzipSync(JSON.stringify(events));
}

function post(agent: http.Agent, baseUrl: string, { body, cookie }: Batch): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.request(`${baseUrl}/ingest/e/?ver=1.449.2`, { method: "POST", agent, headers: { "content-type": "text/plain", "content-length": body.length, cookie } }, (response) => {
      response.resume();
      response.once("end", () => resolve(response.statusCode === 200));
      response.once("error", () => resolve(false));
    });
    request.once("error", () => resolve(false));
    request.end(body);
  });
}

type Batch = { body: Buffer; cookie: string };

function batchOf(clients: IngestClient[], n: number, size: number): Batch {
  const client = clients[n % clients.length];
  return { body: batchBody(client, size), cookie: client.cookie };
}

export type IngestLoad = { events: number; seconds: number; eventsPerSecond: number; failures: number; p50Ms: number; p99Ms: number };

/**
 * Posts batches for `seconds` (or until the `maxEventsPerSecond` worth of batches made beforehand
 * run out, which a run reports as a failure to raise the limit: no batch is ever sent twice).
 */
export async function measureIngest(
  baseUrl: string,
  clients: IngestClient[],
  options: { seconds: number; batch: number; warmup?: number; maxEventsPerSecond?: number },
): Promise<IngestLoad> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients.length });
  try {
    for (let i = 0; i < (options.warmup ?? 20); i++) await post(agent, baseUrl, batchOf(clients, i, options.batch));
    const bodies = Array.from({ length: Math.ceil((options.seconds * (options.maxEventsPerSecond ?? 30_000)) / options.batch) }, (_, n) => batchOf(clients, n, options.batch));
    const latencies: number[] = [];
    let failures = 0;
    let next = 0;
    const startedAt = performance.now();
    const deadline = startedAt + options.seconds * 1000;
    await Promise.all(
      clients.map(async () => {
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
