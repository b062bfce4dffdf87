// Every self-service task, declared once: its name and its ordered steps. This is the single
// source for instrumenting pages, validating incoming events, the in-portal funnels and the
// PostHog funnel definitions. Framework-free.
//
// Event names follow one convention: `<journey>_<step>_<action>` in snake_case, the object first
// and a past-tense action last (`return_items_viewed`, `return_items_completed`,
// `return_items_failed`), plus `<journey>_exited` (left for another channel) and
// `<journey>_abandoned` (no activity for ABANDON_AFTER_MINUTES). docs/trail-events.md lists them.
//
// THE RULE (enforced in one place, lib/trail/attempts.ts, on the trail's one write path, so the
// store, the in-portal funnels and PostHog receive the same events, whoever recorded them):
// - An attempt is one customer's go at one task. It belongs to the customer (or, before sign-in,
//   the anonymous device) that started it: events from anyone else are refused. Only the tasks a
//   visitor takes (`forVisitors`: signing up, resetting a forgotten password) start without an
//   account; an attempt at any other starts only with a signed-in customer's step. A task finished
//   from an emailed link (reset a password, confirm a new sign-in email) stays the attempt that
//   asked for the link in whichever browser opens it: the link's token, never an id a browser
//   sends, hands the attempt to that browser, unless another customer is signed in there
//   (lib/trail/linked-attempt.ts).
// - viewed: a step is viewed when the customer is shown it, once per attempt (repeats add nothing).
// - completed: the LAST step is the task's outcome. It is reached when the outcome is known, by
//   the side that knows it: on the server when a submit changes data (`completion: "server"`,
//   the default), in the browser when the page showing it renders (`completion: "view"`, for
//   tasks that only look something up). Only the server records a step completed: the browser
//   reports what it showed and what it refused, and /ingest refuses a `_completed` it sends. Reaching it records, together and in this order,
//   `<last>_viewed` (unless the customer was already shown the last step, as a form) then
//   `<last>_completed`, and completes the attempt.
// - failed: `<step>_failed` when a step refuses; an attempt abandoned after a failure is FAILED.
// - exited: `<journey>_exited` when the customer leaves a step for another channel.
// - abandoned: `<journey>_abandoned` after ABANDON_AFTER_MINUTES without activity.
// - An attempt ends when it is completed, exited or abandoned, and nothing that happens after its
//   end joins it: the view of an outcome already recorded (a confirmation page) is dropped, and
//   anything else the customer does in the task starts the next attempt. One attempt never spans
//   two tasks, whatever id the browser still holds.

export const JOURNEYS = {
  signup: { label: "Sign up", steps: ["details", "email", "account"], forVisitors: true },
  password_reset: { label: "Reset a forgotten password", steps: ["request", "email", "new_password"], forVisitors: true },
  profile_update: { label: "Update profile", steps: ["form", "saved"], laterStepsImplyFirst: true },
  password_change: { label: "Change password", steps: ["form", "saved"], laterStepsImplyFirst: true },
  email_change: { label: "Change sign-in email", steps: ["form", "requested", "confirmed"] },
  communication_preferences: { label: "Choose communication preferences", steps: ["form", "saved"], laterStepsImplyFirst: true },
  session_management: { label: "Sign out other devices", steps: ["list", "signed_out"], laterStepsImplyFirst: true },
  address_change: { label: "Manage addresses", steps: ["list", "form", "saved"], laterStepsImplyFirst: true },
  payment_method: { label: "Add a payment method", steps: ["list", "hosted_page", "saved"], laterStepsImplyFirst: true },
  payment_method_change: { label: "Change or remove a saved card", steps: ["detail", "changed"] },
  order_tracking: { label: "Track an order", steps: ["history", "detail"], completion: "view" },
  order_cancellation: { label: "Cancel an order", steps: ["detail", "lines", "confirmation"], laterStepsImplyFirst: true },
  delivery_address_change: { label: "Change a delivery address", steps: ["detail", "address", "confirmation"], laterStepsImplyFirst: true },
  balance_payment: { label: "Pay a balance", steps: ["detail", "hosted_page", "confirmation"] },
  problem_report: { label: "Report a problem", steps: ["detail", "problem", "resolution"], laterStepsImplyFirst: true },
  return: { label: "Start a return", steps: ["order", "items", "resolution", "review", "method", "confirmation"], laterStepsImplyFirst: true },
  return_tracking: { label: "Follow a return", steps: ["list", "detail"], completion: "view" },
  return_cancellation: { label: "Cancel a return", steps: ["detail", "confirmation"] },
  data_export: { label: "Download my data", steps: ["privacy", "download"] },
  // It starts on the delete page: the privacy page it is linked from is also where data is downloaded,
  // and counting every visit there as a start made deletion look begun by everyone who downloaded.
  account_deletion: { label: "Delete my account", steps: ["reauthenticate", "deleted"] },
} as const satisfies Record<string, JourneyDeclaration>;

type JourneyDeclaration = {
  label: string;
  steps: readonly string[];
  /** Who knows the outcome (see the rule above): a server submit (default) or the browser's view of the last step. */
  completion?: "server" | "view";
  /** Taken before signing in (see the rule above): its attempts may start without an account. */
  forVisitors?: true;
  /**
   * No later step is reached without step 1: step 1 is choosing what the task is about (an order,
   * on its page) and every later screen's address names that choice, or a later step is only
   * opened or sent from step 1's page (the address book's forms, a form's own save). An attempt
   * whose first recorded step is a later one has taken step 1, and records it first
   * (lib/trail/browser.ts): a task opened at a later screen's address (a message's link, a
   * bookmark, another page's button), or started again on the page that showed the last attempt's
   * outcome, which does not start an attempt by itself (the address book after a save).
   */
  laterStepsImplyFirst?: true;
};

export type JourneyType = keyof typeof JOURNEYS;
export type StepOf<J extends JourneyType> = (typeof JOURNEYS)[J]["steps"][number];
export type StepAction = "viewed" | "completed" | "failed";

export const EXIT_CHANNELS = ["PHONE", "CHAT", "EMAIL", "SOCIAL", "HELP_CENTRE", "PERSON"] as const;
export type ExitChannel = (typeof EXIT_CHANNELS)[number];

/** PostHog funnels and the in-portal funnels use the same window (PostHog's default is 14 days). */
export const FUNNEL_CONVERSION_WINDOW_DAYS = 14;

export const JOURNEY_TYPES = Object.keys(JOURNEYS) as JourneyType[];

export function isJourneyType(value: unknown): value is JourneyType {
  return typeof value === "string" && Object.hasOwn(JOURNEYS, value);
}

export function isStepOf(type: JourneyType, step: unknown): boolean {
  return typeof step === "string" && (JOURNEYS[type].steps as readonly string[]).includes(step);
}

export function stepIndex(type: JourneyType, step: string): number {
  return (JOURNEYS[type].steps as readonly string[]).indexOf(step);
}

export function stepEventName(type: JourneyType, step: string, action: StepAction): string {
  return `${type}_${step}_${action}`;
}

export function exitEventName(type: JourneyType): string {
  return `${type}_exited`;
}

export function abandonEventName(type: JourneyType): string {
  return `${type}_abandoned`;
}

export function firstStep(type: JourneyType): string {
  return JOURNEYS[type].steps[0];
}

/** The step 1 that an attempt starting at `step` has taken (see JourneyDeclaration.laterStepsImplyFirst), or null. */
export function impliedFirstStep(type: JourneyType, step: string): string | null {
  const declared: JourneyDeclaration = JOURNEYS[type];
  return declared.laterStepsImplyFirst && step !== firstStep(type) && isStepOf(type, step) ? firstStep(type) : null;
}

export function lastStep(type: JourneyType): string {
  const steps = JOURNEYS[type].steps;
  return steps[steps.length - 1];
}

/** Where the outcome becomes known (see the rule above). */
export function completionOf(type: JourneyType): "server" | "view" {
  const declared: JourneyDeclaration = JOURNEYS[type];
  return declared.completion ?? "server";
}

/** The last step's completion is the journey's completion. */
/** Whether an attempt at the task may start without a signed-in customer (see the rule above). */
export function isForVisitors(type: JourneyType): boolean {
  const declared: JourneyDeclaration = JOURNEYS[type];
  return declared.forVisitors === true;
}

export function isJourneyCompletion(type: JourneyType, step: string, action: StepAction): boolean {
  const steps = JOURNEYS[type].steps;
  return action === "completed" && step === steps[steps.length - 1];
}

/** Ordered funnel events: every step's `_viewed`, then the last step's `_completed`. */
export function funnelEvents(type: JourneyType): string[] {
  const steps = JOURNEYS[type].steps as readonly string[];
  return [...steps.map((s) => stepEventName(type, s, "viewed")), stepEventName(type, steps[steps.length - 1], "completed")];
}

export type ParsedEventName =
  | { type: JourneyType; kind: "step"; step: string; action: StepAction }
  | { type: JourneyType; kind: "exited" }
  | { type: JourneyType; kind: "abandoned" }
  | { type: JourneyType; kind: "rage_tapped" };

/** Reads a trail event name back into its journey, step and action; null for anything undeclared. */
export function parseEventName(name: string): ParsedEventName | null {
  for (const type of JOURNEY_TYPES) {
    if (!name.startsWith(`${type}_`)) continue;
    const rest = name.slice(type.length + 1);
    if (rest === "exited") return { type, kind: "exited" };
    if (rest === "abandoned") return { type, kind: "abandoned" };
    if (rest === RAGE_TAPPED) return { type, kind: "rage_tapped" };
    for (const action of ["viewed", "completed", "failed"] as const) {
      if (rest.endsWith(`_${action}`)) {
        const step = rest.slice(0, -(action.length + 1));
        if (isStepOf(type, step)) return { type, kind: "step", step, action };
      }
    }
  }
  return null;
}

/**
 * `<journey>_rage_tapped`: on a step, the customer tapped or clicked one element RAGE_TAP_RULE.taps
 * times or more within RAGE_TAP_RULE.withinMs — the page did not answer the way they expected. A
 * note on the attempt, not a step (funnels ignore it). It carries the step, the kind of element
 * from a closed list (never its text, label or value) and the number of taps.
 */
const RAGE_TAPPED = "rage_tapped";
export const RAGE_TAP_RULE = { taps: 3, withinMs: 1000 } as const;
export const RAGE_TAP_ELEMENTS = ["button", "link", "field", "choice", "text", "other"] as const;
export type RageTapElement = (typeof RAGE_TAP_ELEMENTS)[number];

export function isRageTapElement(value: unknown): value is RageTapElement {
  return typeof value === "string" && (RAGE_TAP_ELEMENTS as readonly string[]).includes(value);
}

export function rageTapEventName(type: JourneyType): string {
  return `${type}_${RAGE_TAPPED}`;
}

export const INTERVENTION_OUTCOMES = ["shown", "accepted", "dismissed", "withheld"] as const;
export type InterventionOutcome = (typeof INTERVENTION_OUTCOMES)[number];

/** `<journey>_help_<outcome>`: help offered in place (withheld = the hold-out group would have got it). */
export function interventionEventName(type: JourneyType, outcome: InterventionOutcome): string {
  return `${type}_help_${outcome}`;
}

/** `<journey>_rule_overridden`: an agent set a business rule aside for this customer. */
export function overrideEventName(type: JourneyType): string {
  return `${type}_rule_overridden`;
}

/**
 * What became of a message the portal sent (lib/notify): `message_sent`, `message_opened` (read in
 * the message centre, or the email's pixel for customers who allow analytics) and `message_clicked`
 * (its link followed, into the journey the message is about). Not steps of a journey: a message is
 * what may bring the customer back to one, so its events carry that journey's type, never a person.
 */
export const MESSAGE_ACTIONS = ["sent", "opened", "clicked"] as const;
export type MessageAction = (typeof MESSAGE_ACTIONS)[number];

export function messageEventName(action: MessageAction): string {
  return `message_${action}`;
}
