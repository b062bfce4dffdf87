"use client";
// The browser half of the trail API. The trail's own events go from here, in PostHog's capture
// format (lib/trail/browser-wire.ts), to the portal's /ingest, which stores the trail and forwards
// every event to PostHog from the server. posthog-js (its slim build, 52 kB compressed: more than
// a page's whole script allowance) is fetched only at the visitor's first interaction, for what
// PostHog's SDK does beyond the trail: page views and leaves, and its own person and session
// handling; it never captures a trail event. Both use one device: posthog-js's cookie, which this
// file keeps (under posthog-js's field names) until posthog-js has loaded, and reads through
// posthog-js after. Sign-in is told once, by whichever of the two holds the device then.
//
// Every capture is kept in the tab's sessionStorage until /ingest has taken it, and sent in one
// batch a moment later (a step that must reach the server at once, such as a failure, an exit or
// a submit, goes now). A page left before its batch was taken hands it to the next page of the
// tab; the ingest keeps each event once by its id, so sending one twice is harmless.
import { POSTHOG_BROWSER_KEY } from "@/lib/config/public";
import { deviceClassFromUserAgent } from "@/lib/http/device";
import type { LeaveReason } from "@/lib/voice/reasons";
import { analyticsAllowed } from "./analytics-gate";
import { decodeDeviceCookie, DEVICE_COOKIE_MAX_AGE_SECONDS, deviceCookieName, encodeDeviceCookie, newDevice, touchSession, wireEvent, type Device, type WireEvent } from "./browser-wire";
import { completionOf, exitEventName, firstStep, impliedFirstStep, isJourneyCompletion, lastStep, rageTapEventName, stepEventName, stepIndex, type ExitChannel, type JourneyType, type RageTapElement, type StepAction } from "./journeys";

export type AnalyticsIdentity = { distinctId: string; consent: boolean; role: string } | null;

type PostHog = (typeof import("posthog-js/dist/module.slim"))["default"];

const DEVICE_COOKIE = deviceCookieName(POSTHOG_BROWSER_KEY);
const INGEST_URL = "/ingest/e/";
/** Captures made within this time go in one request. */
const BATCH_MS = 1000;
/** Well under the 64 kB a request may carry while its page is being left. */
const MAX_BATCH = 50;
const RETRY_MS = [2000, 5000, 15000, 30000];
const FIRST_INTERACTION = ["pointerdown", "keydown", "touchstart"] as const;

let started = false;
let posthog: PostHog | null = null;
let posthogLoading = false;
let registered: Record<string, unknown> = {};
const inFlight = new Set<string>();
let timer: ReturnType<typeof setTimeout> | undefined;
let failures = 0;

// Each read or write of document.cookie is a synchronous round trip to the browser's cookie store.
// A page load used to read it 10 times and write it 5 (9-20 ms of blocked main thread in Chromium
// on the benchmark machine, counted four times over for a phone). Within one task the device cookie
// is now read once and written at most once, when the task's script is done: another tab can only
// change it between tasks.
let cookieInTask: { value: string | undefined; changed: boolean } | null = null;

function deviceCookie(): string | undefined {
  if (!cookieInTask) {
    cookieInTask = { value: document.cookie.split("; ").find((pair) => pair.startsWith(`${DEVICE_COOKIE}=`))?.slice(DEVICE_COOKIE.length + 1), changed: false };
    queueMicrotask(endCookieTask);
  }
  return cookieInTask.value;
}

function endCookieTask() {
  const task = cookieInTask;
  cookieInTask = null;
  if (!task?.changed) return;
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  document.cookie = `${DEVICE_COOKIE}=${task.value}; Path=/; Max-Age=${DEVICE_COOKIE_MAX_AGE_SECONDS}; SameSite=Lax${secure}`;
}

/** The device as it stands now: posthog-js's once it has loaded, the cookie's before. */
function currentDevice(now: number): Device {
  if (posthog) {
    const distinctId = posthog.get_distinct_id();
    const deviceId = posthog.get_property("$device_id") as unknown;
    return {
      distinctId,
      deviceId: typeof deviceId === "string" ? deviceId : distinctId,
      identified: posthog.get_property("$user_state") === "identified",
      session: { id: posthog.get_session_id(), startedAt: now, lastActivityAt: now },
    };
  }
  const raw = deviceCookie();
  return (raw && decodeDeviceCookie(raw, now)) || newDevice(now);
}

/** Before posthog-js has loaded, this file keeps the device (and whatever posthog-js stored beside it). */
function keepDevice(device: Device) {
  const stored = deviceCookie();
  const value = encodeDeviceCookie(device, stored);
  // Unchanged (a page load finding its device): the next capture's write renews its age anyway.
  if (value !== stored) cookieInTask = { value, changed: true };
}

/** posthog-js at the first tap, click or key: never part of the page's own load. */
function loadPostHogOnFirstInteraction() {
  const load = () => {
    for (const type of FIRST_INTERACTION) window.removeEventListener(type, load, true);
    void loadPostHog();
  };
  for (const type of FIRST_INTERACTION) window.addEventListener(type, load, { capture: true, passive: true });
}

async function loadPostHog() {
  if (posthogLoading || posthog) return;
  posthogLoading = true;
  const { default: sdk } = await import("posthog-js/dist/module.slim");
  posthogLoading = false;
  // The visitor may have declined (or signed out) while it loaded: then nothing starts.
  if (!started || !analyticsAllowed()) return;
  sdk.init(POSTHOG_BROWSER_KEY, {
    api_host: "/ingest",
    defaults: "2025-11-30",
    // Page views go with the trail's own sender (trackPageView), so a page left without a tap
    // still counts: posthog-js would only see the pages after the first interaction.
    capture_pageview: false,
    // The one device cookie, host-only like the one this file writes (one cookie, not two).
    persistence: "cookie",
    cross_subdomain_cookie: false,
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
  sdk.register(registered);
  posthog = sdk;
}

const WAITING_KEY = "waymark:trail:waiting";
// Used when sessionStorage refuses (full, or disabled): the captures then live as long as the page.
let memoryQueue: WireEvent[] = [];

function waiting(): WireEvent[] {
  try {
    const raw = sessionStorage.getItem(WAITING_KEY);
    return raw ? (JSON.parse(raw) as WireEvent[]) : memoryQueue;
  } catch {
    return memoryQueue;
  }
}

function keepWaiting(events: WireEvent[]) {
  memoryQueue = events;
  try {
    if (events.length) sessionStorage.setItem(WAITING_KEY, JSON.stringify(events));
    else sessionStorage.removeItem(WAITING_KEY);
    memoryQueue = [];
  } catch {
    // Kept in memoryQueue for this page.
  }
}

function forgetWaiting() {
  inFlight.clear();
  clearTimeout(timer);
  keepWaiting([]);
}

/** Sends what waits and is not on its way already; what /ingest takes leaves the queue. */
function flush() {
  clearTimeout(timer);
  timer = undefined;
  const batch = waiting().filter((event) => !inFlight.has(event.uuid)).slice(0, MAX_BATCH);
  if (batch.length === 0) return;
  for (const event of batch) inFlight.add(event.uuid);
  void deliver(batch);
}

async function deliver(batch: WireEvent[]) {
  const sent = new Set(batch.map((event) => event.uuid));
  let taken: boolean;
  try {
    // keepalive: the request outlives a page being left (a submit that navigates, a channel opened).
    const response = await fetch(INGEST_URL, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(batch), keepalive: true, credentials: "same-origin" });
    // A refused batch (400, 413) would be refused again: dropped. Busy or down: kept and retried.
    taken = response.ok || (response.status >= 400 && response.status < 500 && response.status !== 429);
  } catch {
    taken = false;
  }
  for (const uuid of sent) inFlight.delete(uuid);
  if (!taken) {
    if (started) {
      clearTimeout(timer);
      timer = setTimeout(flush, RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)]);
    }
    return;
  }
  failures = 0;
  keepWaiting(waiting().filter((event) => !sent.has(event.uuid)));
  // More than one batch waited (a page left early, or /ingest was down for a while).
  if (waiting().some((event) => !inFlight.has(event.uuid))) flush();
}

/**
 * Resolves once what this tab captured so far has been taken by /ingest, or after `withinMs`: for
 * a question the server answers from the attempt as stored (help in place decides, and records
 * its offer, there; an offer for an attempt not stored yet would be lost).
 */
export async function trailDelivered(withinMs = 5000): Promise<void> {
  doLater();
  const captured = new Set(waiting().map((event) => event.uuid));
  if (captured.size === 0) return;
  flush();
  const until = Date.now() + withinMs;
  while (Date.now() < until && waiting().some((event) => captured.has(event.uuid))) await new Promise((resolve) => setTimeout(resolve, 100));
}

function scheduleFlush(now: boolean) {
  if (now) flush();
  else timer ??= setTimeout(flush, BATCH_MS);
}

// The trail's share of a page load (the device, the identity, the page view, the page's step) is
// done in a task of its own just after hydration, in the order it was asked for, instead of
// lengthening the task that hydrates the page: on a phone that is the longest task of the load.
// The journey ids the page needs are still decided at once. What must reach the server now (a
// submit, a failure, an exit, a question answered from the stored trail) first does what waits.
const later: (() => void)[] = [];
let doingLater = false;
let listensForLeave = false;

function soon(work: () => void) {
  if (typeof window === "undefined") return;
  if (doingLater) return work();
  later.push(work);
  if (later.length > 1) return;
  setTimeout(doLater, 0);
  listenForLeave();
}

/**
 * Leaving the page: what waits for its task is done, and what waits for /ingest goes now (the
 * tab's next page sends it again if it did not arrive). One listener, from whichever comes first.
 */
function listenForLeave() {
  if (listensForLeave) return;
  listensForLeave = true;
  window.addEventListener("pagehide", () => {
    doLater();
    if (started) flush();
  });
}

function doLater() {
  if (doingLater) return;
  doingLater = true;
  try {
    while (later.length) later.shift()!();
  } finally {
    doingLater = false;
  }
}

export function initAnalytics() {
  soon(startAnalytics);
}

function startAnalytics() {
  // Not started at all before consent: no requests, no cookie, no device id (see analytics-gate.ts).
  if (typeof window === "undefined" || started || !analyticsAllowed()) return;
  started = true;
  if (!posthog) keepDevice(currentDevice(Date.now()));
  loadPostHogOnFirstInteraction();
  listenForLeave();
  // Left by an earlier page of this tab before /ingest took it.
  if (waiting().length) scheduleFlush(true);
}

/** Joins the anonymous device to the customer's opaque id (never the email). */
export function applyIdentity(identity: AnalyticsIdentity) {
  const at = Date.now();
  soon(() => identify(identity, at));
}

function identify(identity: AnalyticsIdentity, at: number) {
  if (!started) return;
  // The portal keeps its own service record either way; the ingest endpoint does not forward
  // events that carry analytics_consent=false to PostHog.
  registered = identity ? { analytics_consent: identity.consent, device_class: deviceClass() } : { device_class: deviceClass() };
  if (posthog) {
    posthog.register(registered);
    if (identity && posthog.get_distinct_id() !== identity.distinctId) posthog.identify(identity.distinctId);
    return;
  }
  const device = currentDevice(Date.now());
  if (!identity || device.distinctId === identity.distinctId) return;
  keepDevice({ ...device, distinctId: identity.distinctId, identified: true });
  // As posthog-js's identify: the device's anonymous events join the person in PostHog, and the
  // ingest joins the device's journeys to the customer. Once, from here: posthog-js, loading
  // later, finds the device identified already.
  if (!device.identified) capture("$identify", { $anon_distinct_id: device.distinctId }, false, at);
}

/** Removes the device id and identity from this browser, whether or not posthog-js has loaded. */
function forgetDevice() {
  // A write this task has not made yet would bring the device back.
  cookieInTask = null;
  document.cookie = `${DEVICE_COOKIE}=; Path=/; Max-Age=0`;
  for (const key of Object.keys(localStorage)) if (key.startsWith("ph_") || key.startsWith("__ph_")) localStorage.removeItem(key);
}

/** After an anonymous visitor declines: stop capturing and remove the device id from this browser. */
export function forgetAnalyticsDevice() {
  later.length = 0;
  posthog?.opt_out_capturing();
  started = false;
  forgetWaiting();
  forgetDevice();
}

export function resetAnalyticsIdentity() {
  if (typeof window === "undefined") return;
  // Signing out: what this page captured still goes, then the next page starts a new device.
  doLater();
  if (started) flush();
  if (posthog) posthog.reset();
  else forgetDevice();
  started = false;
}

function deviceClass() {
  return deviceClassFromUserAgent(navigator.userAgent);
}

/** `entered`: a step of the attempt was recorded (a form's hidden field holds the id of an attempt not entered yet). */
type StoredJourney = { id: string; lastStep: string; at: number; entered?: true };
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

function rememberJourney(type: JourneyType, id: string, step: string, entered = true) {
  sessionStorage.setItem(storageKey(type), JSON.stringify({ id, lastStep: step, at: Date.now(), ...(entered ? { entered } : {}) } satisfies StoredJourney));
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
  sessionStorage.removeItem(endedKey(type));
  const id = crypto.randomUUID();
  rememberJourney(type, id, step, false);
  return id;
}

/**
 * The attempt the server says this page continues (an emailed link's, lib/trail/linked-attempt.ts):
 * this tab's steps at the task go there from now on, as if it had started it.
 */
export function adoptAttempt(type: JourneyType, journeyId: string, step: string) {
  sessionStorage.removeItem(endedKey(type));
  rememberJourney(type, journeyId, step);
}

/**
 * Before the first step an attempt records in this tab: when that is a later step of a task whose
 * later steps imply its first (lib/trail/journeys.ts), the first step's view, a moment earlier and
 * sent with it.
 */
function enterAt(type: JourneyType, step: string, sendNow: boolean) {
  if (readJourney(type)?.entered) return;
  const first = impliedFirstStep(type, step);
  if (first) trackStep(type, first, "viewed", { at: Date.now() - 1, sendNow });
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
  if (ended) sessionStorage.setItem(endedKey(type), ended);
  return ended;
}

const endedKey = (type: JourneyType) => `waymark:journey:ended:${type}`;

/** The attempt this tab last saw end with its outcome shown, until the next one starts. */
function endedAttempt(type: JourneyType): string | null {
  try {
    return sessionStorage.getItem(endedKey(type));
  } catch {
    return null;
  }
}

/**
 * A form submitted towards `step`. The last step of a task the server completes is recorded by
 * the server with its outcome (its view then its completion, or the form's refusal), so here the
 * attempt is only noted, the tab staying on the step it shows until the answer says otherwise (a
 * refused customer is still on the form: their rage taps and exits are the form's); so is a step
 * whose completion the server records when it accepts the form (`serverRecordsStep`: an email
 * change's "requested", which has no page of its own). Any other step is viewed now, before the
 * server's answer (a hosted payment page, which only the browser sees being opened).
 */
export function trackSubmit(type: JourneyType, step: string, serverRecordsStep = step === lastStep(type) && completionOf(type) === "server"): string {
  // Sent at once: the server's answer (a refusal, or its completion, which also records the view)
  // must find the view already there, so the order never depends on batching.
  if (!serverRecordsStep) return trackStep(type, step, "viewed", { sendNow: true });
  enterAt(type, step, true);
  const journeyId = currentJourneyId(type, step);
  rememberJourney(type, journeyId, readJourney(type)?.lastStep ?? step);
  return journeyId;
}

export type StepDetails = { errorCode?: string; properties?: Record<string, string | number | boolean>; sendNow?: boolean; /** When it happened, if not now. */ at?: number };

/** Captures now or with the next batch, with the time it happened either way. */
function capture(event: string, properties: Record<string, unknown>, sendNow: boolean, at = Date.now()) {
  if (!sendNow) return soon(() => captureAt(event, properties, false, at));
  doLater();
  captureAt(event, properties, true, at);
}

function captureAt(event: string, properties: Record<string, unknown>, sendNow: boolean, at: number) {
  startAnalytics();
  if (!started) return;
  let device = currentDevice(at);
  if (!posthog) {
    device = touchSession(device, at);
    keepDevice(device);
  }
  const page = {
    url: window.location.href,
    referrer: document.referrer,
    userAgent: navigator.userAgent,
    screen: { width: window.screen.width, height: window.screen.height },
    viewport: { width: window.innerWidth, height: window.innerHeight },
  };
  keepWaiting([...waiting(), wireEvent(event, properties, { token: POSTHOG_BROWSER_KEY, device, registered, page, at })]);
  scheduleFlush(sendNow);
}

/** A page shown (a first load or a client-side navigation), as PostHog's own `$pageview`. */
export function trackPageView() {
  capture("$pageview", {}, false);
}

export function trackStep(type: JourneyType, step: string, action: StepAction, details: StepDetails = {}) {
  // The outcome's page seen after its attempt ended here (JourneyOutcomeShown runs first): that
  // view belongs to the attempt that reached it (the store keeps one view), not to a new one.
  const ended = action === "viewed" && step === lastStep(type) && !readJourney(type) ? endedAttempt(type) : null;
  if (ended) {
    capture(stepEventName(type, step, action), { ...details.properties, journey_id: ended, journey_type: type, step, step_index: stepIndex(type, step), action }, Boolean(details.sendNow), details.at);
    return ended;
  }
  // Failures go at once too: help in place decides from them within a second or two.
  const sendNow = action === "failed" || Boolean(details.sendNow);
  enterAt(type, step, sendNow);
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
  capture(stepEventName(type, step, action), properties, sendNow, details.at);
  rememberJourney(type, journeyId, step);
  // The outcome known here (a tracking page shown): the next step of this task is a new attempt.
  const shownOutcome = action === "viewed" && step === lastStep(type) && completionOf(type) === "view";
  if (shownOutcome) completedByView.set(type, journeyId);
  if (shownOutcome || isJourneyCompletion(type, step, action)) endJourney(type);
  return journeyId;
}

// The attempt each task's page view completed while this page runs (a tracking page: its own view
// is the task's outcome), kept in memory: a later page load records its view again.
const completedByView = new Map<JourneyType, string>();

/**
 * The attempt help offered at `step` is a note on: the tab's current one, or, on the page whose
 * own view just completed its task (an order's detail), the attempt that view completed. Help is
 * not a step, so it joins that attempt after its end (lib/trail/attempts.ts) instead of starting
 * the next one, which nothing would ever store.
 */
export function attemptForHelp(type: JourneyType, step: string): string {
  const completed = step === lastStep(type) ? completedByView.get(type) : undefined;
  return completed ?? currentJourneyId(type, step);
}

/**
 * Records that the customer left this step for another channel (and, when they tapped one, why:
 * a code from lib/voice/reasons.ts, never their words); the caller then opens the channel.
 */
export function trackExit(type: JourneyType, step: string, channel: ExitChannel, reason?: LeaveReason) {
  // Left from the first step's page while it showed the last attempt's outcome, which starts no
  // attempt by itself: leaving is the customer acting, so the next attempt starts with that page.
  if (step === firstStep(type) && !readJourney(type)?.entered) trackStep(type, step, "viewed", { sendNow: true });
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
