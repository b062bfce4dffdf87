// Customers and the cards saved on them: POST /v1/customers, POST /v1/customers/:id,
// POST /v1/payment_methods/:id/detach.
import type { StandInObjects } from "./objects";
import type { Params, StripeObject } from "./types";
import { allowOnly, invalid, isRecord, metadataOf, optionalString, StripeApiError } from "./wire";

export function createCustomers({ objects, now, newId, store }: StandInObjects) {
  function createCustomer(params: Params): StripeObject {
    allowOnly(params, ["email", "name", "metadata", "description", "expand"]);
    return store({
      id: newId("cus"),
      object: "customer",
      email: optionalString(params, "email"),
      name: optionalString(params, "name"),
      description: optionalString(params, "description"),
      metadata: metadataOf(params),
      invoice_settings: { default_payment_method: null, custom_fields: null, footer: null, rendering_options: null },
      created: now(),
      livemode: false,
    });
  }

  function updateCustomer(customer: StripeObject, params: Params): StripeObject {
    allowOnly(params, ["email", "name", "metadata", "description", "invoice_settings", "expand"]);
    const settings = params.invoice_settings;
    if (settings !== undefined) {
      if (!isRecord(settings)) throw invalid("Invalid object", "invoice_settings", "parameter_invalid_string");
      allowOnly(settings, ["default_payment_method"], "invoice_settings");
      const pmId = settings.default_payment_method;
      if (typeof pmId === "string" && pmId !== "") {
        const pm = objects.get(pmId);
        if (!pm || pm.object !== "payment_method" || pm.customer !== customer.id) {
          throw new StripeApiError(400, "invalid_request_error", `The customer does not have a payment method with the ID ${pmId}. The payment method must be attached to the customer.`, { code: "resource_missing", param: "invoice_settings[default_payment_method]" });
        }
      }
      (customer.invoice_settings as Params).default_payment_method = pmId === "" ? null : (pmId ?? null);
    }
    for (const field of ["email", "name", "description"] as const) if (params[field] !== undefined) customer[field] = optionalString(params, field);
    if (params.metadata !== undefined) customer.metadata = { ...(customer.metadata as Params), ...metadataOf(params) };
    return customer;
  }

  function detachPaymentMethod(pm: StripeObject): StripeObject {
    if (!pm.customer) throw new StripeApiError(400, "invalid_request_error", "The payment method you provided is not attached to a customer so detachment is impossible.", { code: "payment_method_unexpected_state" });
    const customer = objects.get(pm.customer as string);
    const settings = customer?.invoice_settings as Params | undefined;
    if (settings?.default_payment_method === pm.id) settings.default_payment_method = null;
    pm.customer = null;
    return pm;
  }

  return { createCustomer, updateCustomer, detachPaymentMethod };
}
