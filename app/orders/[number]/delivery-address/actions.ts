"use server";
import { redirect } from "next/navigation";
import { addressInputSchema } from "@/lib/addresses/schema";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { parseForm, type FormState } from "@/lib/http/form-state";
import { safeAction, type BoundFormArgs } from "@/lib/http/safe-action";
import { changeDeliveryAddress, type NewDeliveryAddress } from "@/lib/orders/delivery-address";
import { trailActor } from "@/lib/trail/actor";
import { journeyIdFrom } from "@/lib/trail/server";

const MESSAGES = {
  order_not_found: "We could not find this order in your account.",
  order_already_shipped: "This order has already shipped, so its address can no longer be changed. If it cannot be delivered, the carrier will leave a note with options.",
  address_not_found: "That saved address no longer exists. Choose another one or enter a new address.",
} as const;

export async function changeDeliveryAddressAction(orderNumber: string, _previous: FormState, formData: FormData): Promise<FormState> {
  return safeAction<BoundFormArgs>("change-delivery-address", async () => {
    const principal = await requireCustomer(`/orders/${orderNumber}/delivery-address`);
    const saved = formData.get("savedAddressId");
    let to: NewDeliveryAddress;
    if (typeof saved === "string" && saved !== "new") {
      to = { savedAddressId: saved.slice(0, 40) };
    } else {
      const parsed = parseForm(addressInputSchema, formData);
      if (!parsed.ok) return parsed.state;
      to = { address: parsed.data };
    }
    const outcome = await changeDeliveryAddress(db(), { userId: principal.userId, orderNumber, to, journeyId: journeyIdFrom(formData.get("journeyId")), actor: await trailActor(principal) });
    if (!outcome.ok) return { status: "error", message: MESSAGES[outcome.code] };
    redirect(`/orders/${orderNumber}?updated=address`);
  })(orderNumber, _previous, formData);
}
