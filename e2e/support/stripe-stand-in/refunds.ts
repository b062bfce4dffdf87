// Refunds: POST /v1/refunds, against a PaymentIntent's charge; they succeed at once.
import type { StandInObjects } from "./objects";
import type { StandInWebhooks } from "./webhooks";
import type { Context, Params, StripeObject } from "./types";
import { allowOnly, invalid, metadataOf, optionalString, requiredInteger, StripeApiError } from "./wire";

export function createRefunds({ objects, now, newId, store, find }: StandInObjects, { emit }: StandInWebhooks) {
  function createRefund(params: Params, request: Context["request"]): StripeObject {
    allowOnly(params, ["payment_intent", "charge", "amount", "reason", "metadata", "expand"]);
    const piId = optionalString(params, "payment_intent");
    if (!piId) throw invalid("Missing required param: payment_intent.", "payment_intent", "parameter_missing");
    const pi = find(piId, "payment_intent", "payment_intent");
    const chargeObject = pi.status === "succeeded" && typeof pi.latest_charge === "string" ? objects.get(pi.latest_charge) : undefined;
    if (!chargeObject) throw new StripeApiError(400, "invalid_request_error", `This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, { code: "charge_not_refundable", param: "payment_intent" });
    const remaining = (chargeObject.amount as number) - (chargeObject.amount_refunded as number);
    if (remaining <= 0) throw new StripeApiError(400, "invalid_request_error", `Charge ${chargeObject.id} has already been refunded.`, { code: "charge_already_refunded" });
    const amount = params.amount === undefined ? remaining : requiredInteger(params, "amount");
    if (amount < 1) throw invalid("Invalid positive integer", "amount", "parameter_invalid_integer");
    if (amount > remaining) {
      const money = (minor: number) => new Intl.NumberFormat("en-GB", { style: "currency", currency: String(pi.currency).toUpperCase() }).format(minor / 100);
      throw new StripeApiError(400, "invalid_request_error", `Refund amount (${money(amount)}) is greater than unrefunded amount on charge (${money(remaining)})`, { code: "amount_too_large", param: "amount" });
    }
    const reason = optionalString(params, "reason");
    if (reason && !["duplicate", "fraudulent", "requested_by_customer"].includes(reason)) throw invalid("Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer", "reason", "parameter_invalid_string");
    chargeObject.amount_refunded = (chargeObject.amount_refunded as number) + amount;
    chargeObject.refunded = chargeObject.amount_refunded === chargeObject.amount;
    const refund = store({
      id: newId("re"),
      object: "refund",
      amount,
      charge: chargeObject.id,
      currency: pi.currency,
      payment_intent: pi.id,
      reason: reason ?? null,
      metadata: metadataOf(params),
      status: "succeeded",
      failure_reason: null,
      created: now(),
    });
    emit("refund.created", refund, request);
    emit("charge.refunded", chargeObject, request);
    return refund;
  }

  return { createRefund };
}
