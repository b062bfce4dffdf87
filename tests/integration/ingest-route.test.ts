// posthog-js's event batches as the production HTTP front answers them (scripts/serve.ts answers
// /ingest/e/ and /ingest/i/v0/e/ itself, before Next.js, and proxy.ts's matcher skips them): a
// real HTTP server, the route's own function, real PostgreSQL. What a browser and an attacker
// notice: batches stored once, every answer with the security headers proxy.ts would have set,
// oversized bodies and spent budgets refused, and everything else left to Next.js.
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSession } from "@/lib/accounts/sessions";
import { withClientAddress } from "@/lib/http/client-address";
import { answerEventBatch, isEventBatch } from "../../scripts/support/ingest-front";
import { freshDatabaseForActions } from "../support/db";

const database = freshDatabaseForActions();
const BUDGET = 8;
let server: http.Server;
let base: string;

beforeAll(async () => {
  process.env.INGEST_REQUESTS_PER_MINUTE = String(BUDGET);
  process.env.NEXTAUTH_SECRET ??= "ingest-route-test-secret";
  server = http.createServer(withClientAddress(0, (request, response) => (isEventBatch(request) ? void answerEventBatch(request, response) : response.writeHead(418).end())));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  delete process.env.INGEST_REQUESTS_PER_MINUTE;
});

let spent = 0;
async function send(path: string, init: RequestInit = {}): Promise<Response> {
  spent++;
  return fetch(`${base}${path}`, init);
}

// A visitor's tasks (a device alone may start them), one view of each step.
const VISITOR_STEPS = [["signup", "details"], ["signup", "email"], ["signup", "account"], ["password_reset", "request"], ["password_reset", "email"]] as const;

/** A signed-out device's first views of a sign-up and a password reset, one event per step. */
function visitorSteps(count: number) {
  const deviceId = crypto.randomUUID();
  const journeyIds = { signup: crypto.randomUUID(), password_reset: crypto.randomUUID() };
  return VISITOR_STEPS.slice(0, count).map(([type, step]) => ({
    uuid: crypto.randomUUID(),
    event: `${type}_${step}_viewed`,
    timestamp: new Date().toISOString(),
    properties: { distinct_id: deviceId, $device_id: deviceId, journey_id: journeyIds[type], step, $current_url: "https://portal.test/signup?token=secret" },
  }));
}

function expectDataAnswerHeaders(response: Response) {
  expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("x-frame-options")).toBe("DENY");
  expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  expect(response.headers.get("cache-control")).toBe("no-store, no-transform");
}

describe("the HTTP front answers posthog-js's event batches", () => {
  it("stores a gzip batch once however often it is sent, on both capture paths, with the security headers", async () => {
    const events = visitorSteps(5);
    const body = new Uint8Array(gzipSync(JSON.stringify(events)));
    for (const path of ["/ingest/e/?ver=1.449.2", "/ingest/i/v0/e/?ver=1.449.2", "/ingest/e/?ver=1.449.2"]) {
      const response = await send(path, { method: "POST", headers: { "content-type": "text/plain" }, body });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 1 });
      expectDataAnswerHeaders(response);
    }
    expect(await database.db.trailEvent.count({ where: { id: { in: events.map((e) => e.uuid) } } })).toBe(5);
  });

  it("answers 413 to a body over the limit sent without a length, with the headers, and stores nothing", async () => {
    const events = visitorSteps(1);
    const padding = crypto.randomBytes(1024 * 1024).toString("base64");
    const huge = new Blob([JSON.stringify(events).slice(0, -1), `,${JSON.stringify({ event: "$pageview", properties: { padding } })}]`]);
    const response = await send("/ingest/e/", { method: "POST", headers: { "content-type": "application/json" }, body: huge.stream(), duplex: "half" } as RequestInit);
    expect(response.status).toBe(413);
    expectDataAnswerHeaders(response);
    expect(await database.db.trailEvent.count({ where: { id: events[0].uuid } })).toBe(0);
  });

  it("takes the customer from the session cookie the batch arrives with, and only from a live one", async () => {
    const user = await database.db.user.create({ data: { name: "Cookie", email: `cookie-${crypto.randomUUID()}@example.com`, role: "CUSTOMER" } });
    const session = await openSession(database.db, user.id, "vitest");
    const cookieOf = async (sid: string) => `theme=dark; next-auth.session-token=${await encode({ token: { sid }, secret: process.env.NEXTAUTH_SECRET!, maxAge: 3600 })}`;
    const asCustomer = (journeyId: string) => [{ uuid: crypto.randomUUID(), event: "return_order_viewed", timestamp: new Date().toISOString(), properties: { distinct_id: user.analyticsId, $device_id: crypto.randomUUID(), journey_id: journeyId, step: "order" } }];
    const attempts = { signedIn: crypto.randomUUID(), noCookie: crypto.randomUUID(), unknownSession: crypto.randomUUID() };
    const cookies = { signedIn: await cookieOf(session.id), noCookie: undefined, unknownSession: await cookieOf("ses_nobody") };
    for (const [label, journeyId] of Object.entries(attempts)) {
      const cookie = cookies[label as keyof typeof cookies];
      const response = await send("/ingest/e/", { method: "POST", headers: { "content-type": "text/plain", ...(cookie ? { cookie } : {}) }, body: JSON.stringify(asCustomer(journeyId)) });
      expect(response.status, label).toBe(200);
    }
    const owners = await database.db.journey.findMany({ where: { id: { in: Object.values(attempts) } }, select: { id: true, userId: true } });
    // Without a live session the step names no one: a return, which only a customer takes, is not started at all.
    expect(Object.fromEntries(Object.entries(attempts).map(([label, id]) => [label, owners.find((j) => j.id === id)?.userId ?? "not started"]))).toEqual({ signedIn: user.id, noCookie: "not started", unknownSession: "not started" });
  });

  it("answers 404 to what is not a batch on those paths, and leaves the rest of /ingest to Next.js", async () => {
    // Not a route posthog-js uses: refused before the budget is spent.
    const notFound = await fetch(`${base}/ingest/e/`);
    expect(notFound.status).toBe(404);
    expectDataAnswerHeaders(notFound);
    // Flags and the remote config pass through proxy.ts and the route, as every page does.
    expect((await fetch(`${base}/ingest/flags/?v=2`, { method: "POST", body: "{}" })).status).toBe(418);
    expect((await fetch(`${base}/ingest/e`, { method: "POST", body: "[]" })).status).toBe(418);
  });

  it("spends from the client's budget like the route, and answers 429 once it is spent", async () => {
    while (spent < BUDGET) expect((await send("/ingest/e/", { method: "POST", body: "[]" })).status).not.toBe(429);
    const refused = await send("/ingest/e/", { method: "POST", body: "[]" });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expectDataAnswerHeaders(refused);
  });
});
