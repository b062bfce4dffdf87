// The questions the portal asks about a task, worded once for the page, the server and the reports.
// Framework-free: shown in the browser, parsed on the server.
import type { JourneyType } from "@/lib/trail/journeys";

/** "What went wrong?" after a failed step: one tap. */
export const WENT_WRONG_REASONS = {
  error_stopped: "An error stopped me",
  unclear: "I didn't understand what to do",
  missing_info: "It asked for something I don't have",
  too_slow: "It took too long",
  other: "Something else",
} as const;
export type WentWrongReason = keyof typeof WENT_WRONG_REASONS;
export const WENT_WRONG_CODES = Object.keys(WENT_WRONG_REASONS) as [WentWrongReason, ...WentWrongReason[]];

export function isWentWrongReason(value: unknown): value is WentWrongReason {
  return typeof value === "string" && Object.hasOwn(WENT_WRONG_REASONS, value);
}

/**
 * Customer Effort Score: asked at the end of every task, wherever its outcome is shown
 * (`JourneyOutcomeShown`), except these, for the reason given.
 */
export const EFFORT_NOT_ASKED: Partial<Record<JourneyType, string>> = {
  signup: "sign-up ends by signing the customer in and taking them to their account: no page shows its outcome",
  password_reset: "it ends on the sign-in page, signed out, where an answer cannot be told from anyone else's on that browser",
  order_tracking: "a look-up done each time an order's page shows: asking on every visit would be a nuisance",
  return_tracking: "a look-up done each time a return's page shows: asking on every visit would be a nuisance",
  account_deletion: "the account and its trail are erased: there is no one left to ask, and nothing to keep the answer with",
};

export const EFFORT_QUESTION = "How easy was it to do this today?";
export const EFFORT_SCALE = { min: 1, max: 7, minLabel: "Very hard", maxLabel: "Very easy" } as const;
/** Scores from here up count as easy in the reports. */
export const EASY_FROM = 5;
