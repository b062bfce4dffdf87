// Returns: why items come back and how a return moves through the warehouse.
import { DEFAULT_POLICY, offeredReasons } from "@/lib/returns/policy";
import type { Random } from "../random";
import { AGENT_ACTOR } from "./accounts";
import type { Category } from "./catalogue";
import { RETURN_REVIEW_FROM_MINOR, RETURN_WINDOW_DAYS } from "./places";
import type { PricedLine, ReturnPlan, ReturnReason, ReturnStep } from "./plans";
import { DAY, HOUR, MINUTE, SECOND, shift } from "./time";

const RETURN_NOTES: Record<ReturnReason, readonly string[]> = {
  wrong_size: ["Runs small, I need a size up", "Runs large", "Too tight", "Doesn't fit as expected"],
  damaged: ["Arrived damaged", "Packaging was crushed and the item is scratched", "Has a visible defect", "Arrived broken"],
  not_as_described: ["The colour is much darker than in the photos", "Material feels thinner than described", "Smaller than it looks online"],
  changed_mind: ["Found something I like better", "Bought it as a gift, no longer needed", "Doesn't go with what I have"],
  wrong_item: ["Received a different colour", "Not the product I ordered", "Received someone else's order"],
};

function pickReturnReason(rng: Random, category: Category): ReturnReason {
  const fitted = offeredReasons(DEFAULT_POLICY.rules, category).includes("wrong_size");
  return rng.weighted<ReturnReason>(
    fitted
      ? [["wrong_size", 45], ["changed_mind", 25], ["not_as_described", 15], ["damaged", 8], ["wrong_item", 7]]
      : [["changed_mind", 35], ["damaged", 28], ["not_as_described", 22], ["wrong_item", 15]],
  );
}

export function returnValueMinor(orderLines: PricedLine[], lines: ReturnPlan["lines"]): number {
  return lines.reduce((sum, { lineIndex, quantity }) => {
    const line = orderLines[lineIndex];
    return sum + line.unitPriceMinor * quantity + Math.round((line.taxMinor * quantity) / line.quantity);
  }, 0);
}

/** How a return moves through the warehouse; the customer cancels or the inspection declines now and then. */
function randomReturnSteps(rng: Random, requestedAt: Date, resolution: ReturnPlan["resolution"], needsReview: boolean): ReturnStep[] {
  const steps: ReturnStep[] = [];
  let clock = requestedAt;
  const after = (min: number, max: number) => (clock = shift(clock, rng.int(min, max)));
  if (needsReview) {
    steps.push({ to: "HELD_FOR_REVIEW", at: after(30 * SECOND, 2 * MINUTE), actor: "system" });
    steps.push({ to: "APPROVED", at: after(2 * HOUR, 22 * HOUR), actor: AGENT_ACTOR });
  } else {
    steps.push({ to: "APPROVED", at: after(30 * SECOND, 3 * MINUTE), actor: "system" });
  }
  if (rng.chance(0.04)) {
    steps.push({ to: "CANCELLED", at: after(DAY, 6 * DAY), actor: "customer" });
    return steps;
  }
  steps.push({ to: "IN_TRANSIT", at: after(6 * HOUR, 4 * DAY), actor: "system" });
  steps.push({ to: "RECEIVED", at: after(DAY, 4 * DAY), actor: "backoffice" });
  steps.push({ to: "INSPECTED", at: after(2 * HOUR, 2 * DAY), actor: "backoffice" });
  if (rng.chance(0.04)) {
    steps.push({ to: "DECLINED", at: after(5 * MINUTE, 3 * HOUR), actor: "backoffice", note: "Item shows signs of wear; sent back to the customer" });
  } else {
    steps.push({ to: resolution === "REFUND" ? "REFUNDED" : "CREDITED", at: after(MINUTE, 20 * MINUTE), actor: "system" });
  }
  return steps;
}

export function planRandomReturn(rng: Random, orderLines: PricedLine[], deliveredAt: Date): ReturnPlan | undefined {
  const returnable = orderLines
    .map((line, lineIndex) => ({ line, lineIndex }))
    .filter(({ line }) => !line.variant.product.finalSale && !line.variant.product.hygiene);
  if (returnable.length === 0) return undefined;
  const lines = rng.sample(returnable, rng.weighted([[1, 80], [2, 20]] as const)).map(({ line, lineIndex }) => {
    const reason = pickReturnReason(rng, line.variant.product.category);
    return { lineIndex, quantity: rng.int(1, line.quantity), reason, note: rng.chance(0.35) ? rng.pick(RETURN_NOTES[reason]) : undefined };
  });
  const requestedAt = shift(deliveredAt, rng.int(6 * HOUR, (RETURN_WINDOW_DAYS - 4) * DAY));
  const resolution = rng.weighted([["REFUND", 75], ["STORE_CREDIT", 25]] as const);
  const needsReview = returnValueMinor(orderLines, lines) >= RETURN_REVIEW_FROM_MINOR;
  return {
    requestedAt,
    resolution,
    method: rng.weighted([["DROP_OFF", 55], ["LABEL", 35], ["PICKUP", 10]] as const),
    lines,
    steps: randomReturnSteps(rng, requestedAt, resolution, needsReview),
  };
}
