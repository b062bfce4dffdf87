// Asks PostHog to delete deleted customers (their person and events) through its REST API:
// POST /api/projects/:project_id/persons/bulk_delete/ with their distinct ids. Needs a personal
// API key with the person:write scope. The outbox retries with backoff when PostHog fails.
import { z } from "zod";
import type { OutboxRow } from "@/lib/outbox/outbox";
import { postHogApiAccessFromEnv, type PostHogApiAccess } from "@/lib/trail/posthog-funnels";

/** PostHog's limit per bulk_delete call. */
export const MAX_DISTINCT_IDS_PER_CALL = 1000;

const payloadSchema = z.object({ distinctId: z.string().min(1).max(200) });

/**
 * Null until POSTHOG_PROJECT_ID and POSTHOG_PERSONAL_API_KEY are set (POSTHOG_API_HOST defaults to
 * PostHog US): deletion requests then wait in the outbox. A set but invalid value throws, so the
 * misconfiguration shows in the job log instead of silently keeping people in PostHog.
 */
export function personDeletionAccess(env: Record<string, string | undefined> = process.env): PostHogApiAccess | null {
  if (!env.POSTHOG_PROJECT_ID && !env.POSTHOG_PERSONAL_API_KEY) return null;
  return postHogApiAccessFromEnv(env);
}

export const DELETIONS_NOT_REACHING_POSTHOG =
  "Account deletions are not reaching PostHog: set POSTHOG_PROJECT_ID and POSTHOG_PERSONAL_API_KEY (a personal API key with the person:write scope); until then deleted customers stay in PostHog and their deletion requests wait in the outbox.";

/**
 * What is wrong with deleting people from PostHog, in a sentence for the start log, or null when
 * nothing is: either the trail is not forwarded at all (PostHog never hears of anyone), or the REST
 * API is configured. `forwarding` says whether POSTHOG_HOST and POSTHOG_KEY send the trail.
 */
export function personDeletionProblem(forwarding: boolean, env: Record<string, string | undefined> = process.env): string | null {
  try {
    if (personDeletionAccess(env)) return null;
  } catch (e) {
    return `PostHog person deletion is misconfigured, so account deletions are not reaching PostHog: ${e instanceof Error ? e.message : String(e)}`;
  }
  return forwarding ? DELETIONS_NOT_REACHING_POSTHOG : null;
}

export async function deletePostHogPersons(access: PostHogApiAccess, distinctIds: string[], fetchImpl: typeof fetch = fetch): Promise<void> {
  const host = access.host.replace(/\/+$/, "");
  for (let start = 0; start < distinctIds.length; start += MAX_DISTINCT_IDS_PER_CALL) {
    const url = `${host}/api/projects/${encodeURIComponent(access.projectId)}/persons/bulk_delete/`;
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method: "POST",
        headers: { authorization: `Bearer ${access.personalApiKey}`, "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ distinct_ids: distinctIds.slice(start, start + MAX_DISTINCT_IDS_PER_CALL), delete_events: true }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (e) {
      throw new Error(`PostHog unreachable while deleting persons: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!response.ok) throw new Error(`PostHog answered ${response.status} while deleting persons: ${(await response.text()).slice(0, 200)}`);
  }
}

/** The outbox handler for "posthog.delete_person" rows. */
export function personDeletionHandler(access: PostHogApiAccess, fetchImpl: typeof fetch = fetch) {
  return async (rows: OutboxRow[]) => {
    const distinctIds = rows.map((row) => payloadSchema.parse(row.payload).distinctId);
    await deletePostHogPersons(access, [...new Set(distinctIds)], fetchImpl);
  };
}
