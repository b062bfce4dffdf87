// Asks PostHog to delete deleted customers (their person and events) through its REST API:
// POST /api/projects/:project_id/persons/bulk_delete/ with their distinct ids. Needs a personal
// API key with the person:write scope. The outbox retries with backoff when PostHog fails.
import "server-only";
import { z } from "zod";
import { env, type Config } from "@/lib/config/env";
import { callPostHogApi, postHogApiAccess, type PostHogApiAccess } from "@/lib/integrations/posthog";
import type { OutboxRow } from "@/lib/outbox/outbox";

/** PostHog's limit per bulk_delete call. */
export const MAX_DISTINCT_IDS_PER_CALL = 1000;

const payloadSchema = z.object({ distinctId: z.string().min(1).max(200) });

export const DELETIONS_NOT_REACHING_POSTHOG =
  "Account deletions are not reaching PostHog: set POSTHOG_PROJECT_ID and POSTHOG_PERSONAL_API_KEY (a personal API key with the person:write scope); until then deleted customers stay in PostHog and their deletion requests wait in the outbox.";

/**
 * What is wrong with deleting people from PostHog, in a sentence for the start log, or null when
 * nothing is: either the trail is not forwarded at all (PostHog never hears of anyone), or the REST
 * API is configured (a half-set or invalid one stops the process at start: lib/config/env.ts).
 * `forwarding` says whether POSTHOG_HOST and POSTHOG_KEY send the trail.
 */
export function personDeletionProblem(forwarding: boolean, config: Config = env()): string | null {
  return forwarding && !postHogApiAccess(config) ? DELETIONS_NOT_REACHING_POSTHOG : null;
}

export async function deletePostHogPersons(access: PostHogApiAccess, distinctIds: string[]): Promise<void> {
  for (let start = 0; start < distinctIds.length; start += MAX_DISTINCT_IDS_PER_CALL) {
    let response: Response;
    try {
      response = await callPostHogApi(access, "POST", "persons/bulk_delete/", { distinct_ids: distinctIds.slice(start, start + MAX_DISTINCT_IDS_PER_CALL), delete_events: true });
    } catch (e) {
      throw new Error(`PostHog unreachable while deleting persons: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!response.ok) throw new Error(`PostHog answered ${response.status} while deleting persons: ${(await response.text()).slice(0, 200)}`);
  }
}

/** The outbox handler for "posthog.delete_person" rows. */
export function personDeletionHandler(access: PostHogApiAccess) {
  return async (rows: OutboxRow[]) => {
    const distinctIds = rows.map((row) => payloadSchema.parse(row.payload).distinctId);
    await deletePostHogPersons(access, [...new Set(distinctIds)]);
  };
}
