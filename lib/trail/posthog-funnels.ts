// The PostHog side of the journey funnels: saved insights derived from the journey declarations,
// and an idempotent sync that creates or updates them through PostHog's REST API (HogQL-era
// `query` format). Framework-free: scripts/posthog-funnels.ts runs it; tests run it against the
// PostHog stand-in.
import { z } from "zod";
import { callPostHogApi, type PostHogApiAccess } from "@/lib/integrations/posthog";
import { FUNNEL_CONVERSION_WINDOW_DAYS, JOURNEYS, JOURNEY_TYPES, exitEventName, funnelEvents, type JourneyType } from "./journeys";

export const MANAGED_TAG = "waymark-managed";
export const FUNNEL_NAME_PREFIX = "Waymark funnel";
export const DASHBOARD_NAME = "Waymark · Self-service drop-off";
// Wide enough to see a trend, short enough that old releases do not blur today's drop-off.
export const FUNNEL_DATE_FROM = "-30d";
// What the exits insight breaks down by: the step the customer left from and the channel they
// left for, as one value ("items → PHONE"). Both live on the `<journey>_exited` event.
export const EXIT_BREAKDOWN_EXPRESSION = "concat(properties.step, ' → ', properties.channel)";

const MANAGED_NOTICE = "Managed by scripts/posthog-funnels.ts from lib/trail/journeys.ts: changes made here are overwritten on the next sync.";

export type PostHogEventsNode = { kind: "EventsNode"; event: string; name: string };

export type PostHogFunnelsFilter = {
  funnelVizType: "steps";
  funnelOrderType: "ordered";
  funnelWindowInterval: number;
  funnelWindowIntervalUnit: "day";
  /** Counts attempts (journeys), as the portal's own funnels do, instead of persons. */
  funnelAggregateByHogQL: string;
  /** Which step's event gives a person their breakdown value (0-indexed, with "step"). */
  breakdownAttributionType: "first_touch" | "step";
  breakdownAttributionValue?: number;
};

export type PostHogBreakdownFilter = { breakdown: string; breakdown_type: "event" | "hogql" };

export type PostHogFunnelQuery = {
  kind: "InsightVizNode";
  source: {
    kind: "FunnelsQuery";
    series: PostHogEventsNode[];
    funnelsFilter: PostHogFunnelsFilter;
    breakdownFilter: PostHogBreakdownFilter;
    dateRange: { date_from: string };
  };
};

export type FunnelInsightPurpose = "drop-off by device" | "exits by step and channel";

export type FunnelInsightDefinition = {
  journey: JourneyType;
  purpose: FunnelInsightPurpose;
  /** Stable: the sync finds the insight again by this exact name. */
  name: string;
  description: string;
  query: PostHogFunnelQuery;
  tags: string[];
};

export type DashboardDefinition = { name: string; description: string; tags: string[] };

export function funnelBaseName(type: JourneyType): string {
  return `${FUNNEL_NAME_PREFIX} · ${JOURNEYS[type].label}`;
}

function eventsNode(event: string): PostHogEventsNode {
  return { kind: "EventsNode", event, name: event };
}

function funnelQuery(events: string[], breakdownFilter: PostHogBreakdownFilter, attribution: Pick<PostHogFunnelsFilter, "breakdownAttributionType" | "breakdownAttributionValue">): PostHogFunnelQuery {
  return {
    kind: "InsightVizNode",
    source: {
      kind: "FunnelsQuery",
      series: events.map(eventsNode),
      funnelsFilter: {
        funnelVizType: "steps",
        // Ordered, not strict: other events (page views, errors, other tabs) may happen between steps.
        funnelOrderType: "ordered",
        funnelWindowInterval: FUNNEL_CONVERSION_WINDOW_DAYS,
        funnelWindowIntervalUnit: "day",
        // One customer may attempt a task several times; each attempt is one journey.
        funnelAggregateByHogQL: "properties.journey_id",
        ...attribution,
      },
      breakdownFilter,
      dateRange: { date_from: FUNNEL_DATE_FROM },
    },
  };
}

/**
 * Two insights per journey, because a PostHog funnel takes ONE breakdown: `breakdownFilter.breakdowns`
 * (several breakdowns) is read by trends only; funnels read `breakdownFilter.breakdown`.
 *
 * 1. "by device": every step in order, broken down by `device_class` of the first step, which
 *    shows at which step customers stop, and whether phones stop earlier than desktops.
 * 2. "exits by step and channel": a two-step funnel, first step viewed → `<journey>_exited`. Its
 *    conversion is the share of customers who started the task and left it for another channel
 *    within the window, which a trends count of exits cannot say (it has no starters to divide by).
 *    Its breakdown, "step → channel", is taken from the exit event (attribution "step" 1: the
 *    first step's events carry no channel), so each bucket's size says where customers leave from
 *    and where they go. Read bucket sizes, not bucket rates: within a bucket everyone exited.
 */
export function funnelInsightDefinitions(): FunnelInsightDefinition[] {
  return JOURNEY_TYPES.flatMap((type): FunnelInsightDefinition[] => {
    const base = funnelBaseName(type);
    const steps = funnelEvents(type);
    const conversionWindow = `${FUNNEL_CONVERSION_WINDOW_DAYS}-day window`;
    return [
      {
        journey: type,
        purpose: "drop-off by device",
        name: `${base} · by device`,
        description: `Ordered funnel over every step of "${JOURNEYS[type].label}" (${conversionWindow}), by device class. ${MANAGED_NOTICE}`,
        query: funnelQuery(steps, { breakdown: "device_class", breakdown_type: "event" }, { breakdownAttributionType: "first_touch" }),
        tags: [MANAGED_TAG],
      },
      {
        journey: type,
        purpose: "exits by step and channel",
        name: `${base} · exits by step and channel`,
        description: `Share of customers who started "${JOURNEYS[type].label}" and left it for another channel (${conversionWindow}), by the step they left from and the channel they chose. ${MANAGED_NOTICE}`,
        query: funnelQuery([steps[0], exitEventName(type)], { breakdown: EXIT_BREAKDOWN_EXPRESSION, breakdown_type: "hogql" }, { breakdownAttributionType: "step", breakdownAttributionValue: 1 }),
        tags: [MANAGED_TAG],
      },
    ];
  });
}

export function dashboardDefinition(): DashboardDefinition {
  return {
    name: DASHBOARD_NAME,
    description: `Where customers stop in each self-service task, and which channel they turn to instead. ${MANAGED_NOTICE}`,
    tags: [MANAGED_TAG],
  };
}

// ---------------------------------------------------------------------------------------------
// Sync

export type SyncOutcome = "created" | "updated" | "unchanged";

export type FunnelSyncResult = {
  /** Insights only; the dashboard's outcome is `dashboard`. */
  created: number;
  updated: number;
  unchanged: number;
  dashboardId: number;
  dashboard: SyncOutcome;
  insights: Array<{ id: number; name: string; outcome: SyncOutcome }>;
};

/** PostHog unreachable (status null) or refusing a call, worded for whoever runs the script; never carries the key. */
export class PostHogApiError extends Error {
  constructor(
    readonly status: number | null,
    message: string,
  ) {
    super(message);
    this.name = "PostHogApiError";
  }
}

// Only the fields the sync reads; PostHog sends many more.
const storedInsightSchema = z.object({
  id: z.number().int(),
  name: z.string().nullable(),
  description: z.string().nullable().optional(),
  query: z.unknown(),
  dashboards: z.array(z.number().int()).default([]),
});
const storedDashboardSchema = z.object({
  id: z.number().int(),
  name: z.string().nullable(),
  description: z.string().nullable().optional(),
});
type StoredInsight = z.infer<typeof storedInsightSchema>;

const pageSchema = <T extends z.ZodType>(item: T) => z.object({ next: z.string().nullable().optional(), results: z.array(item) });
const errorBodySchema = z.object({ detail: z.string().optional(), attr: z.string().nullable().optional() });

/**
 * Creates the missing insights and the dashboard, updates the ones whose definition changed and
 * leaves the rest alone; running it twice changes nothing the second time. Insights are found by
 * their exact name, so renaming one in PostHog makes the next sync create a fresh one.
 */
export async function syncPostHogFunnels(api: PostHogApiAccess, definitions: FunnelInsightDefinition[] = funnelInsightDefinitions(), dashboard: DashboardDefinition = dashboardDefinition()): Promise<FunnelSyncResult> {
  // Existing insights are looked up with one search for the common prefix, so a name outside it would never be found and be created again on every run.
  const outsidePrefix = definitions.find((definition) => !definition.name.startsWith(`${FUNNEL_NAME_PREFIX} `));
  if (outsidePrefix) throw new Error(`Insight name "${outsidePrefix.name}" must start with "${FUNNEL_NAME_PREFIX} " for the sync to find it again.`);
  const client = new PostHogApiClient(api);
  const { id: dashboardId, outcome: dashboardOutcome } = await syncDashboard(client, dashboard);

  const existing = await client.list("insights", FUNNEL_NAME_PREFIX, storedInsightSchema);
  const insights: FunnelSyncResult["insights"] = [];
  for (const definition of definitions) {
    const found = oldestNamed(existing, definition.name);
    if (!found) {
      const created = await client.send("POST", "insights/", insightBody(definition, [dashboardId]), `creating insight "${definition.name}"`, storedInsightSchema);
      insights.push({ id: created.id, name: definition.name, outcome: "created" });
    } else if (insightDiffers(found, definition, dashboardId)) {
      // Keeps the insight on any other dashboard someone put it on.
      const dashboards = found.dashboards.includes(dashboardId) ? found.dashboards : [...found.dashboards, dashboardId];
      await client.send("PATCH", `insights/${found.id}/`, insightBody(definition, dashboards), `updating insight "${definition.name}"`, storedInsightSchema);
      insights.push({ id: found.id, name: definition.name, outcome: "updated" });
    } else {
      insights.push({ id: found.id, name: definition.name, outcome: "unchanged" });
    }
  }
  const count = (outcome: SyncOutcome) => insights.filter((insight) => insight.outcome === outcome).length;
  return { created: count("created"), updated: count("updated"), unchanged: count("unchanged"), dashboardId, dashboard: dashboardOutcome, insights };
}

async function syncDashboard(client: PostHogApiClient, dashboard: DashboardDefinition): Promise<{ id: number; outcome: SyncOutcome }> {
  const found = oldestNamed(await client.list("dashboards", dashboard.name, storedDashboardSchema), dashboard.name);
  if (!found) {
    const created = await client.send("POST", "dashboards/", { ...dashboard }, `creating dashboard "${dashboard.name}"`, storedDashboardSchema);
    return { id: created.id, outcome: "created" };
  }
  if ((found.description ?? "") === dashboard.description) return { id: found.id, outcome: "unchanged" };
  await client.send("PATCH", `dashboards/${found.id}/`, { description: dashboard.description, tags: dashboard.tags }, `updating dashboard "${dashboard.name}"`, storedDashboardSchema);
  return { id: found.id, outcome: "updated" };
}

function insightBody(definition: FunnelInsightDefinition, dashboards: number[]): Record<string, unknown> {
  return { name: definition.name, description: definition.description, query: definition.query, tags: definition.tags, dashboards };
}

// Tags are left out of the comparison on purpose: PostHog drops them on plans without tagging, and
// comparing them would then update every insight on every run.
function insightDiffers(stored: StoredInsight, definition: FunnelInsightDefinition, dashboardId: number): boolean {
  return (stored.description ?? "") !== definition.description || !stored.dashboards.includes(dashboardId) || !containsDefinition(stored.query, definition.query);
}

/**
 * True when `stored` holds everything `wanted` says. PostHog adds defaults (a schema `version`,
 * nulls for unset filters) to the query it stores, so exact equality would see a change every
 * time; lists still have to match in length and order, so a step added, removed or moved counts.
 */
export function containsDefinition(stored: unknown, wanted: unknown): boolean {
  if (Array.isArray(wanted)) {
    return Array.isArray(stored) && stored.length === wanted.length && wanted.every((item, index) => containsDefinition(stored[index], item));
  }
  if (isRecord(wanted)) {
    return isRecord(stored) && Object.entries(wanted).every(([key, value]) => containsDefinition(stored[key], value));
  }
  return Object.is(stored, wanted);
}

// Names are not unique in PostHog; when someone duplicated one of ours, the original wins.
function oldestNamed<T extends { id: number; name: string | null }>(items: T[], name: string): T | undefined {
  return items.filter((item) => item.name === name).sort((a, b) => a.id - b.id)[0];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

class PostHogApiClient {
  constructor(private readonly access: PostHogApiAccess) {}

  /** Every page of `?search=` results; PostHog's search is a substring match, so callers filter exact names. */
  async list<T extends z.ZodType>(collection: "insights" | "dashboards", search: string, item: T): Promise<Array<z.infer<T>>> {
    const pageOfItems = pageSchema(item);
    const results: Array<z.infer<T>> = [];
    let target: string | null = `${collection}/?${new URLSearchParams({ search, limit: "100" })}`;
    while (target) {
      const page: z.infer<typeof pageOfItems> = await this.request("GET", target, undefined, `listing ${collection}`, pageOfItems);
      results.push(...page.results);
      target = page.next ?? null;
    }
    return results;
  }

  send<T extends z.ZodType>(method: "POST" | "PATCH", path: string, body: Record<string, unknown>, action: string, schema: T): Promise<z.infer<T>> {
    return this.request(method, path, body, action, schema);
  }

  private async request<T extends z.ZodType>(method: "GET" | "POST" | "PATCH", target: string, body: Record<string, unknown> | undefined, action: string, schema: T): Promise<z.infer<T>> {
    let response: Response;
    try {
      response = await callPostHogApi(this.access, method, target, body);
    } catch (error) {
      const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      throw new PostHogApiError(null, `Could not reach PostHog at ${this.access.host} while ${action}: ${reason}`);
    }
    const text = await response.text();
    if (!response.ok) throw this.refusal(response.status, text, action);
    const parsed = schema.safeParse(parseJson(text));
    if (!parsed.success) throw new Error(`PostHog answered ${action} with an unexpected body (HTTP ${response.status}); is ${this.access.host} PostHog's app host (not the ingestion host)?`);
    return parsed.data;
  }

  private refusal(status: number, text: string, action: string): PostHogApiError {
    const errorBody = errorBodySchema.safeParse(parseJson(text));
    const detail = errorBody.success && errorBody.data.detail ? errorBody.data.detail : text.slice(0, 300) || "no details";
    const field = errorBody.success && errorBody.data.attr ? ` (field: ${errorBody.data.attr})` : "";
    const project = this.access.projectId;
    switch (status) {
      case 401:
        return new PostHogApiError(status, `PostHog authentication failed while ${action} (HTTP 401): ${detail} Check POSTHOG_PERSONAL_API_KEY: it must be a personal API key (phx_…), not the project token (phc_…).`);
      case 403:
        return new PostHogApiError(status, `PostHog refused ${action} in project ${project} (HTTP 403): ${detail} The personal API key needs the insight:read, insight:write, dashboard:read and dashboard:write scopes and access to this project.`);
      case 400:
        return new PostHogApiError(status, `PostHog rejected ${action} (HTTP 400): ${detail}${field}`);
      case 404:
        return new PostHogApiError(status, `PostHog found nothing while ${action} (HTTP 404): is ${project} a project of ${this.access.host}? Check POSTHOG_PROJECT_ID and POSTHOG_API_HOST.`);
      default:
        return new PostHogApiError(status, `PostHog answered HTTP ${status} while ${action}: ${detail}`);
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
