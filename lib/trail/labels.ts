// The trail in words, for the people who read it (agents at a case or on the live view, analysts in
// the explorer): each task's name, each step's, how an attempt ended and what an event was. The
// codes stay what the trail stores and PostHog counts; nobody reads them. Framework-free.
import { isJourneyType, JOURNEYS, type ExitChannel, type JourneyType, type StepOf } from "./journeys";
import type { TrailKind } from "./store";

/**
 * Each step as an agent would say where the customer was; every declared step has one. A step's
 * events are viewed, completed or failed, so an outcome step is named as something being done
 * ("Saving the new password"): a refused save happened there too.
 */
export const STEP_LABELS: { [J in JourneyType]: Record<StepOf<J>, string> } = {
  signup: { details: "Name, email and password", email: "Confirming their email address", account: "Creating the account" },
  password_reset: { request: "Asking for a reset link", email: "Following the emailed link", new_password: "Choosing a new password" },
  profile_update: { form: "Profile form", saved: "Saving the profile" },
  password_change: { form: "Password form", saved: "Saving the new password" },
  email_change: { form: "New email address", requested: "Sending the confirmation email", confirmed: "Confirming the new address" },
  communication_preferences: { form: "Preferences form", saved: "Saving the preferences" },
  session_management: { list: "Signed-in devices", signed_out: "Signing out other devices" },
  address_change: { list: "Address book", form: "Address form", saved: "Saving the address" },
  payment_method: { list: "Saved cards", hosted_page: "Card details on Stripe’s page", saved: "Saving the card" },
  payment_method_change: { detail: "The saved card", changed: "Changing or removing the card" },
  order_tracking: { history: "Order history", detail: "Order page" },
  order_cancellation: { detail: "Order page", lines: "Choosing what to cancel", confirmation: "Confirming the cancellation" },
  delivery_address_change: { detail: "Order page", address: "Choosing the new address", confirmation: "Confirming the new address" },
  balance_payment: { detail: "Order page", hosted_page: "Paying on Stripe’s page", confirmation: "Confirming the payment" },
  problem_report: { detail: "Order page", problem: "Saying what went wrong", resolution: "Choosing what we do about it" },
  return: {
    order: "Choosing the order",
    items: "Choosing the items",
    resolution: "Choosing a refund, credit or exchange",
    review: "Checking what they get back",
    method: "Choosing how to send it back",
    confirmation: "Submitting the return",
  },
  return_tracking: { list: "Returns list", detail: "Return page" },
  return_cancellation: { detail: "Return page", confirmation: "Confirming the cancellation" },
  data_export: { privacy: "Privacy page", download: "Downloading their data" },
  account_deletion: { reauthenticate: "Entering their password again", deleted: "Deleting the account" },
};

/** A code nobody declared (a task or step since renamed, still in old trail rows), as readable as it gets. */
const inWords = (code: string) => {
  const words = code.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** The task's name; the trail stores the type as text, so an undeclared one is read as words. */
export function journeyLabel(type: string): string {
  return isJourneyType(type) ? JOURNEYS[type].label : inWords(type);
}

export function stepLabel(type: string, step: string): string {
  if (!isJourneyType(type)) return inWords(step);
  const labels: Record<string, string> = STEP_LABELS[type];
  return Object.hasOwn(labels, step) ? labels[step] : inWords(step);
}

export type AttemptOutcome = "IN_PROGRESS" | "COMPLETED" | "FAILED" | "ABANDONED" | "EXITED";

export const OUTCOME_LABELS: Record<AttemptOutcome, string> = { IN_PROGRESS: "In progress", COMPLETED: "Completed", FAILED: "Failed", ABANDONED: "Abandoned", EXITED: "Exited" };

export const CHANNEL_LABELS: Record<ExitChannel, string> = { PHONE: "Phone", CHAT: "Chat", EMAIL: "Email", SOCIAL: "Social", HELP_CENTRE: "Help centre", PERSON: "Talk to a person" };

/** How an attempt ended: "Completed", "Exited to phone", "Exited to chat at Order page". */
export function endingLabel(outcome: AttemptOutcome, exitChannel: ExitChannel | null, exitStep: string | null = null): string {
  if (outcome !== "EXITED") return OUTCOME_LABELS[outcome];
  const to = exitChannel ? ` to ${CHANNEL_LABELS[exitChannel].toLowerCase()}` : "";
  return `Exited${to}${exitStep ? ` at ${exitStep}` : ""}`;
}

/** What one trail event was. */
export const EVENT_LABELS: Record<TrailKind, string> = {
  VIEWED: "Viewed",
  COMPLETED: "Completed",
  ERROR: "Failed",
  EXITED: "Left for another channel",
  ABANDONED: "Abandoned (no activity)",
  INTERVENTION: "Help offered in place",
  OVERRIDE: "An agent set a rule aside",
  RAGE_TAP: "Tapped the same thing again and again",
};
