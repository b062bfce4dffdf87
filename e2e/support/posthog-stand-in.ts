// A stand-in PostHog server for tests (plain node:http).
//
// It checks OUR side of the contract: that Waymark, posthog-js and posthog-node send requests in
// shapes PostHog accepts (ingestion bodies, remote config and flags calls, REST API calls of the
// funnel-definition script, person deletion). It does NOT reproduce PostHog's behaviour: there is
// no person merging, no querying, no real flag evaluation, and its answers are only as PostHog-like
// as our clients need. Passing against it says nothing about PostHog itself.
//
// Where it is stricter than PostHog, on purpose: insights must be funnels (the only kind our script
// creates), and insights and dashboards must have a name.
//
// Run standalone (Playwright webServer):  npx tsx e2e/support/posthog-stand-in.ts --port 4010 [--host 127.0.0.1] [--delay-ms 200]
// From Vitest:                            const posthog = await startPostHogStandIn({ port: 0 });
//
// Inspection and control, all under `/_` and never affected by outage mode or delays:
//   GET /_health · GET /_events · DELETE /_events · GET /_requests · GET /_api-calls
//   POST /_control/down {"down": true|false} · POST /_control/flags {"flag-key": true|"variant", ...}
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { parseArgs } from "node:util";
import { PostHogDecodeError, decodePostHogBodyWithEncoding, decodePostHogJson, type PostHogBodyEncoding, type PostHogEvent } from "../../lib/trail/posthog-wire";
import { readBody, runStandIn, sendJson, serveStandIn, sleep } from "./stand-in-http";

export interface PostHogStandInOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Added before every non-control answer, to simulate a slow PostHog. */
  delayMs?: number;
  /** When set, the REST API accepts only this personal API key; otherwise any `phx_` key. */
  personalApiKey?: string;
}

export type StoredEvent = PostHogEvent & { path: string; encoding: PostHogBodyEncoding; receivedAt: string };

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | null;
  contentEncoding: string | null;
  bodyBytes: number;
  /** The body as JSON text once decoded from its wire encoding (the raw text when it does not decode), to scan for what must never arrive. */
  bodyText: string;
  status: number;
  receivedAt: string;
}

export interface RecordedApiCall {
  method: string;
  path: string;
  projectId: string | null;
  query: Record<string, string>;
  body: unknown;
  status: number;
  receivedAt: string;
}

/** A flag is on (true), off (false), or on with a multivariate variant (string). */
export type FeatureFlagValues = Record<string, boolean | string>;

export interface PostHogStandIn {
  url: string;
  port: number;
  events(): StoredEvent[];
  requests(): RecordedRequest[];
  apiCalls(): RecordedApiCall[];
  setDown(down: boolean): void;
  /** Replaces the whole flag set; `{}` turns every flag off. */
  setFlags(flags: FeatureFlagValues): void;
  /** Forgets recorded events, requests and API calls; stored insights, dashboards and flags stay. */
  clear(): void;
  close(): Promise<void>;
}

interface FunnelInsightQuery {
  kind: "InsightVizNode";
  source: { kind: "FunnelsQuery"; series: Array<{ kind: "EventsNode"; event: string }> } & Record<string, unknown>;
}

interface StoredInsight {
  id: number;
  short_id: string;
  name: string;
  description: string;
  query: FunnelInsightQuery & Record<string, unknown>;
  dashboards: number[];
  tags: string[];
  saved: boolean;
  deleted: boolean;
  created_at: string;
  last_modified_at: string;
}

interface StoredDashboard {
  id: number;
  name: string;
  description: string;
  pinned: boolean;
  tags: string[];
  deleted: boolean;
  created_at: string;
}

interface ProjectState {
  insights: StoredInsight[];
  dashboards: StoredDashboard[];
}

interface JsonReply {
  status: number;
  body?: unknown;
}

// Answers { type, code, detail, attr } like PostHog's (DRF) API errors.
class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string,
    detail: string,
    readonly attr: string | null = null,
  ) {
    super(detail);
  }
}

const INGEST_PATHS = new Set(["/e", "/i/v0/e", "/batch", "/capture"]);
// A real outage seldom fails instantly; clients' timeouts and retries should see some latency.
const OUTAGE_ANSWER_DELAY_MS = 100;
const MAX_PERSONS_PER_BULK_DELETE = 1000;

export async function startPostHogStandIn(options: PostHogStandInOptions = {}): Promise<PostHogStandIn> {
  const host = options.host ?? "127.0.0.1";
  const delayMs = options.delayMs ?? 0;
  const storedEvents: StoredEvent[] = [];
  const recordedRequests: RecordedRequest[] = [];
  const recordedApiCalls: RecordedApiCall[] = [];
  const projects = new Map<string, ProjectState>();
  let flags: FeatureFlagValues = {};
  let down = false;
  let nextId = 1;

  function projectState(projectId: string): ProjectState {
    let state = projects.get(projectId);
    if (!state) {
      state = { insights: [], dashboards: [] };
      projects.set(projectId, state);
    }
    return state;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const method = req.method ?? "GET";
    const path = url.pathname;
    const query = Object.fromEntries(url.searchParams);
    const body = await readBody(req);
    allowCrossOrigin(req, res);

    if (path.startsWith("/_")) {
      handleControl(method, path, body, res);
      return;
    }

    const record = (status: number): void => {
      recordedRequests.push({
        method,
        path,
        query,
        contentType: req.headers["content-type"] ?? null,
        contentEncoding: req.headers["content-encoding"] ?? null,
        bodyBytes: body.length,
        bodyText: bodyTextOf(body, req.headers["content-type"], req.headers["content-encoding"], query.compression),
        status,
        receivedAt: new Date().toISOString(),
      });
    };

    if (down) {
      await sleep(OUTAGE_ANSWER_DELAY_MS);
      record(503);
      sendJson(res, 503, { type: "server_error", code: "service_unavailable", detail: "PostHog stand-in is simulating an outage.", attr: null });
      return;
    }
    if (delayMs > 0) await sleep(delayMs);

    if (method === "OPTIONS") {
      record(204);
      res.writeHead(204).end();
      return;
    }

    const trimmedPath = path.replace(/\/+$/, "");
    if (method === "POST" && INGEST_PATHS.has(trimmedPath)) {
      const status = ingest(req, path, query, body, res);
      record(status);
      return;
    }

    const configMatch = /^\/array\/([^/]+)\/config(\.js)?$/.exec(path);
    if (method === "GET" && configMatch) {
      const token = decodeURIComponent(configMatch[1]);
      if (configMatch[2]) {
        res.writeHead(200, { "content-type": "application/javascript" }).end(remoteConfigScript(token));
      } else {
        sendJson(res, 200, remoteConfig(token));
      }
      record(200);
      return;
    }

    if (method === "POST" && trimmedPath === "/flags") {
      sendJson(res, 200, { featureFlags: { ...flags }, featureFlagPayloads: {}, errorsWhileComputingFlags: false });
      record(200);
      return;
    }

    if (path.startsWith("/api/")) {
      const reply = handleApi(req, method, path, url.searchParams, body);
      recordedApiCalls.push({ method, path, projectId: projectIdOf(path), query, body: parseJsonOrNull(body), status: reply.status, receivedAt: new Date().toISOString() });
      sendJson(res, reply.status, reply.body);
      record(reply.status);
      return;
    }

    sendJson(res, 404, { type: "invalid_request", code: "not_found", detail: `The stand-in does not serve ${method} ${path}.`, attr: null });
    record(404);
  }

  function ingest(req: IncomingMessage, path: string, query: Record<string, string>, body: Buffer, res: ServerResponse): number {
    try {
      const decoded = decodePostHogBodyWithEncoding(body, {
        contentType: req.headers["content-type"],
        contentEncoding: req.headers["content-encoding"],
        compression: query.compression,
      });
      const receivedAt = new Date().toISOString();
      for (const event of decoded.events) storedEvents.push({ ...event, path, encoding: decoded.encoding, receivedAt });
      sendJson(res, 200, { status: 1 });
      return 200;
    } catch (error) {
      if (!(error instanceof PostHogDecodeError)) throw error;
      sendJson(res, 400, { type: "validation_error", code: "invalid_payload", detail: `Malformed request data: ${error.message}`, attr: null });
      return 400;
    }
  }

  function bodyTextOf(body: Buffer, contentType: string | undefined, contentEncoding: string | undefined, compression: string | undefined): string {
    if (body.length === 0) return "";
    try {
      return JSON.stringify(decodePostHogJson(body, { contentType, contentEncoding, compression }));
    } catch {
      return body.toString("utf8");
    }
  }

  function remoteConfig(token: string): Record<string, unknown> {
    return {
      token,
      // Without this posthog-js falls back to uncompressed JSON once the config has loaded.
      supportedCompression: ["gzip", "gzip-js"],
      // posthog-js skips /flags entirely when this is false, so it follows the configured flags.
      hasFeatureFlags: Object.keys(flags).length > 0,
      sessionRecording: false,
      heatmaps: false,
      surveys: false,
      captureDeadClicks: false,
      capturePerformance: false,
      autocapture_opt_out: false,
      autocaptureExceptions: false,
      elementsChainAsString: true,
      defaultIdentifiedOnly: true,
      siteApps: [],
    };
  }

  function remoteConfigScript(token: string): string {
    const tokenLiteral = JSON.stringify(token);
    return [
      "(function() {",
      "  window._POSTHOG_REMOTE_CONFIG = window._POSTHOG_REMOTE_CONFIG || {};",
      `  window._POSTHOG_REMOTE_CONFIG[${tokenLiteral}] = { config: ${JSON.stringify(remoteConfig(token))}, siteApps: [] };`,
      "})();",
      "",
    ].join("\n");
  }

  function handleControl(method: string, path: string, body: Buffer, res: ServerResponse): void {
    const route = `${method} ${path}`;
    if (route === "GET /_health") return sendJson(res, 200, { ok: true });
    if (route === "GET /_events") return sendJson(res, 200, storedEvents);
    if (route === "DELETE /_events") {
      storedEvents.length = 0;
      return sendJson(res, 200, { cleared: true });
    }
    if (route === "GET /_requests") return sendJson(res, 200, recordedRequests);
    if (route === "GET /_api-calls") return sendJson(res, 200, recordedApiCalls);
    if (route === "POST /_control/down") {
      const parsed = parseJsonOrNull(body);
      if (!isRecord(parsed) || typeof parsed.down !== "boolean") return sendJson(res, 400, { error: 'expected {"down": true|false}' });
      down = parsed.down;
      return sendJson(res, 200, { down });
    }
    if (route === "POST /_control/flags") {
      const parsed = parseJsonOrNull(body);
      if (!isFeatureFlagValues(parsed)) return sendJson(res, 400, { error: 'expected {"flag-key": true|false|"variant", ...}' });
      flags = { ...parsed };
      return sendJson(res, 200, flags);
    }
    sendJson(res, 404, { error: `no control endpoint ${route}` });
  }

  function handleApi(req: IncomingMessage, method: string, path: string, search: URLSearchParams, body: Buffer): JsonReply {
    try {
      authenticate(req.headers.authorization);
      return routeApi(method, path, search, body);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return { status: error.status, body: { type: error.type, code: error.code, detail: error.message, attr: error.attr } };
    }
  }

  function authenticate(authorization: string | undefined): void {
    const key = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
    if (!key) throw new ApiError(401, "authentication_error", "not_authenticated", "Authentication credentials were not provided.");
    const accepted = options.personalApiKey !== undefined ? key === options.personalApiKey : key.startsWith("phx_");
    if (!accepted) throw new ApiError(401, "authentication_error", "authentication_failed", "Personal API key found in request Authorization header is invalid.");
  }

  function routeApi(method: string, path: string, search: URLSearchParams, body: Buffer): JsonReply {
    // PostHog's API router makes the trailing slash optional.
    const match = /^\/api\/projects\/([^/]+)\/(insights|dashboards|persons)(?:\/([^/]+))?\/?$/.exec(path);
    if (!match) throw notFound();
    const [, projectId, collection, itemId] = match;
    const project = projectState(projectId);

    if (collection === "persons") {
      if (method === "POST" && itemId === "bulk_delete") return bulkDeletePersons(body);
      if (method === "DELETE" && itemId) return { status: 202 };
      throw notFound();
    }

    if (collection === "insights") {
      if (method === "GET" && !itemId) return listPage(project.insights, search);
      if (method === "POST" && !itemId) return { status: 201, body: createInsight(project, jsonObjectBody(body)) };
      if (method === "PATCH" && itemId) return { status: 200, body: updateInsight(project, findById(project.insights, itemId), jsonObjectBody(body)) };
      throw notFound();
    }
    if (method === "GET" && !itemId) return listPage(project.dashboards, search);
    if (method === "POST" && !itemId) return { status: 201, body: createDashboard(project, jsonObjectBody(body)) };
    if (method === "PATCH" && itemId) return { status: 200, body: updateDashboard(findById(project.dashboards, itemId), jsonObjectBody(body)) };
    throw notFound();
  }

  function createInsight(project: ProjectState, body: Record<string, unknown>): StoredInsight {
    const now = new Date().toISOString();
    const insight: StoredInsight = {
      id: nextId++,
      short_id: randomUUID().slice(0, 8),
      name: requiredName(body.name),
      description: optionalString(body.description, "description") ?? "",
      query: funnelQuery(body.query),
      dashboards: dashboardIds(project, body.dashboards) ?? [],
      tags: optionalStringArray(body.tags, "tags") ?? [],
      saved: true,
      deleted: false,
      created_at: now,
      last_modified_at: now,
    };
    project.insights.push(insight);
    return insight;
  }

  function updateInsight(project: ProjectState, insight: StoredInsight, body: Record<string, unknown>): StoredInsight {
    if (body.name !== undefined) insight.name = requiredName(body.name);
    if (body.query !== undefined) insight.query = funnelQuery(body.query);
    insight.description = optionalString(body.description, "description") ?? insight.description;
    insight.dashboards = dashboardIds(project, body.dashboards) ?? insight.dashboards;
    insight.tags = optionalStringArray(body.tags, "tags") ?? insight.tags;
    insight.deleted = optionalBoolean(body.deleted, "deleted") ?? insight.deleted;
    insight.last_modified_at = new Date().toISOString();
    return insight;
  }

  function createDashboard(project: ProjectState, body: Record<string, unknown>): StoredDashboard {
    const dashboard: StoredDashboard = {
      id: nextId++,
      name: requiredName(body.name),
      description: optionalString(body.description, "description") ?? "",
      pinned: optionalBoolean(body.pinned, "pinned") ?? false,
      tags: optionalStringArray(body.tags, "tags") ?? [],
      deleted: false,
      created_at: new Date().toISOString(),
    };
    project.dashboards.push(dashboard);
    return dashboard;
  }

  function updateDashboard(dashboard: StoredDashboard, body: Record<string, unknown>): StoredDashboard {
    if (body.name !== undefined) dashboard.name = requiredName(body.name);
    dashboard.description = optionalString(body.description, "description") ?? dashboard.description;
    dashboard.pinned = optionalBoolean(body.pinned, "pinned") ?? dashboard.pinned;
    dashboard.tags = optionalStringArray(body.tags, "tags") ?? dashboard.tags;
    dashboard.deleted = optionalBoolean(body.deleted, "deleted") ?? dashboard.deleted;
    return dashboard;
  }

  function bulkDeletePersons(body: Buffer): JsonReply {
    const request = jsonObjectBody(body);
    const ids = optionalStringArray(request.ids, "ids") ?? [];
    const distinctIds = optionalStringArray(request.distinct_ids, "distinct_ids") ?? [];
    optionalBoolean(request.delete_events, "delete_events");
    if (ids.length === 0 && distinctIds.length === 0) throw invalidInput("Provide ids or distinct_ids.", "ids");
    if (ids.length > MAX_PERSONS_PER_BULK_DELETE || distinctIds.length > MAX_PERSONS_PER_BULK_DELETE) {
      throw invalidInput(`At most ${MAX_PERSONS_PER_BULK_DELETE} persons per request.`, ids.length > MAX_PERSONS_PER_BULK_DELETE ? "ids" : "distinct_ids");
    }
    return { status: 202 };
  }

  function dashboardIds(project: ProjectState, value: unknown): number[] | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || !value.every((id): id is number => Number.isInteger(id))) throw invalidInput("Expected a list of dashboard ids.", "dashboards");
    const unknownId = value.find((id) => !project.dashboards.some((dashboard) => dashboard.id === id));
    if (unknownId !== undefined) throw invalidInput(`Dashboard ${unknownId} does not exist in this project.`, "dashboards");
    return value;
  }

  const served = await serveStandIn("PostHog stand-in", handle, { host, port: options.port, crashed: (res) => sendJson(res, 500, { type: "server_error", code: "error", detail: "stand-in crashed; see its stderr", attr: null }) });
  const { port } = served;

  return {
    url: served.url,
    port,
    events: () => storedEvents.slice(),
    requests: () => recordedRequests.slice(),
    apiCalls: () => recordedApiCalls.slice(),
    setDown: (value) => {
      down = value;
    },
    setFlags: (value) => {
      flags = { ...value };
    },
    clear: () => {
      storedEvents.length = 0;
      recordedRequests.length = 0;
      recordedApiCalls.length = 0;
    },
    close: served.close,
  };
}

function funnelQuery(value: unknown): FunnelInsightQuery & Record<string, unknown> {
  if (!isRecord(value)) throw invalidInput("This field is required and must be an object.", "query");
  if (value.kind !== "InsightVizNode") throw invalidInput(`query.kind must be "InsightVizNode", got ${JSON.stringify(value.kind)}.`, "query");
  const source = value.source;
  if (!isRecord(source) || source.kind !== "FunnelsQuery") throw invalidInput('query.source.kind must be "FunnelsQuery".', "query");
  const series = source.series;
  if (!Array.isArray(series) || series.length === 0) throw invalidInput("query.source.series must be a non-empty list.", "query");
  series.forEach((step: unknown, index) => {
    if (!isRecord(step) || step.kind !== "EventsNode" || typeof step.event !== "string" || step.event.length === 0) {
      throw invalidInput(`query.source.series[${index}] must be {"kind": "EventsNode", "event": "<event name>"}.`, "query");
    }
  });
  return value as FunnelInsightQuery & Record<string, unknown>;
}

function requiredName(value: unknown): string {
  if (typeof value !== "string" || value.trim().length === 0) throw invalidInput("This field is required.", "name");
  return value;
}

function optionalString(value: unknown, attr: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw invalidInput("Not a valid string.", attr);
  return value;
}

function optionalBoolean(value: unknown, attr: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "boolean") throw invalidInput("Must be a valid boolean.", attr);
  return value;
}

function optionalStringArray(value: unknown, attr: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === "string")) throw invalidInput("Expected a list of strings.", attr);
  return value;
}

function jsonObjectBody(body: Buffer): Record<string, unknown> {
  const parsed = parseJsonOrNull(body);
  if (!isRecord(parsed)) throw new ApiError(400, "validation_error", "parse_error", "JSON parse error - expected a JSON object.");
  return parsed;
}

function findById<T extends { id: number }>(items: T[], id: string): T {
  const found = items.find((item) => String(item.id) === id);
  if (!found) throw notFound();
  return found;
}

function listPage<T extends { name: string; deleted: boolean }>(items: T[], search: URLSearchParams): JsonReply {
  const needle = search.get("search")?.toLowerCase() ?? "";
  const results = items.filter((item) => !item.deleted && item.name.toLowerCase().includes(needle));
  return { status: 200, body: { count: results.length, next: null, previous: null, results } };
}

function invalidInput(detail: string, attr: string): ApiError {
  return new ApiError(400, "validation_error", "invalid_input", detail, attr);
}

function notFound(): ApiError {
  return new ApiError(404, "invalid_request", "not_found", "Not found.");
}

function projectIdOf(path: string): string | null {
  return /^\/api\/projects\/([^/]+)\//.exec(path)?.[1] ?? null;
}

function isFeatureFlagValues(value: unknown): value is FeatureFlagValues {
  return isRecord(value) && Object.values(value).every((flag) => typeof flag === "boolean" || typeof flag === "string");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseJsonOrNull(body: Buffer): unknown {
  if (body.length === 0) return null;
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return null;
  }
}

// posthog-js called straight from a page (no /ingest proxy) is cross-origin and sends credentials.
function allowCrossOrigin(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (!origin) return;
  res.setHeader("access-control-allow-origin", origin);
  res.setHeader("access-control-allow-credentials", "true");
  res.setHeader("access-control-allow-methods", "GET, POST, PATCH, DELETE, OPTIONS");
  res.setHeader("access-control-allow-headers", req.headers["access-control-request-headers"] ?? "content-type");
  res.setHeader("vary", "origin");
}

runStandIn(
  import.meta.url,
  async () => {
    const { values } = parseArgs({
      options: {
        port: { type: "string", default: "4010" },
        host: { type: "string", default: "127.0.0.1" },
        "delay-ms": { type: "string", default: "0" },
      },
    });
    const port = Number(values.port);
    const delayMs = Number(values["delay-ms"]);
    if (!Number.isInteger(port) || port < 0 || !Number.isFinite(delayMs) || delayMs < 0) {
      throw new Error("usage: posthog-stand-in.ts [--port 4010] [--host 127.0.0.1] [--delay-ms 0]");
    }
    return startPostHogStandIn({ port, host: values.host, delayMs, personalApiKey: process.env.POSTHOG_PERSONAL_API_KEY });
  },
  (url) => `PostHog stand-in listening on ${url}`,
);
