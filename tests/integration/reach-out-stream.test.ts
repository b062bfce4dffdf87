// The customer page's offer stream and the process's health, through their real route handlers on a
// real database: an agent's offer arrives on the open stream through NOTIFY, a revoked session
// receives nothing more and ends at its next heartbeat, freeing its place, and /api/health says degraded while the LISTEN connection is down. Only the
// request's cookie is stood in for (it names a real session).
import crypto from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { openSession } from "@/lib/accounts/sessions";
import { offerFeed } from "@/lib/frontline/offer-feed";
import { HEARTBEAT_MS } from "@/lib/frontline/offer-heartbeat";
import { offerHelp } from "@/lib/frontline/reach-out";
import { recordStep } from "@/lib/trail/server";
import { freshDatabaseForActions, runMaintenance } from "../support/db";

const cookie = vi.hoisted(() => ({ sessionId: null as string | null }));
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }), headers: async () => new Headers({ "user-agent": "Mozilla/5.0" }) }));
vi.mock("@/lib/auth/session-cookie", () => ({ sessionIdFromCookie: async () => cookie.sessionId }));

const database = freshDatabaseForActions();
let customerId: string;
let agentId: string;

beforeAll(async () => {
  customerId = (await database.db.user.create({ data: { name: "Stella", email: "stella-stream@example.com", role: "CUSTOMER" } })).id;
  agentId = (await database.db.user.create({ data: { name: "Agent", email: "agent-stream@example.com", role: "AGENT" } })).id;
});
// Before the database is dropped (hooks after the tests run last-registered first).
afterAll(() => offerFeed().stop());
afterEach(() => vi.useRealTimers());

const { GET: stream } = await import("@/app/api/reach-out/stream/route");
const { GET: health } = await import("@/app/api/health/route");

const EVENT_STREAM = { accept: "text/event-stream" };

/** Opens the stream as the signed-in page would, and reads what it sends. */
async function openStream() {
  const left = new AbortController();
  const response = await stream(new Request("http://localhost/api/reach-out/stream", { headers: EVENT_STREAM, signal: left.signal }));
  let text = "";
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  const reading = (async () => {
    for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader?.read()) text += decoder.decode(chunk.value, { stream: true });
  })();
  return { response, reading, leave: () => left.abort(), offers: () => [...text.matchAll(/^data: (.*)$/gm)].map((line) => (JSON.parse(line[1]) as { offer: { id: string } }).offer.id) };
}

async function offerOnNewAttempt(): Promise<string> {
  const journeyId = crypto.randomUUID();
  await recordStep(database.db, { userId: customerId, distinctId: customerId, anonymousId: null, deviceClass: "DESKTOP", consent: false }, { journeyId, type: "password_change", step: "form", action: "viewed" });
  const offered = await offerHelp(database.db, agentId, journeyId);
  if (!offered.ok) throw new Error("the offer was not made");
  return offered.offerId;
}

async function healthState(): Promise<unknown> {
  return (await health()).json();
}

describe("the offer stream", () => {
  it("answers only a signed-in customer", async () => {
    cookie.sessionId = null;
    expect((await stream(new Request("http://localhost/api/reach-out/stream", { headers: EVENT_STREAM }))).status).toBe(401);
  });

  it("holds a place only for a request that accepts an event stream, as the page's EventSource does", async () => {
    cookie.sessionId = (await openSession(database.db, customerId, "Mozilla/5.0")).id;
    // A tab opened on the address, or a client asking for JSON: each would have held a place unseen.
    for (const accept of ["text/html,application/xhtml+xml,*/*;q=0.8", "application/json", "*/*"]) {
      expect((await stream(new Request("http://localhost/api/reach-out/stream", { headers: { accept } }))).status).toBe(406);
    }
    const page = await openStream();
    expect(page.response.status).toBe(200);
    page.leave();
    await page.reading;
  });

  it("brings an agent's offer to the open page as it is made, and nothing more once the session is revoked", async () => {
    const session = await openSession(database.db, customerId, "Mozilla/5.0");
    cookie.sessionId = session.id;
    const page = await openStream();
    expect(page.response.headers.get("content-type")).toBe("text/event-stream");
    await vi.waitFor(() => expect(offerFeed().health().reason).toBe("Listening for offers."), { timeout: 10_000 });

    const first = await offerOnNewAttempt();
    await vi.waitFor(() => expect(page.offers()).toEqual([first]), { timeout: 10_000 });
    expect((await database.db.reachOut.findUniqueOrThrow({ where: { id: first } })).status).toBe("SHOWN");

    await database.db.authSession.update({ where: { id: session.id }, data: { revokedAt: new Date() } });
    const second = await offerOnNewAttempt();
    // The notification wakes the stream, which finds the session revoked and ends without sending.
    await page.reading;
    expect(page.offers()).toEqual([first]);
    expect((await database.db.reachOut.findUniqueOrThrow({ where: { id: second } })).status).toBe("OFFERED");
  });
  it("ends every stream of a revoked session at its next heartbeat, with no offer made, and gives their places to the customer's other sessions", async () => {
    // Only the heartbeat's clock is the test's; the database and its connections keep real time.
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const revoked = await openSession(database.db, customerId, "Mozilla/5.0");
    cookie.sessionId = revoked.id;
    // As many tabs as one customer may hold (REACH_OUT_STREAMS_PER_CUSTOMER).
    const tabs = await Promise.all(Array.from({ length: 8 }, () => openStream()));
    expect(tabs.map((tab) => tab.response.status)).toEqual(Array(8).fill(200));
    cookie.sessionId = (await openSession(database.db, customerId, "Mozilla/5.0")).id;
    expect((await openStream()).response.status).toBe(503);

    await database.db.authSession.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
    vi.advanceTimersByTime(HEARTBEAT_MS);
    await Promise.all(tabs.map((tab) => tab.reading));
    const other = await openStream();
    expect(other.response.status).toBe(200);
    other.leave();
  });
});

describe("/api/health", () => {
  it("says degraded, naming the offer feed, while its LISTEN connection is down, and ok once it listens again", async () => {
    cookie.sessionId = (await openSession(database.db, customerId, "Mozilla/5.0")).id;
    const page = await openStream();
    await vi.waitFor(async () => expect(await healthState()).toEqual({ status: "ok", offerFeed: { state: "ok", reason: "Listening for offers." } }), { timeout: 10_000 });
    const name = new URL(database.url).pathname.slice(1);
    // The database stops taking new connections, and the feed's is cut: it cannot listen again yet.
    await runMaintenance(database.url, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
    try {
      await database.db.$executeRaw`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'waymark offer feed' AND datname = current_database()`;
      await vi.waitFor(async () => expect(await healthState()).toMatchObject({ status: "degraded", offerFeed: { state: "down" } }), { timeout: 10_000 });
    } finally {
      await runMaintenance(database.url, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    }
    await vi.waitFor(async () => expect(await healthState()).toMatchObject({ status: "ok", offerFeed: { state: "ok" } }), { timeout: 40_000 });
    page.leave();
  });
});
