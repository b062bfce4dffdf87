// A case's status and the rules agents set aside on it, in the agent's words (the customer's
// Help requests page says its status in its own: "Someone is on it"). Framework-free.
import { overrideLabel } from "@/lib/returns/overrides";

export const CASE_STATUS_LABEL = { OPEN: "Open", IN_PROGRESS: "In progress", RESOLVED: "Resolved", CLOSED: "Closed" } as const;

const GOODWILL_LABEL: Record<string, string> = { goodwill_refund: "Goodwill refund", goodwill_credit: "Goodwill store credit" };

/** A rule set aside: goodwill given outside the policy, or an exception for a return. */
export function ruleSetAsideLabel(rule: string): string {
  return GOODWILL_LABEL[rule] ?? overrideLabel(rule);
}
