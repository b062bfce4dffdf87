import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { runInNewContext } from "node:vm";
import { gzipSync } from "node:zlib";
import { PostHog } from "posthog-node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startPostHogStandIn, type PostHogStandIn, type StoredEvent } from "../../e2e/support/posthog-stand-in";

const TOKEN = "phc_test_key";
const PERSONAL_API_KEY = "phx_funnel_script";
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const BROWSER_EVENTS = [
  {
    uuid: "019a0000-0000-7000-8000-000000000001",
    event: "$pageview",
    properties: { distinct_id: "anon-1", token: TOKEN, $device_id: "device-1" },
    timestamp: "2026-11-24T10:00:00.000Z",
  },
  {
    uuid: "019a0000-0000-7000-8000-000000000002",
    event: "upgrade_clicked",
    properties: { distinct_id: "u_1", token: TOKEN, plan: "pro" },
    timestamp: "2026-11-24T10:00:01.000Z",
  },
];
const BROWSER_JSON = JSON.stringify(BROWSER_EVENTS);

let posthog: PostHogStandIn;
// Insights and dashboards outlive clear(), so each REST API test works in a project of its own.
let projectId = 0;

beforeAll(async () => {
  posthog = await startPostHogStandIn({ port: 0, personalApiKey: PERSONAL_API_KEY });
});
afterAll(async () => {
  await posthog.close();
});
afterEach(() => {
  posthog.setDown(false);
  posthog.setFlags({});
  posthog.clear();
});

function send(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${posthog.url}${path}`, init);
}

function api(path: string, method: string, body?: unknown, key: string | null = PERSONAL_API_KEY): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  return send(`/api/projects/${projectId}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

function funnel(...events: string[]): Record<string, unknown> {
  return { kind: "InsightVizNode", source: { kind: "FunnelsQuery", series: events.map((event) => ({ kind: "EventsNode", event })) } };
}

function summarise(events: StoredEvent[]): Array<Pick<StoredEvent, "event" | "distinctId" | "path" | "encoding">> {
  return events.map(({ event, distinctId, path, encoding }) => ({ event, distinctId, path, encoding }));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("PostHog stand-in: ingestion", () => {
  it("stores posthog-js gzip sent as text/plain with no compression parameter", async () => {
    const response = await send("/e/?ip=0&_=1732442400000&ver=1.449.2", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: gzipSync(BROWSER_JSON),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 1 });
    expect(summarise(posthog.events())).toEqual([
      { event: "$pageview", distinctId: "anon-1", path: "/e/", encoding: "gzip" },
      { event: "upgrade_clicked", distinctId: "u_1", path: "/e/", encoding: "gzip" },
    ]);
    expect(posthog.events()[1].properties.plan).toBe("pro");
    expect(posthog.events()[1].uuid).toBe("019a0000-0000-7000-8000-000000000002");
  });

  it("stores sendBeacon base64 form bodies", async () => {
    const response = await send("/e/?compression=base64", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `data=${encodeURIComponent(Buffer.from(JSON.stringify([{ event: "$pageleave", properties: { distinct_id: "u_1" } }])).toString("base64"))}`,
    });
    expect(response.status).toBe(200);
    expect(summarise(posthog.events())).toEqual([{ event: "$pageleave", distinctId: "u_1", path: "/e/", encoding: "base64" }]);
  });

  it("stores plain JSON on /i/v0/e/ and a single event on /capture/", async () => {
    await send("/i/v0/e/", { method: "POST", headers: { "content-type": "application/json" }, body: BROWSER_JSON });
    await send("/capture/", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ api_key: TOKEN, event: "signed_in", distinct_id: "u_9" }),
    });
    expect(summarise(posthog.events()).map((e) => `${e.path} ${e.encoding} ${e.event} ${e.distinctId}`)).toEqual([
      "/i/v0/e/ json $pageview anon-1",
      "/i/v0/e/ json upgrade_clicked u_1",
      "/capture/ json signed_in u_9",
    ]);
  });

  it("stores what a real posthog-node client sends to /batch/", async () => {
    const client = new PostHog(TOKEN, { host: posthog.url, flushAt: 1, flushInterval: 0 });
    client.capture({ distinctId: "u_42", event: "invoice_paid", properties: { amount: 1200 } });
    await client.shutdown();

    const [stored] = posthog.events();
    expect(posthog.events()).toHaveLength(1);
    expect(stored).toMatchObject({ event: "invoice_paid", distinctId: "u_42", path: "/batch/", encoding: "gzip", properties: { amount: 1200 } });
    expect(stored.uuid).toMatch(UUID_PATTERN);
    expect(Number.isNaN(Date.parse(stored.timestamp ?? ""))).toBe(false);
    const batchRequest = posthog.requests().find((request) => request.path === "/batch/");
    expect(batchRequest).toMatchObject({ method: "POST", contentEncoding: "gzip", status: 200 });
  });

  it("answers 400 with a PostHog-like error for bodies that do not decode, storing nothing", async () => {
    const response = await send("/e/", { method: "POST", headers: { "content-type": "text/plain" }, body: "not an event" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      type: "validation_error",
      code: "invalid_payload",
      detail: "Malformed request data: body is not valid JSON",
      attr: null,
    });
    expect(posthog.events()).toEqual([]);
    expect(posthog.requests().map((request) => request.status)).toEqual([400]);
  });

  it("serves stored events over HTTP and clears them", async () => {
    await send("/e/", { method: "POST", headers: { "content-type": "application/json" }, body: BROWSER_JSON });
    const listed = (await (await send("/_events")).json()) as StoredEvent[];
    expect(listed.map((event) => event.event)).toEqual(["$pageview", "upgrade_clicked"]);
    expect(listed[0]).toMatchObject({ path: "/e/", encoding: "json", distinctId: "anon-1" });
    expect(Number.isNaN(Date.parse(listed[0].receivedAt))).toBe(false);

    expect((await send("/_events", { method: "DELETE" })).status).toBe(200);
    expect(await (await send("/_events")).json()).toEqual([]);
  });
});

describe("PostHog stand-in: remote config and flags", () => {
  it("answers remote config as JSON with supportedCompression", async () => {
    const config = await (await send(`/array/${TOKEN}/config`)).json();
    expect(config).toMatchObject({ token: TOKEN, supportedCompression: ["gzip", "gzip-js"], hasFeatureFlags: false, sessionRecording: false });
  });

  it("answers config.js with a script that registers the config under the token", async () => {
    const response = await send(`/array/${TOKEN}/config.js`);
    expect(response.headers.get("content-type")).toBe("application/javascript");
    const window: { _POSTHOG_REMOTE_CONFIG?: Record<string, { config: Record<string, unknown>; siteApps: unknown[] }> } = {};
    runInNewContext(await response.text(), { window });
    expect(window._POSTHOG_REMOTE_CONFIG?.[TOKEN]?.config.supportedCompression).toEqual(["gzip", "gzip-js"]);
    expect(window._POSTHOG_REMOTE_CONFIG?.[TOKEN]?.siteApps).toEqual([]);
  });

  it("answers /flags with no flags until a test turns one on", async () => {
    const before = await (await send("/flags/?v=2", { method: "POST", body: "{}" })).json();
    expect(before).toEqual({ featureFlags: {}, featureFlagPayloads: {}, errorsWhileComputingFlags: false });

    const control = await send("/_control/flags", { method: "POST", body: JSON.stringify({ "new-billing": true, "checkout-copy": "variant-b" }) });
    expect(control.status).toBe(200);
    const after = await (await send("/flags/?v=2", { method: "POST", body: "{}" })).json();
    expect(after.featureFlags).toEqual({ "new-billing": true, "checkout-copy": "variant-b" });
    const config = await (await send(`/array/${TOKEN}/config`)).json();
    expect(config.hasFeatureFlags).toBe(true);
  });

  it("lets posthog-node read a flag turned on through the control endpoint", async () => {
    posthog.setFlags({ "new-billing": true, "checkout-copy": "variant-b" });
    const client = new PostHog(TOKEN, { host: posthog.url, flushAt: 1, flushInterval: 0 });
    try {
      const flags = await client.evaluateFlags("u_1");
      expect(flags.isEnabled("new-billing")).toBe(true);
      expect(flags.getFlag("checkout-copy")).toBe("variant-b");
      expect(flags.isEnabled("not-configured")).toBe(false);
    } finally {
      await client.shutdown();
    }
  });

  it("refuses flag values that are not booleans or variant names", async () => {
    const response = await send("/_control/flags", { method: "POST", body: JSON.stringify({ "new-billing": 1 }) });
    expect(response.status).toBe(400);
    expect(await (await send("/flags/", { method: "POST" })).json()).toMatchObject({ featureFlags: {} });
  });
});

describe("PostHog stand-in: outage and latency", () => {
  it("answers 503 after a short delay while down, keeping control endpoints up", async () => {
    const toggled = await send("/_control/down", { method: "POST", body: JSON.stringify({ down: true }) });
    expect(await toggled.json()).toEqual({ down: true });

    const startedAt = performance.now();
    const ingest = await send("/e/", { method: "POST", headers: { "content-type": "application/json" }, body: BROWSER_JSON });
    expect(ingest.status).toBe(503);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(90);
    expect((await send(`/array/${TOKEN}/config`)).status).toBe(503);
    expect((await api("/insights/", "GET")).status).toBe(503);
    expect((await send("/_health")).status).toBe(200);
    expect(posthog.events()).toEqual([]);

    await send("/_control/down", { method: "POST", body: JSON.stringify({ down: false }) });
    expect((await send("/e/", { method: "POST", headers: { "content-type": "application/json" }, body: BROWSER_JSON })).status).toBe(200);
    expect(posthog.requests().map((request) => request.status)).toEqual([503, 503, 503, 200]);
  });

  it("loses posthog-node events during an outage without throwing", async () => {
    posthog.setDown(true);
    // posthog-node prints flush failures to stderr even when an 'error' listener is attached.
    const consoleError = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const client = new PostHog(TOKEN, { host: posthog.url, flushAt: 1, flushInterval: 0, fetchRetryCount: 0 });
      const errors: unknown[] = [];
      client.on("error", (error: unknown) => errors.push(error));
      client.capture({ distinctId: "u_42", event: "invoice_paid" });
      await client.shutdown();

      expect(posthog.events()).toEqual([]);
      expect(posthog.requests()).toEqual([expect.objectContaining({ path: "/batch/", status: 503 })]);
      expect(errors.length).toBeGreaterThan(0);
      expect(String(consoleError.mock.calls[0]?.[0])).toContain("status=503");
    } finally {
      consoleError.mockRestore();
    }
  });

  it("delays every non-control answer when started with delayMs", async () => {
    const slow = await startPostHogStandIn({ port: 0, delayMs: 250 });
    try {
      const startedAt = performance.now();
      expect((await fetch(`${slow.url}/array/${TOKEN}/config`)).status).toBe(200);
      expect(performance.now() - startedAt).toBeGreaterThanOrEqual(240);

      // Control endpoints are not delayed: health answers while a delayed request started with it still waits.
      const finished: string[] = [];
      await Promise.all([
        fetch(`${slow.url}/array/${TOKEN}/config`).then(() => finished.push("config")),
        fetch(`${slow.url}/_health`).then((response) => finished.push(`health:${response.status}`)),
      ]);
      expect(finished).toEqual(["health:200", "config"]);
    } finally {
      await slow.close();
    }
  });
});

describe("PostHog stand-in: REST API for the funnel script", () => {
  beforeEach(() => {
    projectId += 1;
  });

  it("requires a bearer personal API key", async () => {
    const missing = await api("/insights/", "GET", undefined, null);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ type: "authentication_error", code: "not_authenticated" });

    const wrong = await api("/insights/", "GET", undefined, "phx_someone_else");
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ type: "authentication_error", code: "authentication_failed" });
    expect(posthog.apiCalls().map((call) => call.status)).toEqual([401, 401]);
  });

  it.each([
    ["no name", { query: funnel("signed_in", "upgrade_clicked") }, "name"],
    ["no query", { name: "Upgrade funnel" }, "query"],
    ["a trends query", { name: "Upgrade funnel", query: { kind: "InsightVizNode", source: { kind: "TrendsQuery", series: [] } } }, "query"],
    ["a bare FunnelsQuery without InsightVizNode", { name: "Upgrade funnel", query: { kind: "FunnelsQuery", series: [] } }, "query"],
    ["an empty series", { name: "Upgrade funnel", query: funnel() }, "query"],
    [
      "a step without an event",
      { name: "Upgrade funnel", query: { kind: "InsightVizNode", source: { kind: "FunnelsQuery", series: [{ kind: "EventsNode" }] } } },
      "query",
    ],
    ["an unknown dashboard", { name: "Upgrade funnel", query: funnel("signed_in"), dashboards: [999] }, "dashboards"],
  ])("refuses to create an insight with %s", async (_label, body, attr) => {
    const response = await api("/insights/", "POST", body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ type: "validation_error", code: "invalid_input", attr });
    expect(await (await api("/insights/", "GET")).json()).toMatchObject({ count: 0, results: [] });
  });

  it("creates, finds and updates a funnel insight and puts it on a dashboard", async () => {
    const created = await api("/insights/", "POST", { name: "Upgrade funnel (Waymark)", query: funnel("signed_in", "upgrade_clicked") });
    expect(created.status).toBe(201);
    const insight = await created.json();
    expect(Number.isInteger(insight.id)).toBe(true);
    expect(insight).toMatchObject({ name: "Upgrade funnel (Waymark)", dashboards: [], deleted: false });

    await api("/insights/", "POST", { name: "Signup funnel", query: funnel("$pageview", "signed_up") });
    const found = await (await api("/insights/?search=upgrade", "GET")).json();
    expect(found.results.map((result: { id: number }) => result.id)).toEqual([insight.id]);

    const dashboardResponse = await api("/dashboards/", "POST", { name: "Waymark funnels" });
    expect(dashboardResponse.status).toBe(201);
    const dashboard = await dashboardResponse.json();
    expect(Number.isInteger(dashboard.id)).toBe(true);
    expect(dashboard.id).not.toBe(insight.id);

    const patched = await api(`/insights/${insight.id}/`, "PATCH", { dashboards: [dashboard.id], query: funnel("signed_in", "upgrade_clicked", "checkout_completed") });
    expect(patched.status).toBe(200);
    const updated = await patched.json();
    expect(updated.dashboards).toEqual([dashboard.id]);
    expect(updated.query.source.series.map((step: { event: string }) => step.event)).toEqual(["signed_in", "upgrade_clicked", "checkout_completed"]);

    const badPatch = await api(`/insights/${insight.id}/`, "PATCH", { query: funnel() });
    expect(badPatch.status).toBe(400);
    expect((await api("/insights/424242/", "PATCH", { name: "x" })).status).toBe(404);

    const renamed = await (await api(`/dashboards/${dashboard.id}/`, "PATCH", { name: "Waymark funnels v2", pinned: true })).json();
    expect(renamed).toMatchObject({ id: dashboard.id, name: "Waymark funnels v2", pinned: true });
    const dashboards = await (await api("/dashboards/", "GET")).json();
    expect(dashboards.results.map((result: { name: string }) => result.name)).toEqual(["Waymark funnels v2"]);
  });

  it("records person deletions and validates bulk deletes", async () => {
    const bulk = await api("/persons/bulk_delete/", "POST", { distinct_ids: ["u_1", "u_2"], delete_events: true });
    expect(bulk.status).toBe(202);
    const single = await api("/persons/018f0000-aaaa-7000-8000-000000000001/?delete_events=true", "DELETE");
    expect(single.status).toBe(202);
    const empty = await api("/persons/bulk_delete/", "POST", {});
    expect(empty.status).toBe(400);

    const calls = (await (await send("/_api-calls")).json()) as Array<{ method: string; path: string; projectId: string; query: Record<string, string>; body: unknown; status: number }>;
    expect(calls.map(({ method, path, projectId, status }) => ({ method, path, projectId, status }))).toEqual([
      { method: "POST", path: `/api/projects/${projectId}/persons/bulk_delete/`, projectId: String(projectId), status: 202 },
      { method: "DELETE", path: `/api/projects/${projectId}/persons/018f0000-aaaa-7000-8000-000000000001/`, projectId: String(projectId), status: 202 },
      { method: "POST", path: `/api/projects/${projectId}/persons/bulk_delete/`, projectId: String(projectId), status: 400 },
    ]);
    expect(calls[0].body).toEqual({ distinct_ids: ["u_1", "u_2"], delete_events: true });
    expect(calls[1].query).toEqual({ delete_events: "true" });
  });
});

describe("PostHog stand-in: command line", () => {
  it("starts with --port for Playwright's webServer and stops on SIGTERM", async () => {
    const port = await freePort();
    const script = fileURLToPath(new URL("../../e2e/support/posthog-stand-in.ts", import.meta.url));
    const projectRoot = fileURLToPath(new URL("../../", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", script, "--port", String(port)], { cwd: projectRoot, stdio: ["ignore", "pipe", "pipe"] });
    try {
      const banner = await new Promise<string>((resolve, reject) => {
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes("listening")) resolve(output.trim());
        });
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.once("exit", (code) => reject(new Error(`stand-in exited with ${code}: ${output}`)));
      });
      expect(banner).toBe(`PostHog stand-in listening on http://127.0.0.1:${port}`);
      expect(await (await fetch(`http://127.0.0.1:${port}/_health`)).json()).toEqual({ ok: true });
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    }
  });
});
