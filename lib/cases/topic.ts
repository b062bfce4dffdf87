// A case's reason is a code its opener writes (`talk_to_person:return:method`,
// `return_refund:inbound_chat`, …): what the queue filters and the risk model count by. People read
// it as a topic in words, the same for the agent and the customer.
import type { CaseChannel } from "@/lib/cases/cases";
import { CONTACT_REASONS, type ContactReason } from "@/lib/contacts/reasons";
import { BUY_AGAIN_REASON } from "@/lib/orders/buy-again";
import { PARCEL_AFTER_CANCELLATION_REASON } from "@/lib/returns/status";
import { PROBLEM_KIND_LABEL, type ProblemKind } from "@/lib/orders/problem-policy";
import { isJourneyType, JOURNEYS } from "@/lib/trail/journeys";

const CHANNEL_WORDS: Record<string, string> = { phone: "a call", chat: "a chat", email: "an email", social: "a social message" };

function taskWords(type: string | undefined): string {
  return type && isJourneyType(type) ? ` during “${JOURNEYS[type].label}”` : "";
}

const REVIEW_REASON_WORDS: Record<string, string> = {
  high_value: "its value is over the review threshold",
  frequent_returner: "the customer has returned often lately",
  review_reason: "its reason is one the policy has checked",
};

/** Why the policy held a return (`return_review:high_value,frequent_returner`), in words. */
function heldBecause(codes: string | undefined): string {
  const words = (codes ?? "").split(",").flatMap((code) => (REVIEW_REASON_WORDS[code] ? [REVIEW_REASON_WORDS[code]] : []));
  return words.length ? `: ${words.join(", and ")}` : "";
}

/**
 * What the case page says instead of the customer's steps when the case has none: a case the
 * portal opened outside a task (a request to buy an order again, "Talk to a person" from the
 * overview) did come from the portal.
 */
export function noStepsWords(channel: CaseChannel): string {
  return channel === "PORTAL" ? "This case was opened in the portal, not during a task, so there are no steps to show." : "This case did not start from a task in the portal.";
}

export function caseTopic(reason: string): string {
  const [head, ...rest] = reason.split(":");
  switch (head) {
    case "talk_to_person":
      return `Asked for a person${taskWords(rest[0])}`;
    case "callback":
      return `Asked to be called back${taskWords(rest[1])}`;
    case "chat":
      return `Asked to chat${taskWords(rest[1])}`;
    case "reach_out":
      return `Accepted our offer of help${taskWords(rest[0])}`;
    case "problem_report":
      return `A problem with an order: ${(PROBLEM_KIND_LABEL[rest[0] as ProblemKind] ?? "other").toLowerCase()}`;
    case "return_review":
      return `A return to check before it is accepted${heldBecause(rest[0])}`;
    case PARCEL_AFTER_CANCELLATION_REASON:
      return "A cancelled return whose parcel came to us anyway";
    case BUY_AGAIN_REASON:
      return "Order the same items again";
  }
  if (head in CONTACT_REASONS) {
    const channel = rest[0]?.startsWith("inbound_") ? CHANNEL_WORDS[rest[0].slice("inbound_".length)] : undefined;
    return `${CONTACT_REASONS[head as ContactReason]}${channel ? ` (${channel})` : ""}`;
  }
  return reason.replaceAll("_", " ").replaceAll(":", " · ");
}
