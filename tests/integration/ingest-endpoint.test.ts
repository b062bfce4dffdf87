// The anonymous /ingest endpoint as an attacker and posthog-js use it: real Requests through the
// route's handler, real PostgreSQL (events and per-client budgets), the PostHog stand-in behind the relay.
import crypto from "node:crypto";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_ADDRESS_HEADER, withClientAddress } from "@/lib/http/client-address";
import { inFlightLimit } from "@/lib/http/in-flight";
import { handleIngest, ingestBudget, type IngestDeps } from "@/lib/trail/ingest-endpoint";
import { startPostHogStandIn, type PostHogStandIn } from "../../e2e/support/posthog-stand-in";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { queuedPostHogEvents } from "../support/posthog-queue";

let database: FreshDatabase;
let posthog: PostHogStandIn;

beforeAll(async () => {
  database = await freshDatabase();
  posthog = await startPostHogStandIn({ port: 0 });
});
afterAll(async () => {
  await posthog.close();
  await database.drop();
});

const deps = (overrides: Partial<IngestDeps> = {}): IngestDeps => ({
  db: database.db,
  posthog: { host: posthog.url, key: "phc_test" },
  spend: async () => ({ ok: true }),
  sessionId: async () => null,
  ...overrides,
});

function post(path: string, body: BodyInit, headers: Record<string, string> = {}): Request {
  return new Request(`http://portal.test/ingest/${path}`, { method: "POST", body, headers: { "content-type": "text/plain", ...headers } });
}

const segments = (path: string) => path.split("?")[0].split("/");

function pageview(distinctId = crypto.randomUUID()) {
  return { event: "$pageview", uuid: crypto.randomUUID(), timestamp: new Date().toISOString(), properties: { distinct_id: distinctId, $current_url: "http://portal.test/orders" } };
}

// Many small gzip members, one after the other: gunzip inflates them all (~640 MB of zeros) from ~650 KB.
function gzipBomb(): Buffer {
  const member = gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 9 });
  return Buffer.concat(Array.from({ length: 40 }, () => member));
}

describe("/ingest refuses what is not a posthog-js batch", () => {
  it("answers a gzip bomb 413 without inflating it, within bounded memory", async () => {
    const bomb = gzipBomb();
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const rssBefore = process.memoryUsage().rss;
    const response = await handleIngest(post("e/?compression=gzip-js", new Uint8Array(bomb)), ["e"], deps());
    expect(response.status).toBe(413);
    // Inflating it all would take 640 MB; stopping at the limit holds a few.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
  });

  it("answers 413 to a body over the compressed limit, announced or not", async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 0x20);
    expect((await handleIngest(post("e/", new Uint8Array(big)), ["e"], deps())).status).toBe(413);
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new Uint8Array(512 * 1024));
        controller.close();
      },
    });
    const unannounced = new Request("http://portal.test/ingest/e/", { method: "POST", body: stream, duplex: "half" } as RequestInit);
    expect((await handleIngest(unannounced, ["e"], deps())).status).toBe(413);
  });

  it("works on a bounded number of batches at once: one more is answered 503 with Retry-After, unread, and taken again once one ends", async () => {
    const inFlight = inFlightLimit(1);
    const body = gzipSync(JSON.stringify([pageview()]));
    let finishBody!: () => void;
    const slowBody = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(body.subarray(0, 10)));
        finishBody = () => {
          controller.enqueue(new Uint8Array(body.subarray(10)));
          controller.close();
        };
      },
    });
    const slow = handleIngest(new Request("http://portal.test/ingest/e/?compression=gzip-js", { method: "POST", body: slowBody, duplex: "half", headers: { "content-type": "text/plain" } } as RequestInit), ["e"], deps({ inFlight }));

    const meanwhile = post("e/?compression=gzip-js", new Uint8Array(gzipSync(JSON.stringify([pageview()]))));
    const refused = await handleIngest(meanwhile, ["e"], deps({ inFlight }));
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(meanwhile.bodyUsed).toBe(false);

    finishBody();
    expect((await slow).status).toBe(200);
    const again = await handleIngest(post("e/?compression=gzip-js", new Uint8Array(gzipSync(JSON.stringify([pageview()])))), ["e"], deps({ inFlight }));
    expect(again.status).toBe(200);
  });

  it("answers 404 to every path posthog-js does not use, and relays none of them", async () => {
    posthog.clear();
    const attempts: [string, string][] = [
      ["POST", "batch"],
      ["POST", "capture"],
      ["POST", "s"],
      ["GET", "e"],
      ["GET", "static/recorder.js"],
      ["GET", "api/projects/1/persons"],
      ["POST", "api/projects/1/persons/bulk_delete"],
      ["GET", "array/phc_test/config/extra"],
      ["GET", "array/../config"],
      ["GET", "decide"],
    ];
    for (const [method, path] of attempts) {
      const request = new Request(`http://portal.test/ingest/${path}`, { method, body: method === "POST" ? "{}" : undefined });
      expect((await handleIngest(request, segments(path), deps())).status, `${method} ${path}`).toBe(404);
    }
    expect(posthog.requests()).toEqual([]);
  });

  it("stores a real batch once however often it is sent, and answers the remote config", async () => {
    const batch = [pageview()];
    for (let i = 0; i < 2; i++) {
      const ok = await handleIngest(post("e/?compression=gzip-js", new Uint8Array(gzipSync(JSON.stringify(batch)))), ["e", ""], deps());
      expect(ok.status).toBe(200);
    }
    expect((await queuedPostHogEvents(database.db)).filter((e) => e.uuid === batch[0].uuid)).toHaveLength(1);
    const config = await handleIngest(new Request("http://portal.test/ingest/array/phc_test/config"), ["array", "phc_test", "config"], deps());
    expect(config.status).toBe(200);
    expect(await config.json()).toMatchObject({ supportedCompression: ["gzip", "gzip-js"] });
  });
});

describe("exactly once, event by event", () => {
  // A visitor's task: a device alone may start it.
  function signupStep(deviceId: string, journeyId: string, step: string) {
    return { event: `signup_${step}_viewed`, uuid: crypto.randomUUID(), timestamp: new Date().toISOString(), properties: { distinct_id: deviceId, $device_id: deviceId, journey_id: journeyId, step } };
  }

  it("forwards only the new events of a batch that repeats some already stored, and an id sent twice once", async () => {
    const device = crypto.randomUUID();
    const journey = crypto.randomUUID();
    const first = [signupStep(device, journey, "details"), pageview(device)];
    expect((await handleIngest(post("e/", JSON.stringify(first)), ["e"], deps())).status).toBe(200);
    // The retry of the first batch, with new events between and after, and one $pageview twice.
    const fresh = [signupStep(device, journey, "email"), pageview(device), signupStep(device, journey, "account")];
    const second = [first[0], fresh[0], first[1], fresh[1], fresh[1], fresh[2]];
    expect((await handleIngest(post("e/", JSON.stringify(second)), ["e"], deps())).status).toBe(200);

    const queued = (await queuedPostHogEvents(database.db)).filter((e) => e.distinctId === device);
    expect(queued.map((e) => e.uuid).sort()).toEqual([...first, ...fresh].map((e) => e.uuid).sort());
    expect(await database.db.trailEvent.count({ where: { journeyId: journey } })).toBe(3);
  });
});

describe("text PostgreSQL cannot store", () => {
  it("refuses a batch with a NUL or a lone surrogate with 400, and the batches sent beside it are stored", async () => {
    const good = Array.from({ length: 6 }, () => pageview());
    const poisoned = [
      { ...pageview(), properties: { distinct_id: `a\u0000b`, $current_url: "http://portal.test/" } },
      { ...pageview(), properties: { distinct_id: crypto.randomUUID(), note: "\ud800" } },
      { ...pageview(), properties: { distinct_id: crypto.randomUUID(), ["k\u0000"]: 1 } },
    ];
    const statuses = await Promise.all([...good, ...poisoned].map((event) => handleIngest(post("e/", JSON.stringify([event])), ["e"], deps()).then((r) => r.status)));
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 400, 400, 400]);
    const queued = (await queuedPostHogEvents(database.db)).filter((e) => good.some((g) => g.uuid === e.uuid));
    expect(queued).toHaveLength(good.length);
  });
});

describe("per-client budget", () => {
  it("answers 429 with Retry-After once a client has used its budget, while another client goes on", async () => {
    // This process plays the portal's HTTP front, which stamps each request with its client's address.
    withClientAddress(0, () => {});
    const spend = ingestBudget(5);
    // A client-sent X-Forwarded-For changes nothing: the front's address is the key.
    const from = (client: string) => post("e/", JSON.stringify([pageview()]), { [CLIENT_ADDRESS_HEADER]: client, "x-forwarded-for": crypto.randomUUID() });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await handleIngest(from("203.0.113.7"), ["e"], deps({ spend }))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const refused = await handleIngest(from("203.0.113.7"), ["e"], deps({ spend }));
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await handleIngest(from("198.51.100.9"), ["e"], deps({ spend }))).status).toBe(200);
  });

  it("counts an IPv6 client by its /64: a new address for every request buys no new budget", async () => {
    withClientAddress(0, () => {});
    const spend = ingestBudget(5);
    const rotating = () => `2001:db8:77:1:${crypto.randomBytes(8).toString("hex").match(/.{4}/g)!.join(":")}`;
    const from = (address: string) => post("e/", JSON.stringify([pageview()]), { [CLIENT_ADDRESS_HEADER]: address });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await handleIngest(from(rotating()), ["e"], deps({ spend }))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect((await handleIngest(from("2001:db8:77:2::1"), ["e"], deps({ spend }))).status).toBe(200);
  });
});

describe("the /flags relay", () => {
  const RESET_TOKEN = "Zk3v9Qx2LmP0aB7cD4eF6gH8iJ1kL3mN";

  function flagsRequest(distinctId: string) {
    const body = {
      token: "phc_test",
      distinct_id: distinctId,
      groups: {},
      person_properties: {
        $initial_current_url: `http://portal.test/reset-password/${RESET_TOKEN}`,
        $initial_pathname: `/reset-password/${RESET_TOKEN}`,
        $initial_referrer: `http://portal.test/account/confirm-email?token=${RESET_TOKEN}`,
      },
    };
    return post("flags/?v=2&config=true&ip=0&_=1700000000000&ver=1.449.2&compression=gzip-js", new Uint8Array(gzipSync(JSON.stringify(body))));
  }

  it("sends PostHog the request with every URL scrubbed and only the query PostHog reads", async () => {
    posthog.clear();
    const response = await handleIngest(flagsRequest(crypto.randomUUID()), ["flags"], deps());
    expect(response.status).toBe(200);
    const [relayed] = posthog.requests();
    expect(relayed).toMatchObject({ method: "POST", path: "/flags/", query: { v: "2", config: "true" } });
    expect(relayed.bodyText).not.toContain(RESET_TOKEN);
    expect(JSON.parse(relayed.bodyText).person_properties).toEqual({
      $initial_current_url: "http://portal.test/reset-password/[token]",
      $initial_pathname: "/reset-password/[token]",
      $initial_referrer: "http://portal.test/account/confirm-email",
    });
  });

  it("asks PostHog for a customer's flags only from that customer's own live session", async () => {
    const customer = await database.db.user.create({ data: { name: "Flag Owner", email: `flag-owner-${crypto.randomUUID()}@example.com` } });
    const other = await database.db.user.create({ data: { name: "Someone Else", email: `someone-else-${crypto.randomUUID()}@example.com` } });
    const expiresAt = new Date(Date.now() + 60 * 60 * 1000);
    const own = await database.db.authSession.create({ data: { userId: customer.id, expiresAt } });
    const others = await database.db.authSession.create({ data: { userId: other.id, expiresAt } });
    const revoked = await database.db.authSession.create({ data: { userId: customer.id, expiresAt, revokedAt: new Date() } });

    posthog.clear();
    for (const sessionId of [null, others.id, revoked.id]) {
      const response = await handleIngest(flagsRequest(customer.analyticsId), ["flags"], deps({ sessionId: async () => sessionId }));
      expect(await response.json(), `session ${sessionId}`).toEqual({ featureFlags: {}, featureFlagPayloads: {}, errorsWhileComputingFlags: false });
    }
    expect(posthog.requests()).toEqual([]);

    await handleIngest(flagsRequest(customer.analyticsId), ["flags"], deps({ sessionId: async () => own.id }));
    expect(posthog.requests().map((r) => JSON.parse(r.bodyText).distinct_id)).toEqual([customer.analyticsId]);
  });

  it("relays nothing for a customer who declined analytics or deleted their account", async () => {
    const declined = await database.db.user.create({ data: { name: "No Analytics", email: `no-analytics-${crypto.randomUUID()}@example.com`, analyticsConsent: false } });
    const deleted = await database.db.user.create({ data: { name: "Deleted customer", status: "DELETED" } });
    posthog.clear();
    for (const user of [declined, deleted]) {
      const session = await database.db.authSession.create({ data: { userId: user.id, expiresAt: new Date(Date.now() + 60 * 60 * 1000) } });
      const response = await handleIngest(flagsRequest(user.analyticsId), ["flags"], deps({ sessionId: async () => session.id }));
      expect(await response.json()).toEqual({ featureFlags: {}, featureFlagPayloads: {}, errorsWhileComputingFlags: false });
    }
    expect(posthog.requests()).toEqual([]);
  });
});
