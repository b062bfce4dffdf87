// Background work inside the server process: outbox delivery and closing idle journeys. Started
// once from instrumentation.ts; every step is safe to run in several processes at once.
import { db } from "@/lib/db/client";
import { posthogConfig, sendToPostHog, type QueuedPostHogEvent } from "@/lib/integrations/posthog";
import { deliverDue } from "@/lib/outbox/outbox";
import { POSTHOG_DELETE_PERSON_TOPIC } from "@/lib/privacy/deletion";
import { personDeletionAccess, personDeletionHandler } from "@/lib/privacy/posthog-person-deletion";
import { closeIdleJourneys } from "@/lib/trail/abandon";

const state = globalThis as unknown as { waymarkJobs?: { running: boolean; timers: NodeJS.Timeout[]; kicked?: NodeJS.Timeout } };

async function deliverPostHog() {
  const config = posthogConfig();
  if (!config) return;
  await deliverDue(db(), "posthog", (rows) => sendToPostHog(config, rows.map((r) => r.payload as QueuedPostHogEvent)));
}

// Deleted accounts: their PostHog person is deleted once the REST API is configured; until then
// the requests wait in the outbox.
async function deletePostHogPersons() {
  const access = personDeletionAccess();
  if (!access) return;
  await deliverDue(db(), POSTHOG_DELETE_PERSON_TOPIC, personDeletionHandler(access));
}

async function closeAbandoned() {
  const idleMinutes = Number(process.env.ABANDON_AFTER_MINUTES ?? 30);
  await closeIdleJourneys(db(), { idleMinutes, forwarding: posthogConfig() !== null });
}

function guarded(name: string, work: () => Promise<void>) {
  let busy = false;
  return async () => {
    if (busy) return;
    busy = true;
    try {
      await work();
    } catch (e) {
      console.error(`[jobs] ${name} failed`, e instanceof Error ? e.message : e);
    } finally {
      busy = false;
    }
  };
}

const outboxTick = guarded("outbox", deliverPostHog);
const personDeletionTick = guarded("posthog person deletion", deletePostHogPersons);
const abandonTick = guarded("abandonment", closeAbandoned);

export function startJobs() {
  if (state.waymarkJobs?.running || !process.env.DATABASE_URL) return;
  const outboxMs = Number(process.env.OUTBOX_INTERVAL_MS ?? 2000);
  const abandonMs = Number(process.env.ABANDON_CHECK_INTERVAL_MS ?? 60_000);
  state.waymarkJobs = { running: true, timers: [setInterval(outboxTick, outboxMs), setInterval(abandonTick, abandonMs), setInterval(personDeletionTick, outboxMs)] };
  for (const t of state.waymarkJobs.timers) t.unref();
}

/** Asks for a delivery soon, without making the caller wait for it. */
export function kickOutbox() {
  if (!state.waymarkJobs || state.waymarkJobs.kicked) return;
  state.waymarkJobs.kicked = setTimeout(() => {
    state.waymarkJobs!.kicked = undefined;
    void outboxTick();
  }, 200);
}
