// Months of believable trail history for the demo, so the analyst pages mean something on first
// start: every seeded customer attempts tasks on their devices, and attempts stop where real ones
// do. More of them give up on a phone at a return's `items` and `resolution` steps and at the
// card page of `payment_method`; refusals such as `return_window_expired` send people to the
// phone; agents log some of those calls against the attempt, and some calls end the need; some
// who gave up or left start the task again later (a new attempt). On mobile, the return `items`
// step got better RETURN_ITEMS_FIX_DAYS_AGO (a release), which the trend shows. Deterministic:
// the same seed and `now` give the same history.
//
// Recorded the way live use records it, never as an ideal sequence: what a page shows is a
// posthog-js event turned into a step by /ingest's own code (browserTrailEvent), what a submit
// changes or refuses is the server's step (serverStepEvent), pages that only confirm an outcome
// send nothing, idle attempts are closed by abandon.ts's own `abandonment`, and all of it is
// stored through storeTrailEvents, where the journey rule (lib/trail/attempts.ts) decides what
// each attempt keeps. The dashboards then show what live use would show.
import type { Prisma } from "@/lib/generated/prisma/client";
import { CONTACT_REASONS } from "@/lib/contacts/contacts";
import { PROBLEM_RULES } from "@/lib/orders/problem-policy";
import { abandonment } from "@/lib/trail/abandon";
import { browserTrailEvent } from "@/lib/trail/ingest";
import { JOURNEYS, JOURNEY_TYPES, completionOf, exitEventName, lastStep, stepEventName, type ExitChannel, type JourneyType, type StepAction } from "@/lib/trail/journeys";
import { serverStepEvent, type TrailActor } from "@/lib/trail/server";
import { storeTrailEvents, type DeviceClassValue, type TrailEventInput } from "@/lib/trail/store";
import type { LeaveReason } from "@/lib/voice/reasons";
import { createRandom, deriveSeed, type Random } from "./random";
import { effortAnswer, leavingWords, wentWrongAnswer } from "./voice";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const TRAIL_HISTORY_DAYS = 120;
export const ATTEMPTS_PER_CUSTOMER = 80;
export const RETURN_ITEMS_FIX_DAYS_AGO = 35;
// lib/trail/abandon.ts closes attempts idle this long (ABANDON_AFTER_MINUTES' default).
const ABANDON_AFTER = 30 * MINUTE;
// Contacts are linked to attempts that ended at most this long before (CONTACT_LINK_WINDOW_HOURS' default).
const CONTACT_LINK_WINDOW = 72 * HOUR;
const WRITE_BATCH_EVENTS = 20_000;

type Channelled = readonly (readonly [ExitChannel, number])[];

type ErrorModel = {
  code: string;
  /** Chance per visit of the step, on desktop and (when different) on mobile. */
  rate: number;
  mobileRate?: number;
  /** Chance of trying again after it; otherwise the customer stops. */
  recover: number;
  /** When they stop: the share that turns to another channel (the rest give up), and which. */
  exitShare: number;
  channels: Channelled;
};

type StepModel = {
  /** Median seconds on the step on a desktop. */
  seconds: number;
  /** Chance of going on (on the last step: completing), on desktop and on mobile. */
  goOn: number;
  mobileGoOn?: number;
  errors?: readonly ErrorModel[];
};

type JourneyModel = { weight: number; steps: Partial<Record<string, StepModel>> };

// Journeys (and steps) declared without a model of their own here still get an ordinary history.
const DEFAULT_STEP: StepModel = { seconds: 30, goOn: 0.92 };
const DEFAULT_MODEL: JourneyModel = { weight: 2, steps: {} };

const TO_PHONE: Channelled = [["PHONE", 70], ["CHAT", 20], ["EMAIL", 10]];
const TO_AGENT: Channelled = [["PHONE", 55], ["CHAT", 35], ["EMAIL", 10]];
const CARD_TROUBLE: Channelled = [["CHAT", 40], ["PHONE", 30], ["HELP_CENTRE", 30]];
const SELF_HELP: Channelled = [["HELP_CENTRE", 60], ["CHAT", 25], ["EMAIL", 15]];

const validation = (rate: number): ErrorModel => ({ code: "validation_error", rate, recover: 0.8, exitShare: 0.2, channels: SELF_HELP });

// Signups are not drawn by weight: each customer created in the period signed up then (see below).
const MODELS: Partial<Record<JourneyType, JourneyModel>> = {
  signup: { weight: 0, steps: { details: { seconds: 70, goOn: 0.97, errors: [validation(0.15)] }, account: { seconds: 4, goOn: 1 } } },
  password_reset: {
    weight: 4,
    steps: {
      request: { seconds: 30, goOn: 0.93 },
      email: { seconds: 240, goOn: 0.82, mobileGoOn: 0.74 },
      new_password: { seconds: 45, goOn: 0.92, errors: [{ code: "reset_link_invalid", rate: 0.08, recover: 0.3, exitShare: 0.5, channels: [["EMAIL", 40], ["PHONE", 40], ["HELP_CENTRE", 20]] }] },
    },
  },
  profile_update: { weight: 4, steps: { form: { seconds: 50, goOn: 0.88, errors: [validation(0.1)] }, saved: { seconds: 3, goOn: 1 } } },
  password_change: {
    weight: 2,
    steps: { form: { seconds: 40, goOn: 0.86, errors: [{ code: "current_password_wrong", rate: 0.12, recover: 0.6, exitShare: 0.3, channels: SELF_HELP }] }, saved: { seconds: 3, goOn: 1 } },
  },
  address_change: {
    weight: 5,
    steps: {
      list: { seconds: 15, goOn: 0.86 },
      form: { seconds: 80, goOn: 0.87, mobileGoOn: 0.76, errors: [{ code: "address_not_found", rate: 0.06, recover: 0.6, exitShare: 0.4, channels: TO_AGENT }] },
      saved: { seconds: 3, goOn: 1 },
    },
  },
  payment_method: {
    weight: 4,
    steps: {
      list: { seconds: 15, goOn: 0.86 },
      hosted_page: {
        seconds: 90,
        goOn: 0.9,
        mobileGoOn: 0.64,
        errors: [
          { code: "card_declined", rate: 0.08, recover: 0.5, exitShare: 0.45, channels: CARD_TROUBLE },
          { code: "authentication_failed", rate: 0.03, mobileRate: 0.09, recover: 0.4, exitShare: 0.4, channels: CARD_TROUBLE },
        ],
      },
      saved: { seconds: 3, goOn: 1 },
    },
  },
  order_tracking: { weight: 30, steps: { history: { seconds: 20, goOn: 0.83 }, detail: { seconds: 40, goOn: 0.96 } } },
  order_cancellation: {
    weight: 5,
    steps: {
      detail: { seconds: 20, goOn: 0.88 },
      lines: { seconds: 35, goOn: 0.9, errors: [{ code: "order_already_shipped", rate: 0.12, recover: 0.03, exitShare: 0.65, channels: TO_PHONE }] },
      confirmation: { seconds: 10, goOn: 0.97 },
    },
  },
  delivery_address_change: {
    weight: 4,
    steps: {
      detail: { seconds: 20, goOn: 0.87 },
      address: { seconds: 70, goOn: 0.86, mobileGoOn: 0.76, errors: [{ code: "address_change_too_late", rate: 0.14, recover: 0.03, exitShare: 0.7, channels: TO_AGENT }] },
      confirmation: { seconds: 10, goOn: 0.97 },
    },
  },
  balance_payment: {
    weight: 3,
    steps: {
      detail: { seconds: 20, goOn: 0.9 },
      hosted_page: { seconds: 80, goOn: 0.88, mobileGoOn: 0.72, errors: [{ code: "card_declined", rate: 0.1, recover: 0.55, exitShare: 0.45, channels: CARD_TROUBLE }] },
      confirmation: { seconds: 5, goOn: 0.99 },
    },
  },
  problem_report: {
    weight: 6,
    steps: {
      detail: { seconds: 20, goOn: 0.88 },
      problem: { seconds: 90, goOn: 0.82, errors: [{ code: "report_window_closed", rate: 0.08, recover: 0.03, exitShare: 0.7, channels: TO_AGENT }] },
      resolution: { seconds: 40, goOn: 0.93 },
    },
  },
  return: {
    weight: 14,
    steps: {
      order: { seconds: 25, goOn: 0.9 },
      items: {
        seconds: 60,
        goOn: 0.91,
        mobileGoOn: 0.68,
        errors: [
          { code: "return_window_expired", rate: 0.09, recover: 0.03, exitShare: 0.7, channels: TO_PHONE },
          { code: "final_sale_item", rate: 0.04, recover: 0.4, exitShare: 0.45, channels: TO_AGENT },
        ],
      },
      resolution: { seconds: 45, goOn: 0.91, mobileGoOn: 0.73, errors: [{ code: "exchange_out_of_stock", rate: 0.04, recover: 0.6, exitShare: 0.4, channels: SELF_HELP }] },
      review: { seconds: 30, goOn: 0.94 },
      method: { seconds: 35, goOn: 0.93, errors: [{ code: "pickup_unavailable", rate: 0.03, recover: 0.7, exitShare: 0.3, channels: SELF_HELP }] },
      confirmation: { seconds: 8, goOn: 0.98 },
    },
  },
  data_export: { weight: 1, steps: { privacy: { seconds: 30, goOn: 0.85 }, download: { seconds: 20, goOn: 0.95 } } },
  // People open the delete page far more often than they delete.
  account_deletion: {
    weight: 0.2,
    steps: {
      reauthenticate: { seconds: 30, goOn: 0.1, errors: [{ code: "password_wrong", rate: 0.15, recover: 0.5, exitShare: 0.2, channels: SELF_HELP }] },
      deleted: { seconds: 3, goOn: 1 },
    },
  },
};

function modelOf(type: JourneyType): JourneyModel {
  return MODELS[type] ?? DEFAULT_MODEL;
}

// Leaving without an error: where people go, by device.
const PLAIN_EXIT_SHARE = 0.3;
const EXIT_CHANNELS_BY_DEVICE: Record<DeviceClassValue, Channelled> = {
  DESKTOP: [["PHONE", 25], ["CHAT", 25], ["EMAIL", 20], ["SOCIAL", 5], ["HELP_CENTRE", 25]],
  TABLET: [["PHONE", 30], ["CHAT", 25], ["EMAIL", 15], ["SOCIAL", 8], ["HELP_CENTRE", 22]],
  MOBILE: [["PHONE", 35], ["CHAT", 30], ["EMAIL", 5], ["SOCIAL", 10], ["HELP_CENTRE", 20]],
};

// After leaving for a channel (or giving up), how often an agent logs a contact from the customer.
const FOLLOW_UP: Record<ExitChannel | "ABANDONED" | "FAILED", { chance: number; resolves: number }> = {
  PHONE: { chance: 0.7, resolves: 0.68 },
  CHAT: { chance: 0.55, resolves: 0.58 },
  EMAIL: { chance: 0.45, resolves: 0.5 },
  SOCIAL: { chance: 0.3, resolves: 0.35 },
  HELP_CENTRE: { chance: 0.15, resolves: 0.6 },
  PERSON: { chance: 0.9, resolves: 0.75 },
  ABANDONED: { chance: 0.08, resolves: 0.6 },
  FAILED: { chance: 0.25, resolves: 0.55 },
};

// Why customers leave, as they would tap it: about half tap a reason. After a refusal most say
// something did not work, and where money is at stake (a card refused, a refund) that they worry
// about their money; without an error they could not find what they needed (more so on a
// phone) or would rather talk to a person. Agents coding the contact that follows agree with the
// customer's own reason most of the time. Drawn from a stream of its own per attempt, so the
// rest of the history is the same with or without it.
const TAPS_A_REASON = 0.5;
const AGENT_AGREES = 0.8;
const MONEY_ERRORS: ReadonlySet<string> = new Set(["card_declined", "authentication_failed", "return_window_expired", "final_sale_item", "order_already_shipped"]);
const MONEY_JOURNEYS: ReadonlySet<JourneyType> = new Set(["payment_method", "payment_method_change", "balance_payment", "return", "order_cancellation"]);

function leaveReasonWeights(type: JourneyType, errorCode: string | null, device: DeviceClassValue): readonly (readonly [LeaveReason, number])[] {
  const money = (errorCode && MONEY_ERRORS.has(errorCode) ? 30 : 0) + (MONEY_JOURNEYS.has(type) ? 12 : 3);
  if (errorCode) return [["didnt_work", 45], ["money_worry", money], ["rather_person", 18], ["cant_find", 8], ["other", 5]];
  return [["cant_find", device === "MOBILE" ? 45 : 30], ["rather_person", 30], ["didnt_work", 10], ["money_worry", money], ["other", 8]];
}

const CONTACT_REASON_OF: Partial<Record<JourneyType, keyof typeof CONTACT_REASONS>> = {
  signup: "account",
  password_reset: "account",
  profile_update: "account",
  password_change: "account",
  address_change: "change_address",
  payment_method: "payment",
  order_tracking: "order_status",
  order_cancellation: "cancel_order",
  delivery_address_change: "change_address",
  balance_payment: "payment",
  problem_report: "complaint",
  return: "return_refund",
  data_export: "account",
  account_deletion: "account",
};

export type TrailCustomer = { id: string; analyticsId: string; createdAt: Date };

/** The customers among seeded users (rows built with ids, analytics ids and creation dates). */
export function trailCustomers(users: readonly Prisma.UserCreateManyInput[]): TrailCustomer[] {
  return users.flatMap((u) => (u.role === "CUSTOMER" && u.id && u.analyticsId && u.createdAt ? [{ id: u.id, analyticsId: u.analyticsId, createdAt: new Date(u.createdAt) }] : []));
}

export type TrailHistoryOptions = {
  seed: number;
  now: Date;
  customers: readonly TrailCustomer[];
  agentId: string;
  days?: number;
  attemptsPerCustomer?: number;
};

/** One customer's (or one anonymous visitor's) share of the history: what they did, and what they said about it (lib/seed/voice.ts). */
export type TrailChunk = { events: TrailEventInput[]; failedJourneyIds: string[]; contacts: Prisma.ContactCreateManyInput[]; voices: Prisma.CustomerVoiceCreateManyInput[] };

export type TrailHistoryResult = { journeys: number; events: number; contacts: number; voices: number };

/** Builds the history customer by customer and writes it in batches, inside the caller's transaction. */
export async function seedTrailHistory(tx: Prisma.TransactionClient, options: TrailHistoryOptions): Promise<TrailHistoryResult> {
  const writer = trailWriter(tx);
  for (const chunk of trailHistory(options)) await writer.add(chunk);
  return writer.finish();
}

/** Collects chunks and writes them WRITE_BATCH_EVENTS events at a time (whole journeys per batch). */
export function trailWriter(tx: Prisma.TransactionClient) {
  let pending = emptyChunk();
  const totals: TrailHistoryResult = { journeys: 0, events: 0, contacts: 0, voices: 0 };
  const flush = async () => {
    const written = await writeTrailChunk(tx, pending);
    totals.journeys += written.journeys;
    totals.events += written.events;
    totals.contacts += written.contacts;
    totals.voices += written.voices;
    pending = emptyChunk();
  };
  return {
    async add(chunk: TrailChunk) {
      mergeInto(pending, chunk);
      if (pending.events.length >= WRITE_BATCH_EVENTS) await flush();
    },
    async finish() {
      await flush();
      return totals;
    },
  };
}

export const emptyChunk = (): TrailChunk => ({ events: [], failedJourneyIds: [], contacts: [], voices: [] });

/** Stores a chunk's events, closes its failed attempts as abandon.ts would, and logs its contacts and what customers said. */
export async function writeTrailChunk(tx: Prisma.TransactionClient, chunk: TrailChunk): Promise<TrailHistoryResult> {
  if (chunk.events.length === 0) return { journeys: 0, events: 0, contacts: 0, voices: 0 };
  const { stored: events } = await storeTrailEvents(tx, chunk.events);
  if (chunk.failedJourneyIds.length) {
    await tx.journey.updateMany({ where: { id: { in: chunk.failedJourneyIds }, outcome: "ABANDONED" }, data: { outcome: "FAILED" } });
  }
  const contacts = chunk.contacts.length ? (await tx.contact.createMany({ data: chunk.contacts })).count : 0;
  const voices = chunk.voices.length ? (await tx.customerVoice.createMany({ data: chunk.voices })).count : 0;
  return { journeys: new Set(chunk.events.map((e) => e.journeyId)).size, events, contacts, voices };
}

/** The history, one chunk per customer and then the visitors who gave up signing up. */
export function* trailHistory(options: TrailHistoryOptions): Generator<TrailChunk> {
  const days = options.days ?? TRAIL_HISTORY_DAYS;
  const periodStart = options.now.getTime() - days * DAY;
  let signups = 0;
  for (const [index, customer] of options.customers.entries()) {
    const rng = createRandom(deriveSeed(options.seed, `trail:${index}`));
    const chunk = customerHistory(rng, customer, options, periodStart);
    if (customer.createdAt.getTime() > periodStart) signups++;
    yield chunk;
  }
  // Visitors who did not finish signing up: about one for every two who did.
  const rng = createRandom(deriveSeed(options.seed, "trail:visitors"));
  const visitors = emptyChunk();
  for (let i = 0; i < Math.round(signups / 2) + 3; i++) {
    const deviceId = rng.uuid();
    const visitor: Actor = { userId: null, distinctId: deviceId, deviceId, device: pickDevice(rng, rng.weighted(DEVICE_MIX)) };
    const startAt = busyMoment(rng, periodStart, options.now.getTime(), visitor.device);
    mergeInto(visitors, attempt(rng, "signup", visitor, startAt, options, { neverComplete: true }));
  }
  yield visitors;
}

const DEVICE_MIX: readonly (readonly [DeviceClassValue, number])[] = [["MOBILE", 52], ["DESKTOP", 36], ["TABLET", 12]];

function pickDevice(rng: Random, primary: DeviceClassValue): DeviceClassValue {
  return rng.chance(0.8) ? primary : rng.weighted(DEVICE_MIX);
}

/** Who is doing the task: the customer (or a visitor before sign-up) on one of their browsers. */
type Actor = { userId: string | null; distinctId: string; deviceId: string; device: DeviceClassValue };

// Of the attempts that end without the task done, the share started again later (a new attempt).
const START_AGAIN_SHARE = 0.3;

function customerHistory(rng: Random, customer: TrailCustomer, options: TrailHistoryOptions, periodStart: number): TrailChunk {
  const chunk = emptyChunk();
  const now = options.now.getTime();
  const primary = rng.weighted(DEVICE_MIX);
  const activeFrom = Math.max(periodStart, customer.createdAt.getTime());
  if (customer.createdAt.getTime() > periodStart) {
    // Signed up in the period: their sign-up is an attempt of its own, completed a moment before the account existed.
    const device = pickDevice(rng, primary);
    const signupAt = customer.createdAt.getTime() - rng.int(60, 240) * SECOND;
    mergeInto(chunk, attempt(rng, "signup", { userId: customer.id, distinctId: customer.analyticsId, deviceId: rng.uuid(), device }, signupAt, options, { alwaysComplete: true }));
  }
  const share = (now - activeFrom) / ((options.days ?? TRAIL_HISTORY_DAYS) * DAY);
  const count = Math.round((options.attemptsPerCustomer ?? ATTEMPTS_PER_CUSTOMER) * share * (0.3 + rng.next() * 1.4));
  const types = JOURNEY_TYPES.map((type) => [type, modelOf(type).weight] as const);
  const browserId = rng.uuid();
  // At most one problem put right in the problem policy's window, as for most real customers: with
  // more, the policy sent every demo customer's next report to a person, and someone trying the demo
  // never saw a problem put right on the spot (found by the live walk). Later ones are other tasks.
  const policyWindowStart = now - PROBLEM_RULES.reportWindowDays * DAY;
  let problemPutRightInWindow = false;
  for (let i = 0; i < count; i++) {
    const device = pickDevice(rng, primary);
    let type = rng.weighted(types);
    const actor: Actor = { userId: customer.id, distinctId: customer.analyticsId, deviceId: browserId, device };
    let startAt = busyMoment(rng, activeFrom, now, device);
    if (type === "problem_report" && startAt >= policyWindowStart) {
      if (problemPutRightInWindow) type = rng.weighted(types.filter(([other]) => other !== "problem_report"));
      else problemPutRightInWindow = true;
    }
    for (;;) {
      const made = attempt(rng, type, actor, startAt, options);
      // Passwords are reset signed out: only a reset that succeeded (and so a sign-in) joins the customer.
      if (type === "password_reset" && made.ending !== "completed") {
        for (const e of made.events) Object.assign(e, { userId: null, anonymousId: browserId, distinctId: browserId });
        made.contacts = [];
      }
      mergeInto(chunk, made);
      const lastAt = made.events.at(-1)?.occurredAt.getTime() ?? startAt;
      if (made.ending === "completed" || !rng.chance(START_AGAIN_SHARE)) break;
      startAt = lastAt + rng.int(5, 36 * 60) * MINUTE;
      if (startAt > now) break;
    }
  }
  return chunk;
}

export function mergeInto(target: TrailChunk, source: TrailChunk) {
  target.events.push(...source.events);
  target.failedJourneyIds.push(...source.failedJourneyIds);
  target.contacts.push(...source.contacts);
  target.voices.push(...source.voices);
}

/** A moment when people use the portal: more on weekdays and evenings (phones in the evening), growing slowly. */
function busyMoment(rng: Random, from: number, to: number, device: DeviceClassValue): number {
  for (;;) {
    const at = from + rng.next() * (to - from);
    const date = new Date(at);
    const weekday = date.getUTCDay();
    const hour = date.getUTCHours();
    const dayWeight = weekday === 0 || weekday === 6 ? (device === "MOBILE" ? 0.9 : 0.55) : 1;
    const hourWeight = hour < 6 ? 0.08 : hour < 9 ? 0.5 : hour < 18 ? (device === "MOBILE" ? 0.7 : 1) : hour < 23 ? (device === "MOBILE" ? 1 : 0.6) : 0.25;
    const growth = 0.8 + 0.2 * ((at - from) / Math.max(1, to - from));
    if (rng.next() < dayWeight * hourWeight * growth) return at;
  }
}

/** A duration around a median, skewed like real task times (log-normal). */
function stepTime(rng: Random, medianSeconds: number, device: DeviceClassValue): number {
  const normal = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const slower = device === "MOBILE" ? 1.3 : device === "TABLET" ? 1.12 : 1;
  return Math.max(1 * SECOND, medianSeconds * slower * Math.exp(0.55 * normal) * SECOND + rng.int(0, 999));
}

type AttemptOptions = { alwaysComplete?: boolean; neverComplete?: boolean };

// Tasks whose last step is a form the customer fills in (the outcome comes with its submit): the
// page shows that step before the outcome. Every other task's last step is only its outcome.
const LAST_STEP_IS_A_FORM: ReadonlySet<JourneyType> = new Set(["password_reset", "email_change", "problem_report", "balance_payment"]);

/** What one attempt recorded, live, in the order it happened. */
function liveRecorder(rng: Random, type: JourneyType, journeyId: string, actor: Actor, now: number) {
  const events: TrailEventInput[] = [];
  // The columns say it all; live events' properties only repeat them (and storing them would
  // triple the seed's time).
  // Exits keep theirs: the reason a customer gave is only there.
  const record = (event: TrailEventInput) => events.push({ ...event, properties: event.kind === "EXITED" ? event.properties : {} });
  // Before sign-up a visitor's browser and the server know only the device.
  const serverActor: TrailActor = { userId: actor.userId, distinctId: actor.distinctId, anonymousId: actor.deviceId, deviceClass: actor.device, consent: false };
  const browserDistinctId = type === "signup" ? actor.deviceId : actor.distinctId;
  const browserUserId = type === "signup" ? null : actor.userId;
  return {
    events,
    /** What posthog-js sends from a page, turned into a step by /ingest's own code. */
    browser(at: number, event: string, properties: Record<string, string>) {
      if (at > now) return;
      const sent = { event, uuid: rng.uuid(), timestamp: new Date(at).toISOString(), distinctId: browserDistinctId, properties: { ...properties, journey_id: journeyId, $device_id: actor.deviceId, device_class: actor.device } };
      const step = browserTrailEvent(sent, { userId: browserUserId, occurredAt: new Date(at), forward: null });
      if (step && step !== "invalid") record(step);
    },
    /** What a submit records on the server, in the same transaction as its change. */
    server(at: number, step: string, action: StepAction, errorCode?: string) {
      if (at > now) return;
      record({ ...serverStepEvent(serverActor, { journeyId, type, step, action, errorCode }, new Date(at)), id: rng.uuid() });
    },
  };
}

type Ending = "completed" | "exited" | "gave_up" | "failed";

/** One attempt at a task as a customer lives it: its events, its ending, and the contacts it leads to. */
function attempt(rng: Random, type: JourneyType, actor: Actor, startAt: number, options: TrailHistoryOptions, how: AttemptOptions = {}): TrailChunk & { ending: Ending } {
  const now = options.now.getTime();
  const journeyId = rng.uuid();
  const steps = JOURNEYS[type].steps as readonly string[];
  const model = modelOf(type);
  const live = liveRecorder(rng, type, journeyId, actor, now);
  let at = startAt;
  // The page the customer is on: a customer leaves from a page they see.
  let onPage = steps[0];
  const view = (step: string) => {
    onPage = step;
    live.browser(at, stepEventName(type, step, "viewed"), { step });
  };
  const voice = createRandom(deriveSeed(options.seed, `voice:${journeyId}`));
  const voices: Prisma.CustomerVoiceCreateManyInput[] = [];
  const said = (answer: Prisma.CustomerVoiceCreateManyInput | null) => {
    if (answer && new Date(answer.createdAt!).getTime() <= now) voices.push(answer);
  };
  const on = (seconds: number) => ({ journeyId, type, device: actor.device, at: new Date(at + seconds * SECOND) });
  let leftWith: LeaveReason | null = null;
  const exit = (channel: ExitChannel, errorCode: string | null) => {
    leftWith = voice.chance(TAPS_A_REASON) ? voice.weighted(leaveReasonWeights(type, errorCode, actor.device)) : null;
    live.browser(at, exitEventName(type), { step: onPage, channel, ...(leftWith ? { exit_reason: leftWith } : {}) });
    if (leftWith) said(leavingWords(voice, { ...on(0), step: onPage, reason: leftWith }));
  };
  let errorsOnTheWay = 0;
  // The last step of a task the server completes is recorded with its outcome (see the rule).
  const pageShows = (step: string) => step !== lastStep(type) || completionOf(type) === "view" || LAST_STEP_IS_A_FORM.has(type);

  let ending: { kind: "completed" } | { kind: "exited"; channel: ExitChannel } | { kind: "gave_up"; afterError: boolean } = { kind: "gave_up", afterError: false };
  walk: for (const [index, step] of steps.entries()) {
    const stepModel = model.steps[step] ?? DEFAULT_STEP;
    const last = index === steps.length - 1;
    if (pageShows(step)) view(step);
    // A task that only looks something up is done when its last page shows.
    if (last && completionOf(type) === "view") {
      ending = { kind: "completed" };
      break;
    }
    // Going back to look at the previous step again now and then (the attempt keeps the first view).
    if (index > 0 && pageShows(step) && rng.chance(0.04)) {
      at += stepTime(rng, 8, actor.device);
      view(steps[index - 1]);
      at += stepTime(rng, 6, actor.device);
      view(step);
    }
    at += stepTime(rng, stepModel.seconds, actor.device);
    for (const error of stepModel.errors ?? []) {
      const rate = actor.device === "MOBILE" ? (error.mobileRate ?? error.rate) : error.rate;
      if (how.alwaysComplete || !rng.chance(rate)) continue;
      live.server(at, step, "failed", error.code);
      errorsOnTheWay++;
      said(wentWrongAnswer(voice, { ...on(5), step, errorCode: error.code }));
      at += stepTime(rng, 15, actor.device);
      if (rng.chance(error.recover)) continue;
      if (rng.chance(error.exitShare)) {
        ending = { kind: "exited", channel: rng.weighted(error.channels) };
        exit(ending.channel, error.code);
      } else {
        ending = { kind: "gave_up", afterError: true };
      }
      break walk;
    }
    const goOn = how.alwaysComplete ? 1 : last && how.neverComplete ? 0 : goOnChance(type, step, stepModel, actor.device, startAt, now);
    if (!rng.chance(goOn)) {
      if (rng.chance(PLAIN_EXIT_SHARE)) {
        ending = { kind: "exited", channel: rng.weighted(EXIT_CHANNELS_BY_DEVICE[actor.device]) };
        exit(ending.channel, null);
      } else {
        ending = { kind: "gave_up", afterError: false };
      }
      break;
    }
    if (last) {
      // Sign-up's last step is the new account: the server records reaching it, then its completion.
      if (type === "signup") live.server(at, step, "viewed");
      live.server(at, step, "completed");
      if (at <= now) said(effortAnswer(voice, on(20), errorsOnTheWay));
      ending = { kind: "completed" };
    }
  }
  const events = live.events;
  if (events.length === 0) return { events, failedJourneyIds: [], contacts: [], voices: [], ending: "gave_up" };

  const final = events[events.length - 1];
  const lastAt = final.occurredAt.getTime();
  const failedJourneyIds: string[] = [];
  let endedAt: number | null = null;
  let dropOff: keyof typeof FOLLOW_UP | null = null;
  let result: Ending = ending.kind === "completed" ? "completed" : "gave_up";
  if (ending.kind === "exited" && final.kind === "EXITED") {
    endedAt = lastAt;
    dropOff = ending.channel;
    result = "exited";
  } else if (ending.kind === "gave_up" && lastAt + ABANDON_AFTER <= now) {
    const idle = { id: journeyId, type, lastStep: final.step, lastActivityAt: final.occurredAt, userId: final.userId ?? null, anonymousId: final.anonymousId ?? null, distinctId: final.distinctId, deviceClass: actor.device, afterError: ending.afterError };
    const closed = { ...abandonment(idle, { idleMinutes: ABANDON_AFTER / MINUTE, forward: false }), id: rng.uuid() };
    events.push(closed);
    endedAt = closed.occurredAt.getTime();
    dropOff = ending.afterError ? "FAILED" : "ABANDONED";
    if (ending.afterError) failedJourneyIds.push(journeyId);
    result = ending.afterError ? "failed" : "gave_up";
  }
  const contacts = actor.userId && endedAt !== null && dropOff ? followUps(rng, { type, journeyId, userId: actor.userId }, dropOff, endedAt, options, (): LeaveReason =>
    leftWith && voice.chance(AGENT_AGREES) ? leftWith : voice.weighted(leaveReasonWeights(type, dropOff === "FAILED" ? "failed" : null, actor.device)),
  ) : [];
  return { events, failedJourneyIds, contacts, voices, ending: result };
}

function goOnChance(type: JourneyType, step: string, model: StepModel, device: DeviceClassValue, startAt: number, now: number): number {
  if (device !== "MOBILE" || model.mobileGoOn === undefined) return model.goOn;
  // The release that fixed the return items step on phones: about halfway to desktop since then.
  if (type === "return" && step === "items" && startAt >= now - RETURN_ITEMS_FIX_DAYS_AGO * DAY) return (model.mobileGoOn + model.goOn) / 2;
  return model.mobileGoOn;
}

/** Contacts an agent logged after the drop-off, linked to the attempt as /agent/contacts links them. */
function followUps(
  rng: Random,
  { type, journeyId, userId }: { type: JourneyType; journeyId: string; userId: string },
  dropOff: keyof typeof FOLLOW_UP,
  endedAt: number,
  options: TrailHistoryOptions,
  agentCodes: () => LeaveReason,
): Prisma.ContactCreateManyInput[] {
  const { chance, resolves } = FOLLOW_UP[dropOff];
  if (!rng.chance(chance)) return [];
  const sameChannel = dropOff === "PHONE" || dropOff === "CHAT" || dropOff === "EMAIL" || dropOff === "SOCIAL";
  const contacts: Prisma.ContactCreateManyInput[] = [];
  let at = endedAt + (dropOff === "PHONE" ? rng.int(1, 45) * MINUTE : rng.int(10, 24 * 60) * MINUTE);
  // An unresolved contact is often followed by another: the cost of the drop-off in contacts.
  for (let n = 0; n < 3 && at <= options.now.getTime() && at - endedAt <= CONTACT_LINK_WINDOW; n++) {
    const resolved = rng.chance(resolves);
    const channel = sameChannel && rng.chance(0.9) ? dropOff : rng.pick(["PHONE", "CHAT", "EMAIL"] as const);
    contacts.push({ userId, channel, reason: CONTACT_REASON_OF[type] ?? "other", trigger: agentCodes(), loggedById: options.agentId, journeyId, resolvedNeed: resolved, createdAt: new Date(at) });
    if (resolved || !rng.chance(0.4)) break;
    at += rng.int(2, 30) * HOUR;
  }
  return contacts;
}
