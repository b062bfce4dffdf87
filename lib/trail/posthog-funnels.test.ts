// The funnel definitions, and their sync over real HTTP against the PostHog stand-in (which checks
// the shape of our REST calls, not PostHog's behaviour).
import { createServer } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startPostHogStandIn, type PostHogStandIn } from "../../e2e/support/posthog-stand-in";
import { FUNNEL_CONVERSION_WINDOW_DAYS, JOURNEY_TYPES, exitEventName, funnelEvents } from "./journeys";
import {
  DASHBOARD_NAME,
  MANAGED_TAG,
  PostHogApiError,
  funnelInsightDefinitions,
  syncPostHogFunnels,
  type FunnelInsightDefinition,
} from "./posthog-funnels";
import { parseConfig } from "@/lib/config/env";
import { postHogApiAccess, type PostHogApiAccess } from "@/lib/integrations/posthog";

const PERSONAL_API_KEY = "phx_waymark_funnel_sync";

type StoredInsight = { id: number; name: string; description: string; tags: string[]; dashboards: number[]; query: FunnelInsightDefinition["query"] };
type StoredDashboard = { id: number; name: string; tags: string[] };

let posthog: PostHogStandIn;
// Insights and dashboards outlive clear(), so each test syncs into a project of its own.
let projectNumber = 0;
let access: PostHogApiAccess;

beforeAll(async () => {
  posthog = await startPostHogStandIn({ port: 0, personalApiKey: PERSONAL_API_KEY });
});
afterAll(async () => {
  await posthog.close();
});
beforeEach(() => {
  projectNumber += 1;
  access = { host: posthog.url, projectId: String(1000 + projectNumber), personalApiKey: PERSONAL_API_KEY };
  posthog.clear();
});

async function stored<T>(collection: "insights" | "dashboards"): Promise<T[]> {
  const response = await fetch(`${posthog.url}/api/projects/${access.projectId}/${collection}/`, { headers: { authorization: `Bearer ${PERSONAL_API_KEY}` } });
  return ((await response.json()) as { results: T[] }).results;
}

async function patchInsight(id: number, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${posthog.url}/api/projects/${access.projectId}/insights/${id}/`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${PERSONAL_API_KEY}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

function writeCalls() {
  return posthog.apiCalls().filter((call) => call.method !== "GET");
}

function seriesEvents(definition: Pick<FunnelInsightDefinition, "query">): string[] {
  return definition.query.source.series.map((step) => step.event);
}

describe("funnel insight definitions", () => {
  const definitions = funnelInsightDefinitions();

  it("declares a drop-off funnel over every declared step, in order, for each journey", () => {
    for (const type of JOURNEY_TYPES) {
      const dropOff = definitions.find((definition) => definition.journey === type && definition.purpose === "drop-off by device");
      expect(dropOff && seriesEvents(dropOff)).toEqual(funnelEvents(type));
      expect(dropOff?.query.source.breakdownFilter).toEqual({ breakdown: "device_class", breakdown_type: "event" });
    }
  });

  it("declares an exits funnel from the first step to the journey's exit, broken down by the exit event's step and channel", () => {
    for (const type of JOURNEY_TYPES) {
      const exits = definitions.find((definition) => definition.journey === type && definition.purpose === "exits by step and channel");
      expect(exits && seriesEvents(exits)).toEqual([funnelEvents(type)[0], exitEventName(type)]);
      expect(exits?.query.source.breakdownFilter.breakdown_type).toBe("hogql");
      // The breakdown value must come from the exit event (index 1): the first step carries no channel.
      expect(exits?.query.source.funnelsFilter).toMatchObject({ breakdownAttributionType: "step", breakdownAttributionValue: 1 });
    }
  });

  it("uses the portal's conversion window and PostHog's ordered funnel for every insight", () => {
    expect(definitions).toHaveLength(JOURNEY_TYPES.length * 2);
    for (const definition of definitions) {
      expect(definition.query.source.funnelsFilter).toMatchObject({ funnelWindowInterval: FUNNEL_CONVERSION_WINDOW_DAYS, funnelWindowIntervalUnit: "day", funnelOrderType: "ordered" });
      // Funnels read a single `breakdown`; `breakdowns` would be silently ignored.
      expect(definition.query.source.breakdownFilter).not.toHaveProperty("breakdowns");
      expect(definition.tags).toEqual([MANAGED_TAG]);
    }
  });

  it("gives every insight a distinct, stable name", () => {
    const names = definitions.map((definition) => definition.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain("Waymark funnel · Start a return · by device");
    expect(names).toContain("Waymark funnel · Start a return · exits by step and channel");
  });
});

describe("syncing the funnels to PostHog", () => {
  it("creates every insight on one dashboard the first time, with the declared steps in order", async () => {
    const definitions = funnelInsightDefinitions();
    const result = await syncPostHogFunnels(access);

    expect(result).toMatchObject({ created: definitions.length, updated: 0, unchanged: 0, dashboard: "created" });
    const dashboards = await stored<StoredDashboard>("dashboards");
    expect(dashboards.map(({ id, name, tags }) => ({ id, name, tags }))).toEqual([{ id: result.dashboardId, name: DASHBOARD_NAME, tags: [MANAGED_TAG] }]);

    const insights = await stored<StoredInsight>("insights");
    expect(insights.map((insight) => insight.name)).toEqual(definitions.map((definition) => definition.name));
    for (const [index, insight] of insights.entries()) {
      expect(seriesEvents(insight)).toEqual(seriesEvents(definitions[index]));
      expect(insight.query.source.funnelsFilter.funnelWindowInterval).toBe(FUNNEL_CONVERSION_WINDOW_DAYS);
      expect(insight.dashboards).toEqual([result.dashboardId]);
      expect(insight.tags).toEqual([MANAGED_TAG]);
    }
  });

  it("changes nothing when run again", async () => {
    const first = await syncPostHogFunnels(access);
    posthog.clear();

    const second = await syncPostHogFunnels(access);

    expect(second).toMatchObject({ created: 0, updated: 0, unchanged: first.created, dashboard: "unchanged", dashboardId: first.dashboardId });
    expect(writeCalls()).toEqual([]);
    expect(await stored<StoredInsight>("insights")).toHaveLength(first.created);
  });

  it("updates exactly the insight whose declaration changed", async () => {
    await syncPostHogFunnels(access);
    const before = await stored<StoredInsight>("insights");
    posthog.clear();

    const changedName = "Waymark funnel · Cancel an order · by device";
    const declarations = funnelInsightDefinitions().map((definition) =>
      definition.name === changedName
        ? { ...definition, query: { ...definition.query, source: { ...definition.query.source, series: [...definition.query.source.series, { kind: "EventsNode" as const, event: "order_cancellation_refund_viewed", name: "order_cancellation_refund_viewed" }] } } }
        : definition,
    );
    const result = await syncPostHogFunnels(access, declarations);

    const changed = before.find((insight) => insight.name === changedName);
    expect(result).toMatchObject({ created: 0, updated: 1, unchanged: declarations.length - 1 });
    expect(result.insights.filter((insight) => insight.outcome === "updated")).toEqual([{ id: changed?.id, name: changedName, outcome: "updated" }]);
    expect(writeCalls().map(({ method, path }) => `${method} ${path}`)).toEqual([`PATCH /api/projects/${access.projectId}/insights/${changed?.id}/`]);
    const after = (await stored<StoredInsight>("insights")).find((insight) => insight.id === changed?.id);
    expect(after && seriesEvents(after)).toEqual(["order_cancellation_detail_viewed", "order_cancellation_lines_viewed", "order_cancellation_confirmation_viewed", "order_cancellation_confirmation_completed", "order_cancellation_refund_viewed"]);
  });

  it("puts an insight back on the dashboard without taking it off the others", async () => {
    const first = await syncPostHogFunnels(access);
    const [insight] = await stored<StoredInsight>("insights");
    const other = await fetch(`${posthog.url}/api/projects/${access.projectId}/dashboards/`, {
      method: "POST",
      headers: { authorization: `Bearer ${PERSONAL_API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Someone's dashboard" }),
    });
    const otherDashboard = (await other.json()) as StoredDashboard;
    await patchInsight(insight.id, { dashboards: [otherDashboard.id] });

    const result = await syncPostHogFunnels(access);

    expect(result).toMatchObject({ created: 0, updated: 1 });
    const repaired = (await stored<StoredInsight>("insights")).find((each) => each.id === insight.id);
    expect(repaired?.dashboards).toEqual([otherDashboard.id, first.dashboardId]);
  });

  it("treats defaults PostHog adds to a stored query as no change", async () => {
    await syncPostHogFunnels(access);
    const [insight] = await stored<StoredInsight>("insights");
    await patchInsight(insight.id, { query: { ...insight.query, version: 2, source: { ...insight.query.source, interval: "day", filterTestAccounts: false } } });
    posthog.clear();

    const result = await syncPostHogFunnels(access);

    expect(result).toMatchObject({ created: 0, updated: 0 });
    expect(writeCalls()).toEqual([]);
  });

  it("refuses a definition whose name it could not find again, before calling PostHog", async () => {
    const [definition] = funnelInsightDefinitions();

    await expect(syncPostHogFunnels(access, [{ ...definition, name: "Return drop-off" }])).rejects.toThrow('Insight name "Return drop-off" must start with "Waymark funnel "');
    expect(posthog.apiCalls()).toEqual([]);
  });

  it("says authentication failed when the key is wrong, without echoing the key", async () => {
    const wrongKey = "phx_not_the_right_one";
    const failure = await syncPostHogFunnels({ ...access, personalApiKey: wrongKey }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(PostHogApiError);
    expect(failure).toMatchObject({ status: 401 });
    expect((failure as Error).message).toMatch(/authentication failed/i);
    expect((failure as Error).message).toContain("Personal API key found in request Authorization header is invalid.");
    expect((failure as Error).message).not.toContain(wrongKey);
    expect(await stored<StoredDashboard>("dashboards")).toEqual([]);
  });

  it("surfaces PostHog's detail when it rejects a definition", async () => {
    const [definition] = funnelInsightDefinitions();
    const empty = { ...definition, query: { ...definition.query, source: { ...definition.query.source, series: [] } } };

    const failure = await syncPostHogFunnels(access, [empty]).catch((error: unknown) => error);

    expect(failure).toMatchObject({ status: 400 });
    expect((failure as Error).message).toBe(`PostHog rejected creating insight "${definition.name}" (HTTP 400): query.source.series must be a non-empty list. (field: query)`);
  });

  it("explains a 403 with the scopes the key needs", async () => {
    const forbidden: typeof fetch = async () =>
      new Response(JSON.stringify({ type: "authentication_error", code: "permission_denied", detail: "You do not have permission to perform this action.", attr: null }), { status: 403 });

    const failure = await syncPostHogFunnels({ ...access, fetch: forbidden }).catch((error: unknown) => error);

    expect(failure).toMatchObject({ status: 403 });
    expect((failure as Error).message).toContain("You do not have permission to perform this action.");
    expect((failure as Error).message).toContain("dashboard:write");
    expect((failure as Error).message).not.toContain(PERSONAL_API_KEY);
  });

  it("says PostHog is unreachable when nothing listens at the host", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (address === null || typeof address === "string") throw new Error("no port");

    const failure = await syncPostHogFunnels({ ...access, host: `http://127.0.0.1:${address.port}` }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(PostHogApiError);
    expect(failure).toMatchObject({ status: null });
    expect((failure as Error).message).toMatch(/^Could not reach PostHog at http:\/\/127\.0\.0\.1:\d+ while listing dashboards: .*ECONNREFUSED/);
  });
});

describe("PostHog access from the environment", () => {
  it("defaults the host to PostHog US cloud", () => {
    expect(postHogApiAccess(parseConfig({ POSTHOG_PROJECT_ID: "12345", POSTHOG_PERSONAL_API_KEY: "phx_abc" }))).toEqual({ host: "https://us.posthog.com", projectId: "12345", personalApiKey: "phx_abc" });
  });

  it("is absent until both variables are set, and names the missing one and how to get it", () => {
    expect(postHogApiAccess(parseConfig({}))).toBeNull();
    expect(() => parseConfig({ POSTHOG_PROJECT_ID: "12345" })).toThrow(/POSTHOG_PERSONAL_API_KEY is not set: .*Personal API keys/);
    expect(() => parseConfig({ POSTHOG_PERSONAL_API_KEY: "phx_abc" })).toThrow(/POSTHOG_PROJECT_ID is not set: .*Project ID/);
  });

  it("refuses a project name or a host that is not a URL, without echoing the key", () => {
    const attempt = () => parseConfig({ POSTHOG_API_HOST: "eu.posthog.com", POSTHOG_PROJECT_ID: "waymark", POSTHOG_PERSONAL_API_KEY: "phx_secret" });
    expect(attempt).toThrow(/POSTHOG_PROJECT_ID is invalid: must be the numeric project id[\s\S]*POSTHOG_API_HOST is invalid: must be an http\(s\) URL/);
    expect(attempt).not.toThrow(/phx_secret/);
  });
});
