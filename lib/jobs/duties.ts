// Every background duty, declared once: what it does and how often it runs (which duties a web
// process brings forward when it has just queued something is listed in ./kick.ts). The worker
// process runs them as jobs of graphile-worker (lib/jobs/runner.ts); each duty is safe to run in
// several workers at once, since what it delivers is claimed row by row from the outbox.
import "server-only";
import { PASSWORD_RESET_TOPIC, sendPasswordResetLinks } from "@/lib/accounts/accounts";
import { sendSignUpEmails, SIGNUP_REQUEST_TOPIC } from "@/lib/accounts/signup";
import { clearExpiredBudgets } from "@/lib/auth/rate-limit";
import { env } from "@/lib/config/env";
import { db, type Db } from "@/lib/db/client";
import { retrainRiskModel } from "@/lib/experience/training";
import { backOfficeConfig, deliverBusinessEvents } from "@/lib/integrations/backoffice";
import { carrierConfig } from "@/lib/integrations/carrier";
import { POSTHOG_ROWS_PER_SEND, POSTHOG_TOPIC, postHogApiAccess, posthogConfig, postHogDeliveryHandler } from "@/lib/integrations/posthog";
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
import { personDeletionHandler } from "@/lib/privacy/posthog-person-deletion";
import { callOffHandler, CARRIER_CANCEL_TOPIC, CARRIER_LABEL_TOPIC, labelHandler } from "@/lib/returns/labels";
import { settleRefundedReturns } from "@/lib/returns/lifecycle";
import { removeUnusedPhotos } from "@/lib/returns/photos";
import { closeIdleJourneys } from "@/lib/trail/abandon";
import { oldestIntentAt, storeLeftIntents } from "@/lib/trail/store";

async function deliverPostHog() {
  const config = posthogConfig();
  if (!config) return;
  await deliverDue(db(), POSTHOG_TOPIC, postHogDeliveryHandler(db(), config), POSTHOG_ROWS_PER_SEND);
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

// Return labels the carrier could not book at once and bookings of cancelled returns to call off
// (without a carrier configured both wait in the outbox), and returns whose refund Stripe has settled since.
async function deliverReturns() {
  const carrier = carrierConfig();
  if (carrier) {
    await deliverDue(db(), CARRIER_LABEL_TOPIC, labelHandler(db(), carrier));
    await deliverDue(db(), CARRIER_CANCEL_TOPIC, callOffHandler(db(), carrier));
  }
  await settleRefundedReturns(db());
}

// A task's trail steps commit with it and its process stores them a moment later; those of a
// process that stopped in between are stored here. Younger ones are left to their process.
const INTENT_GRACE_MS = 10_000;
const INTENTS_PER_ROUND = 200;

// Round after round while whole rounds are stored: one that stores fewer leaves the rest (intents
// the trail cannot take, reported) for the next run instead of going round them for ever.
async function storeLeftTrail() {
  while ((await storeLeftIntents(db(), new Date(Date.now() - INTENT_GRACE_MS), INTENTS_PER_ROUND)) === INTENTS_PER_ROUND);
}

async function closeAbandoned() {
  await closeIdleJourneys(db(), { idleMinutes: env().ABANDON_AFTER_MINUTES, forwarding: posthogConfig() !== null });
}

// Reset requests are answered at once and worked here, so the answer cannot tell who has an account.
async function sendPasswordResets() {
  await deliverDue(db(), PASSWORD_RESET_TOPIC, (rows) => sendPasswordResetLinks(db(), rows));
}

// Sign-ups too: whether the address has an account is looked at only here (lib/accounts/signup.ts).
async function answerSignUps() {
  await deliverDue(db(), SIGNUP_REQUEST_TOPIC, (rows) => sendSignUpEmails(db(), rows));
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
// Samples are weekly cut-offs: a day adds a seventh of a week's news, so daily is often enough.
const RISK_RETRAIN_MS = 24 * 3_600_000;

/** `oldestWaiting`: for a duty that clears a backlog, when its oldest item came (the health page says when runs do not clear it). */
export type Duty = { name: string; every: () => number; work: () => Promise<void>; oldestWaiting?: (db: Db) => Promise<Date | null> };

/** Every duty; its name is its graphile-worker task identifier and the job key that keeps one run of it queued. */
export const DUTIES: readonly Duty[] = [
  { name: "posthog-outbox", every: outboxMs, work: deliverPostHog },
  { name: "stripe-outbox", every: outboxMs, work: deliverStripe },
  { name: "returns", every: outboxMs, work: deliverReturns },
  { name: "back-office-webhooks", every: outboxMs, work: deliverBackOffice },
  { name: "posthog-person-deletion", every: outboxMs, work: deletePostHogPersons },
  { name: "password-resets", every: outboxMs, work: sendPasswordResets },
  { name: "sign-ups", every: outboxMs, work: answerSignUps },
  { name: "email", every: outboxMs, work: sendEmails },
  { name: "text-messages", every: outboxMs, work: sendTexts },
  // Late orders, late refunds and closing return windows: told before the customer has to ask.
  { name: "proactive-notices", every: () => 5 * 60_000, work: () => runProactiveNotices(db(), new Date()).then(() => undefined) },
  { name: "rate-limit-cleanup", every: () => 5 * 60_000, work: clearRateLimits },
  // Photos uploaded for a return that was never sent.
  { name: "return-photo-cleanup", every: () => 60 * 60_000, work: () => removeUnusedPhotos(db(), new Date(), env().RETURN_PHOTO_UNUSED_HOURS * 3_600_000).then(() => undefined) },
  { name: "trail-intents", every: outboxMs, work: storeLeftTrail, oldestWaiting: oldestIntentAt },
  { name: "abandonment", every: () => env().ABANDON_CHECK_INTERVAL_MS, work: closeAbandoned },
  // The analyst pages' rollups: attempts queued by the trail's triggers, recomputed within seconds.
  // The experience-risk model, retrained on the history up to now and judged on its latest weeks.
  { name: "risk-model", every: () => RISK_RETRAIN_MS, work: () => retrainRiskModel(db(), new Date()).then(() => undefined) },
  { name: "insights-rollups", every: () => env().INSIGHTS_REFRESH_INTERVAL_MS, work: insightsJob(db) },
];
