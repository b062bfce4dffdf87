// Background work: outbox deliveries, emails, closing idle journeys and the insights rollups. Run by
// the worker process (scripts/worker.ts), never by the web server, so the portal runs as N web
// replicas and M workers on one PostgreSQL; every job is safe to run in several workers at once.
// The web process only asks for a delivery soon (kickOutbox), through PostgreSQL's NOTIFY.
import "server-only";
import pg from "pg";
import { PASSWORD_RESET_TOPIC, sendPasswordResetLinks } from "@/lib/accounts/accounts";
import { clearExpiredBudgets } from "@/lib/auth/rate-limit";
import { env } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { backOfficeConfig, deliverBusinessEvents } from "@/lib/integrations/backoffice";
import { carrierConfig } from "@/lib/integrations/carrier";
import { postHogApiAccess, posthogConfig, postHogDeliveryHandler } from "@/lib/integrations/posthog";
import { insightsJob } from "@/lib/insights/refresh";
import { smsConfig } from "@/lib/integrations/sms";
import { sendPendingEmails, smtpTransport } from "@/lib/mail/smtp";
import { deliverNotificationEmails, deliverNotificationTexts } from "@/lib/notify/delivery";
import { messageLinks } from "@/lib/notify/links";
import { runProactiveNotices } from "@/lib/notify/proactive";
import { deliverDue } from "@/lib/outbox/outbox";
import { deliverStripeOutbox } from "@/lib/payments/outbox";
import { stripeClient } from "@/lib/payments/stripe";
import { POSTHOG_DELETE_PERSON_TOPIC } from "@/lib/privacy/deletion";
import { personDeletionHandler, personDeletionProblem } from "@/lib/privacy/posthog-person-deletion";
import { CARRIER_LABEL_TOPIC, labelHandler } from "@/lib/returns/labels";
import { settleRefundedReturns } from "@/lib/returns/lifecycle";
import { closeIdleJourneys } from "@/lib/trail/abandon";
import { workerApplicationName } from "./workers";

/** The channel a web process notifies when fresh side effects should be delivered soon. */
export const KICK_CHANNEL = "waymark_jobs";
const KICK_DEBOUNCE_MS = 200;

const state = globalThis as unknown as { waymarkKick?: NodeJS.Timeout };

async function deliverPostHog() {
  const config = posthogConfig();
  if (!config) return;
  await deliverDue(db(), "posthog", postHogDeliveryHandler(db(), config));
}

// Deleted accounts: their PostHog person is deleted once the REST API is configured; until then
// the requests wait in the outbox.
async function deletePostHogPersons() {
  const access = postHogApiAccess();
  if (!access) return;
  await deliverDue(db(), POSTHOG_DELETE_PERSON_TOPIC, personDeletionHandler(access));
}

// Refunds, authorisation releases and saved-card charges that could not reach Stripe at once.
// Without Stripe configured they wait in the outbox.
async function deliverStripe() {
  const stripe = stripeClient();
  if (!stripe) return;
  await deliverStripeOutbox(db(), stripe);
}

// Business events to the back office's endpoints (ERP, CRM), each endpoint retried on its own.
// Without endpoints configured the events wait in the outbox.
async function deliverBackOffice() {
  const config = backOfficeConfig();
  if (!config) return;
  await deliverBusinessEvents(db(), config);
}

// Return labels the carrier could not book at once (without a carrier configured they wait in the
// outbox), and returns whose refund Stripe has settled since.
async function deliverReturns() {
  const carrier = carrierConfig();
  if (carrier) await deliverDue(db(), CARRIER_LABEL_TOPIC, labelHandler(db(), carrier));
  await settleRefundedReturns(db());
}

async function closeAbandoned() {
  await closeIdleJourneys(db(), { idleMinutes: env().ABANDON_AFTER_MINUTES, forwarding: posthogConfig() !== null });
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

// Reset requests are answered at once and worked here, so the answer cannot tell who has an account.
async function sendPasswordResets() {
  await deliverDue(db(), PASSWORD_RESET_TOPIC, (rows) => sendPasswordResetLinks(db(), rows));
}

async function clearRateLimits() {
  await clearExpiredBudgets(db());
}

// Notification emails are rendered into the email queue whether or not SMTP is configured (the dev
// mailbox shows them); the queue goes out over SMTP when it is.
async function sendEmails() {
  await deliverNotificationEmails(db(), messageLinks());
  const smtp = smtpTransport();
  if (smtp) await sendPendingEmails(db(), smtp);
}

// Without an SMS provider configured the texts wait in the outbox.
async function sendTexts() {
  const config = smsConfig();
  if (config) await deliverNotificationTexts(db(), config, messageLinks());
}

const outboxMs = () => env().OUTBOX_INTERVAL_MS;

// Every background job, how often it runs, and whether a fresh side effect should wake it early.
const JOBS = [
  { name: "posthog outbox", every: outboxMs, work: deliverPostHog, onKick: true },
  { name: "stripe outbox", every: outboxMs, work: deliverStripe, onKick: true },
  { name: "returns", every: outboxMs, work: deliverReturns, onKick: true },
  { name: "back office webhooks", every: outboxMs, work: deliverBackOffice, onKick: false },
  { name: "posthog person deletion", every: outboxMs, work: deletePostHogPersons, onKick: false },
  { name: "password resets", every: outboxMs, work: sendPasswordResets, onKick: true },
  { name: "email", every: outboxMs, work: sendEmails, onKick: true },
  { name: "text messages", every: outboxMs, work: sendTexts, onKick: true },
  // Late orders, late refunds and closing return windows: told before the customer has to ask.
  { name: "proactive notices", every: () => 5 * 60_000, work: () => runProactiveNotices(db(), new Date()).then(() => undefined), onKick: false },
  { name: "rate-limit cleanup", every: () => 5 * 60_000, work: clearRateLimits, onKick: false },
  { name: "abandonment", every: () => env().ABANDON_CHECK_INTERVAL_MS, work: closeAbandoned, onKick: false },
  // The analyst pages' rollups: attempts queued by the trail's triggers, recomputed within seconds.
  { name: "insights rollups", every: () => env().INSIGHTS_REFRESH_INTERVAL_MS, work: insightsJob(db), onKick: false },
].map((job) => ({ ...job, tick: guarded(job.name, job.work) }));

export type RunningJobs = { stop(): Promise<void> };

/** Runs every job on its interval, and the kicked ones early when a web process notifies KICK_CHANNEL. */
export async function startJobs(databaseUrl: string): Promise<RunningJobs> {
  // Said once at start, in the worker's log, besides the red row on /agent/health.
  const deletionProblem = personDeletionProblem(posthogConfig() !== null);
  if (deletionProblem) console.warn(`[waymark] warning: ${deletionProblem}`);
  const timers = JOBS.map((job) => setInterval(() => void job.tick(), job.every()));
  let kicked: NodeJS.Timeout | undefined;
  const kick = () => {
    kicked ??= setTimeout(() => {
      kicked = undefined;
      for (const job of JOBS) if (job.onKick) void job.tick();
    }, KICK_DEBOUNCE_MS);
  };
  // Kicks only make deliveries sooner: if this connection drops, the intervals still deliver everything.
  let listener: pg.Client | undefined;
  let stopped = false;
  const listen = async () => {
    const client = new pg.Client({ connectionString: databaseUrl, application_name: workerApplicationName() });
    client.on("notification", kick);
    client.on("error", (e) => {
      console.error(`[jobs] listening for kicks failed: ${e.message}; retrying`);
      void client.end().catch(() => {});
      if (!stopped) setTimeout(() => void listen().catch(() => {}), 5_000);
    });
    await client.connect();
    await client.query(`LISTEN ${KICK_CHANNEL}`);
    listener = client;
  };
  await listen();
  return {
    async stop() {
      stopped = true;
      timers.forEach(clearInterval);
      clearTimeout(kicked);
      await listener?.end().catch(() => {});
    },
  };
}

/** Asks the workers for a delivery soon, without making the caller wait for it (at most one notification per 200 ms). */
export function kickOutbox() {
  if (state.waymarkKick) return;
  state.waymarkKick = setTimeout(() => {
    state.waymarkKick = undefined;
    db()
      .$executeRaw`SELECT pg_notify(${KICK_CHANNEL}, '')`
      .catch((e: unknown) => console.error("[jobs] kick failed", e instanceof Error ? e.message : e));
  }, KICK_DEBOUNCE_MS);
}
