// What Waymark may do on the spot when a customer reports a problem with an order, and when a
// person must decide instead. The rules are data (PROBLEM_RULES); this module is framework-free.

export const PROBLEM_KINDS = ["not_received", "damaged", "wrong_item", "missing_item"] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];
/** In the customer's words, as the report form offers them. */
export const PROBLEM_KIND_LABEL: Record<ProblemKind, string> = { not_received: "It has not arrived", damaged: "Something arrived damaged", wrong_item: "I received the wrong item", missing_item: "Something is missing from the parcel" };
export type ProblemResolution = "RESHIP" | "REFUND" | "STORE_CREDIT";

export type ProblemRules = {
  /** Days after the promised date before "not received" can be reported. */
  notReceivedGraceDays: number;
  /** Above this value (in minor units of the order's currency) an agent decides. */
  autoResolveMaxMinor: number;
  /** More problem reports than this in the look-back window send the customer to an agent. */
  maxReportsInWindow: number;
  reportWindowDays: number;
  /** Store credit is offered with this bonus, in percent of the amount. */
  storeCreditBonusPercent: number;
  resolutions: Record<ProblemKind, ProblemResolution[]>;
};

export const PROBLEM_RULES: ProblemRules = {
  notReceivedGraceDays: 5,
  autoResolveMaxMinor: 15_000,
  maxReportsInWindow: 2,
  reportWindowDays: 90,
  storeCreditBonusPercent: 10,
  resolutions: {
    not_received: ["RESHIP", "REFUND"],
    damaged: ["RESHIP", "REFUND", "STORE_CREDIT"],
    wrong_item: ["RESHIP", "REFUND", "STORE_CREDIT"],
    missing_item: ["RESHIP", "REFUND", "STORE_CREDIT"],
  },
};

export type ProblemFacts = {
  kind: ProblemKind;
  orderStatus: "PENDING_PAYMENT" | "PROCESSING" | "SHIPPED" | "DELIVERED" | "CANCELLED";
  promisedDeliveryAt: Date;
  /** Set when the carrier scanned the parcel as delivered. */
  deliveredAt: Date | null;
  /** Value of what the problem concerns: the whole order for "not received", the chosen items otherwise. */
  affectedMinor: number;
  reportsInWindow: number;
  /** A problem with this order was already put right or handed to a person: one report per order. */
  alreadyReported: boolean;
  now: Date;
};

export type ProblemDecision =
  | { kind: "refused"; code: "not_shipped_yet" | "too_early" | "not_delivered_yet" | "order_cancelled" | "nothing_affected" | "already_reported"; availableFrom?: Date }
  | { kind: "agent"; code: "carrier_confirmed_delivery" | "high_value" | "repeated_reports" }
  | { kind: "allowed"; resolutions: ProblemResolution[]; amountMinor: number; creditBonusMinor: number };

const DAY_MS = 86_400_000;

export function decideProblem(facts: ProblemFacts, rules: ProblemRules = PROBLEM_RULES): ProblemDecision {
  if (facts.orderStatus === "CANCELLED") return { kind: "refused", code: "order_cancelled" };
  // A second report (another tab, a double submit, a later try) would refund, credit or reship twice.
  if (facts.alreadyReported) return { kind: "refused", code: "already_reported" };
  if (facts.orderStatus === "PENDING_PAYMENT" || facts.orderStatus === "PROCESSING") return { kind: "refused", code: "not_shipped_yet" };
  if (facts.affectedMinor <= 0) return { kind: "refused", code: "nothing_affected" };

  if (facts.kind === "not_received") {
    // The carrier says it was delivered: someone must look into it (neighbour, safe place, theft).
    if (facts.deliveredAt) return { kind: "agent", code: "carrier_confirmed_delivery" };
    const availableFrom = new Date(facts.promisedDeliveryAt.getTime() + rules.notReceivedGraceDays * DAY_MS);
    if (facts.now < availableFrom) return { kind: "refused", code: "too_early", availableFrom };
  } else if (facts.orderStatus !== "DELIVERED") {
    return { kind: "refused", code: "not_delivered_yet" };
  }

  if (facts.reportsInWindow >= rules.maxReportsInWindow) return { kind: "agent", code: "repeated_reports" };
  if (facts.affectedMinor > rules.autoResolveMaxMinor) return { kind: "agent", code: "high_value" };
  return {
    kind: "allowed",
    resolutions: rules.resolutions[facts.kind],
    amountMinor: facts.affectedMinor,
    creditBonusMinor: Math.round((facts.affectedMinor * rules.storeCreditBonusPercent) / 100),
  };
}

/**
 * What the customer reads once a report is in: a headline that says what happened (a case handed
 * to the team is not sorted yet) and what comes next. `within`: how soon a card refund shows.
 */
export function problemOutcomeCopy(resolved: ProblemResolution | "AGENT_CASE", facts: { caseNumber?: string; replacement?: string; within: string }): { headline: string; detail: string } {
  switch (resolved) {
    case "REFUND":
      return { headline: "Thank you — it is sorted", detail: `Your refund is on its way to your card. It usually shows ${facts.within}.` };
    case "STORE_CREDIT":
      return { headline: "Thank you — it is sorted", detail: "Your store credit is ready to use now." };
    case "RESHIP":
      return { headline: "Thank you — it is sorted", detail: `A replacement is being prepared${facts.replacement ? ` as order ${facts.replacement}` : ""}. You will see its tracking as soon as it ships.` };
    case "AGENT_CASE":
      return {
        headline: "Thank you — our team is on it",
        detail: `${facts.caseNumber ? `We have opened case ${facts.caseNumber}` : "We have passed your report to our team"} and one of them will reply within one working day.`,
      };
  }
}
