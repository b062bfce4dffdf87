"use client";
// The browser half of the trail API. posthog-js is the one client SDK; it sends to the portal's
// own /ingest path, which stores trail events and forwards them to PostHog.
//
// posthog-js (its slim build: capture, identify and batching are all the trail uses) is not part
// of a page's first load: it is fetched once the page has hydrated. Until then every call is kept in order, each capture with
// the time it happened, and replayed when posthog-js has started. Captures wait in the tab's
// sessionStorage, so a page left before posthog-js arrived (a submit that navigates) hands them to
// the next page of the tab: no step is lost. A step that must reach the server at once (a
// failure, an exit, a submit) starts the load now.
import { POSTHOG_BROWSER_KEY } from "@/lib/config/public";
import { deviceClassFromUserAgent } from "@/lib/http/device";
import type { LeaveReason } from "@/lib/voice/reasons";
import { analyticsAllowed } from "./analytics-gate";
import { completionOf, exitEventName, isJourneyCompletion, lastStep, rageTapEventName, stepEventName, stepIndex, type ExitChannel, type JourneyType, type RageTapElement, type StepAction } from "./journeys";

export type AnalyticsIdentity = { distinctId: string; consent: boolean; role: string } | null;

type PostHog = (typeof import("posthog-js/dist/module.slim"))["default"];

let client: PostHog | null = null;
let started = false;
let loading = false;
const pending: ((posthog: PostHog) => void)[] = [];

/** Runs `work` on the started posthog-js now, or in order once it has loaded. */
function withPostHog(work: (posthog: PostHog) => void) {
  if (client) work(client);
  else if (started) pending.push(work);
}

async function load() {
  if (loading) return;
  loading = true;
  const { default: posthog } = await import("posthog-js/dist/module.slim");
  // The visitor may have declined while it loaded: then nothing starts (and a later yes loads again).
  if (!analyticsAllowed()) {
    started = loading = false;
    pending.length = 0;
    takeWaitingCaptures();
    return;
  }
  posthog.init(POSTHOG_BROWSER_KEY, {
    api_host: "/ingest",
    defaults: "2025-11-30",
    capture_pageview: "history_change",
    persistence: "localStorage+cookie",
    person_profiles: "identified_only",
    autocapture: false,
    disable_session_recording: true,
    disable_surveys: true,
    // Free text never leaves the page: no autocaptured input values or element text.
    mask_all_text: true,
    mask_all_element_attributes: true,
    loaded: () => {
      (window as unknown as { __waymarkAnalyticsReady?: boolean }).__waymarkAnalyticsReady = true;
    },
  });
  client = posthog;
  for (const work of pending.splice(0)) work(posthog);
  // They have waited already: sent at once, so a view still reaches the server before the answer
  // to a submit that follows it (a server-recorded outcome ends the attempt).
  for (const waiting of takeWaitingCaptures()) posthog.capture(waiting.event, waiting.properties, { timestamp: new Date(waiting.at), send_instantly: true });
}

type WaitingCapture = { event: string; properties: Record<string, unknown>; at: number };
const WAITING_KEY = "waymark:trail:waiting";

function takeWaitingCaptures(): WaitingCapture[] {
  try {
    const raw = sessionStorage.getItem(WAITING_KEY);
    sessionStorage.removeItem(WAITING_KEY);
    return raw ? (JSON.parse(raw) as WaitingCapture[]) : [];
  } catch {
    return [];
  }
}

function keepWaitingCapture(capture: WaitingCapture) {
  try {
    const raw = sessionStorage.getItem(WAITING_KEY);
    sessionStorage.setItem(WAITING_KEY, JSON.stringify([...(raw ? (JSON.parse(raw) as WaitingCapture[]) : []), capture]));
  } catch {
    // Storage full or refused: the capture still goes with this page if posthog-js arrives in time.
    pending.push((posthog) => posthog.capture(capture.event, capture.properties, { timestamp: new Date(capture.at), send_instantly: true }));
  }
}

export function initAnalytics() {
  // Not started at all before consent: no requests, no cookie, no device id (see analytics-gate.ts).
  if (typeof window === "undefined" || started || !analyticsAllowed()) return;
  started = true;
  // Called from the layout's effect: the page is hydrated and interactive; fetch it now, so the
  // steps viewed on this page reach the server before a submit's answer can end their attempt.
  void load();
}

/** Joins the anonymous device to the customer's opaque id (never the email). */
export function applyIdentity(identity: AnalyticsIdentity) {
  if (typeof window === "undefined") return;
  const properties = identity ? { analytics_consent: identity.consent, device_class: deviceClass() } : { device_class: deviceClass() };
  withPostHog((posthog) => {
    if (identity && posthog.get_distinct_id() !== identity.distinctId) posthog.identify(identity.distinctId);
    // The portal keeps its own service record either way; the ingest endpoint does not forward
    // events that carry analytics_consent=false to PostHog.
    posthog.register(properties);
  });
}

/** Removes posthog-js's device id and identity from this browser, whether or not it has loaded. */
function forgetDevice() {
  document.cookie = `ph_${POSTHOG_BROWSER_KEY}_posthog=; Path=/; Max-Age=0`;
  for (const key of Object.keys(localStorage)) if (key.startsWith("ph_") || key.startsWith("__ph_")) localStorage.removeItem(key);
}

/** After an anonymous visitor declines: stop capturing and remove posthog-js's device id from this browser. */
export function forgetAnalyticsDevice() {
  if (client) client.opt_out_capturing();
  pending.length = 0;
  takeWaitingCaptures();
  forgetDevice();
}

export function resetAnalyticsIdentity() {
  if (typeof window === "undefined") return;
  // Not loaded yet: the stored identity is all there is to reset, and the page is about to change.
  if (client) client.reset();
  else forgetDevice();
}

function deviceClass() {
  return deviceClassFromUserAgent(navigator.userAgent);
}

type StoredJourney = { id: string; lastStep: string; at: number };
const storageKey = (type: JourneyType) => `waymark:journey:${type}`;
// Matches the server's default abandonment time: after it, the next step starts a new attempt.
const ATTEMPT_IDLE_MS = 30 * 60 * 1000;

function readJourney(type: JourneyType): StoredJourney | null {
  try {
    const raw = sessionStorage.getItem(storageKey(type));
    const stored = raw ? (JSON.parse(raw) as StoredJourney) : null;
    return stored && Date.now() - stored.at < ATTEMPT_IDLE_MS ? stored : null;
  } catch {
    return null;
  }
}

const LAST_JOURNEY_KEY = "waymark:journey:last";

function rememberJourney(type: JourneyType, id: string, step: string) {
  sessionStorage.setItem(storageKey(type), JSON.stringify({ id, lastStep: step, at: Date.now() } satisfies StoredJourney));
  sessionStorage.setItem(LAST_JOURNEY_KEY, JSON.stringify({ type, step, at: Date.now() }));
}

/** The task this tab was last busy with, for touchpoints that do not know it (error pages). */
export function lastJourney(): { type: JourneyType; step: string } | null {
  try {
    const raw = sessionStorage.getItem(LAST_JOURNEY_KEY);
    const last = raw ? (JSON.parse(raw) as { type: JourneyType; step: string; at: number }) : null;
    return last && readJourney(last.type) ? { type: last.type, step: last.step } : null;
  } catch {
    return null;
  }
}

/**
 * The current attempt at a task in this tab: a new one starts after a completion or exit seen
 * here, or idling. An outcome the server recorded ends the attempt there (lib/trail/attempts.ts):
 * what this tab sends for it afterwards goes to the next attempt.
 */
export function currentJourneyId(type: JourneyType, step: string): string {
  const existing = readJourney(type);
  if (existing) return existing.id;
  const id = crypto.randomUUID();
  rememberJourney(type, id, step);
  return id;
}

function endJourney(type: JourneyType) {
  sessionStorage.removeItem(storageKey(type));
}

/**
 * A page showing a task's outcome that the server recorded (a confirmation): the attempt is over
 * in this tab too. Nothing is sent: the outcome's view came with its completion. Returns the
 * attempt that ended (null when this tab held none), for questions about it.
 */
export function outcomeShown(type: JourneyType): string | null {
  const ended = readJourney(type)?.id ?? null;
  endJourney(type);
  return ended;
}

/**
 * A form submitted towards `step`. The last step of a task the server completes is recorded by
 * the server with its outcome (view, then completed or failed), so here it is only noted; any
 * other step is viewed now, before the server's answer.
 */
export function trackSubmit(type: JourneyType, step: string): string {
  // Sent at once: the server's answer (a refusal on this step, or its completion, which also
  // records the view) must find the view already there, so the order never depends on batching.
  if (step !== lastStep(type) || completionOf(type) !== "server") return trackStep(type, step, "viewed", { sendNow: true });
  const journeyId = currentJourneyId(type, step);
  rememberJourney(type, journeyId, step);
  return journeyId;
}

export type StepDetails = { errorCode?: string; properties?: Record<string, string | number | boolean>; sendNow?: boolean };

/** Captures now or once posthog-js has loaded, with the time it happened either way. */
function capture(event: string, properties: Record<string, unknown>, sendNow: boolean) {
  initAnalytics();
  if (client) client.capture(event, properties, sendNow ? { send_instantly: true } : undefined);
  else if (started) keepWaitingCapture({ event, properties, at: Date.now() });
}

export function trackStep(type: JourneyType, step: string, action: StepAction, details: StepDetails = {}) {
  const journeyId = currentJourneyId(type, step);
  const properties = {
    ...details.properties,
    journey_id: journeyId,
    journey_type: type,
    step,
    step_index: stepIndex(type, step),
    action,
    ...(details.errorCode ? { error_code: details.errorCode } : {}),
  };
  // Failures go at once too: help in place decides from them within a second or two.
  capture(stepEventName(type, step, action), properties, action === "failed" || Boolean(details.sendNow));
  rememberJourney(type, journeyId, step);
  // The outcome known here (a tracking page shown): the next step of this task is a new attempt.
  const outcome = isJourneyCompletion(type, step, action) || (action === "viewed" && step === lastStep(type) && completionOf(type) === "view");
  if (outcome) endJourney(type);
  return journeyId;
}

/**
 * Records that the customer left this step for another channel (and, when they tapped one, why:
 * a code from lib/voice/reasons.ts, never their words); the caller then opens the channel.
 */
export function trackExit(type: JourneyType, step: string, channel: ExitChannel, reason?: LeaveReason) {
  const journeyId = currentJourneyId(type, step);
  capture(exitEventName(type), { journey_id: journeyId, journey_type: type, step, step_index: stepIndex(type, step), channel, ...(reason ? { exit_reason: reason } : {}) }, true);
  endJourney(type);
  return journeyId;
}

/** Rage taps (lib/trail/rage-taps.ts) on the step this tab is at: a note on its attempt, sent at once for the frontline. */
export function trackRageTap(element: RageTapElement, taps: number) {
  const last = lastJourney();
  if (!last) return;
  const journeyId = currentJourneyId(last.type, last.step);
  capture(rageTapEventName(last.type), { journey_id: journeyId, journey_type: last.type, step: last.step, step_index: stepIndex(last.type, last.step), element, taps }, true);
}
