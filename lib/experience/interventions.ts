// Rules that act in the moment: when the portal should offer help in place, and what help. The
// rules are configuration; this module is framework-free and decides from plain facts.
import crypto from "node:crypto";
import { env } from "@/lib/config/env";
import { whyNotCancellable, type OrderFacts } from "@/lib/orders/status";
import { RISK_CONFIG, type RiskScore } from "./risk";

export type InterventionCode = "same_error_twice" | "refund_overdue" | "late_order" | "high_risk";
export type Offer = "explain" | "alternative" | "callback" | "chat";

export type InterventionFacts = {
  /** How often each error code happened in this journey so far. */
  errorCounts: Record<string, number>;
  risk: RiskScore;
  /** The order on screen is late (undelivered past its promised date). */
  orderLate: boolean;
  /** The customer waits on a refund past its usual delay. */
  refundOverdue: boolean;
};

export type Intervention = { code: InterventionCode; offers: Offer[]; errorCode?: string };

export const INTERVENTION_RULES = {
  repeatedErrorThreshold: 2,
  /** In priority order: the first that applies is offered. */
  order: ["same_error_twice", "refund_overdue", "late_order", "high_risk"] as InterventionCode[],
  offers: {
    same_error_twice: ["explain", "alternative", "callback", "chat"],
    refund_overdue: ["explain", "callback", "chat"],
    late_order: ["explain", "alternative", "chat"],
    high_risk: ["callback", "chat"],
  } satisfies Record<InterventionCode, Offer[]>,
  /**
   * Help about the customer rather than the task (a refund overdue, things not going well) would
   * follow them onto every page: once they decline it, it rests this long, whatever task they are on.
   * Help about the task itself is declined for that attempt only.
   */
  restAfterDeclineHours: { refund_overdue: 24, high_risk: 24 } as Partial<Record<InterventionCode, number>>,
};

export function chooseIntervention(facts: InterventionFacts, rules = INTERVENTION_RULES, riskThreshold = RISK_CONFIG.interveneAt): Intervention | null {
  const repeated = Object.entries(facts.errorCounts).find(([, n]) => n >= rules.repeatedErrorThreshold)?.[0];
  const applies: Record<InterventionCode, boolean> = {
    same_error_twice: repeated !== undefined,
    refund_overdue: facts.refundOverdue,
    late_order: facts.orderLate,
    high_risk: facts.risk.score >= riskThreshold,
  };
  const code = rules.order.find((c) => applies[c]);
  if (!code) return null;
  return { code, offers: rules.offers[code], ...(code === "same_error_twice" ? { errorCode: repeated } : {}) };
}

export type InterventionGroup = "treatment" | "control";

/** A stable assignment per customer: the same person always lands in the same group. */
/** `holdoutPercent`: share of customers (percent) who never get interventions, so their lift can be measured. */
export function localInterventionGroup(distinctId: string, holdoutPercent = env().INTERVENTION_HOLDOUT_PERCENT): InterventionGroup {
  const bucket = crypto.createHash("sha256").update(`interventions:${distinctId}`).digest().readUInt32BE(0) % 100;
  return bucket < holdoutPercent ? "control" : "treatment";
}

/** Plain words for the customer; specific when the error is known, honest otherwise. `orderStatus`: the order the step is about, if any. */
export function explain(intervention: Intervention, orderStatus?: OrderFacts["status"]): string {
  if (intervention.code === "same_error_twice") {
    const known: Record<string, string> = {
      return_window_expired: "The return window for this item has closed, so the portal cannot accept it. A person can still look at exceptions, for example a faulty item.",
      final_sale: "This item was sold as final sale, so it cannot be returned for a refund. If it is faulty, we can still help: report a problem instead.",
      order_already_shipped: whyNotCancellable(orderStatus ?? "SHIPPED"),
      quantity_too_high: "You chose more items than are left on this order. Lower the number and try again.",
      validation_error: "Some details are still not in the format we need; each field shows what to change.",
    };
    return known[intervention.errorCode ?? ""] ?? "This step has not worked twice now. Rather than trying again, let us help you finish it.";
  }
  if (intervention.code === "refund_overdue") return "Your refund is taking longer than it should. We are sorry: we can check it with the bank for you right now.";
  if (intervention.code === "late_order") return "This order is late. If it has not arrived 5 days after its promised date, you can report it and get a replacement or a refund straight away.";
  return "It looks like things have not gone smoothly lately. If you would like, a person can take it from here.";
}
