// How a web process asks for side effects it has just queued to be delivered now rather than at the
// duty's next run: it brings forward the queued job of each kicked duty (graphile-worker's add_job
// with the duty's job key: the one waiting run moves to now, or one more run is queued behind a run
// in progress), and graphile-worker's own NOTIFY wakes a worker at once. Plain SQL through the portal's
// Prisma client, so the web process loads nothing of the job library.
import "server-only";
import { type Db, db } from "@/lib/db/client";
import { JOB_SCHEMA } from "./schema";

/** The duties a fresh side effect may be waiting for (declared in ./duties.ts, where `kicked` is set). */
export const KICKED_DUTIES = ["posthog-outbox", "stripe-outbox", "returns", "password-resets", "sign-ups", "email", "text-messages"] as const;

const KICK_DEBOUNCE_MS = 200;
const state = globalThis as unknown as { waymarkKick?: NodeJS.Timeout };

/** Brings the kicked duties' next runs forward to now. */
export async function kickDuties(database: Db): Promise<void> {
  await database.$executeRawUnsafe(
    // The same job key and queue as the duty's own runs (dutyJob in ./schema.ts).
    `SELECT ${JOB_SCHEMA}.add_job(duty, queue_name => duty, job_key => duty, job_key_mode => 'replace') FROM unnest($1::text[]) AS duty`,
    [...KICKED_DUTIES],
  );
}

/** Asks the workers for a delivery soon, without making the caller wait for it (at most one kick per 200 ms). */
export function kickOutbox() {
  if (state.waymarkKick) return;
  state.waymarkKick = setTimeout(() => void sendKick(), KICK_DEBOUNCE_MS);
}

/** Sends a kick still waiting out its debounce now: before the process's database client goes away. */
export async function settleKick(): Promise<void> {
  if (state.waymarkKick) await sendKick();
}

async function sendKick() {
  clearTimeout(state.waymarkKick);
  state.waymarkKick = undefined;
  await kickDuties(db()).catch((e: unknown) => console.error("[jobs] kick failed", e instanceof Error ? e.message : e));
}
