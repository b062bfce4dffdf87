// A case's status and the rules agents set aside on it, in the agent's words (the customer's
// Help requests page says its status in its own: "Someone is on it"). Framework-free.
import type { CaseChannel } from "@/lib/cases/cases";
import { overrideLabel } from "@/lib/returns/overrides";
import { refusalWords } from "./refusals";

export const CASE_STATUS_LABEL = { OPEN: "Open", IN_PROGRESS: "In progress", RESOLVED: "Resolved", CLOSED: "Closed" } as const;

/** The channel a case (or a contact) came by, as the agent's forms and the trail's labels name channels. */
export const CASE_CHANNEL_LABEL: Record<CaseChannel, string> = { PORTAL: "Portal", PHONE: "Phone", CHAT: "Chat", EMAIL: "Email", SOCIAL: "Social" };

/** Whether anyone can still act on the case: once resolved or closed, nothing more is done from it. */
export function isCaseOpen(status: keyof typeof CASE_STATUS_LABEL): boolean {
  return status === "OPEN" || status === "IN_PROGRESS";
}

const GOODWILL_LABEL: Record<string, string> = { goodwill_refund: "Goodwill refund", goodwill_credit: "Goodwill store credit" };

/** A rule set aside: goodwill given outside the policy, or an exception for a return. The case and the insights say it alike. */
export function ruleSetAsideLabel(rule: string): string {
  return GOODWILL_LABEL[rule] ?? overrideLabel(rule);
}

export type RuleSetAside = { rule: string; orderNumber: string | null; returnNumber: string | null; agentName: string | null };

/** The order or return something concerns: "return RT-100042 of order WM-209300", "order WM-209300"; null for neither. */
export function orderAndReturn(about: { orderNumber: string | null; returnNumber: string | null }): string | null {
  const order = about.orderNumber ? `order ${about.orderNumber}` : null;
  return about.returnNumber ? `return ${about.returnNumber}${order ? ` of ${order}` : ""}` : order;
}

/** What was set aside and for what: "Fee waived for return RT-100042 of order WM-209300". */
export function ruleSetAsideHeading(override: RuleSetAside): string {
  const target = orderAndReturn(override);
  return `${ruleSetAsideLabel(override.rule)}${target ? ` for ${target}` : ""}`;
}

/** Who set it aside; an agent whose account is gone is still said to have done it. */
export function ruleSetAsideBy(override: RuleSetAside): string {
  return `Set aside by ${override.agentName ?? "a former agent"}`;
}

/**
 * What an agent did on a case, carried to the page it reloads (?done=…, with what it was done to in
 * ?about=: an order's number, an override's id, a goodwill refund's or credit's id) so its outcome
 * is said there, at the top.
 */
export const CASE_ACTIONS_DONE = ["taken", "resolved", "cancelled", "set-aside", "checked", "fee-waived", "goodwill"] as const;
export type CaseActionDone = (typeof CASE_ACTIONS_DONE)[number];

export function casePageAfter(caseNumber: string, done: CaseActionDone, about?: string): string {
  return `/agent/cases/${caseNumber}?done=${done}${about ? `&about=${encodeURIComponent(about)}` : ""}`;
}

/**
 * The page's word on what the agent did, read from the case as it now is: a take that lost to
 * another agent's says whose the case is, one on a case closed meanwhile that nothing was done
 * (lib/cases/refusals.ts). Null when the case says otherwise (an address typed or
 * kept with ?done= on a case nobody has, or still open).
 */
export function caseActionNotice(done: "taken" | "resolved", found: { status: keyof typeof CASE_STATUS_LABEL; assignedToId: string | null; assignedTo: { name: string } | null }, agentId: string): string | null {
  if (done === "resolved") return isCaseOpen(found.status) ? null : "Case resolved. The customer has been told by their preferred channel.";
  if (!isCaseOpen(found.status)) return refusalWords({ ok: false, code: "case_closed" });
  // The case's status beside it says it is with them.
  if (found.assignedToId === agentId) return "You have taken this case.";
  return found.assignedTo ? refusalWords({ ok: false, code: "taken_by_another", agentName: found.assignedTo.name }) : null;
}
