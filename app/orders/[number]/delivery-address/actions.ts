"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { addressInputSchema } from "@/lib/addresses/schema";
import { db } from "@/lib/db/client";
import { boundFormAction } from "@/lib/http/action-client";
import { changeDeliveryAddress } from "@/lib/orders/delivery-address";
import { whyAddressIsFixed } from "@/lib/orders/status";

const MESSAGES = {
  order_not_found: "We could not find this order in your account.",
  order_cancelled: whyAddressIsFixed("CANCELLED"),
  order_already_shipped: whyAddressIsFixed("SHIPPED"),
  address_not_found: "That saved address no longer exists. Choose another one or enter a new address.",
  address_unchanged: "That is already where this order goes. Choose another address or enter a new one to change it.",
  address_changed_meanwhile: "Where this order goes has changed since this page was opened. Reload the page to see where it goes now, then choose again.",
} as const;

/** The order's address as the page showed it (lib/addresses/addresses.ts addressVersion). */
const shown = z.object({ shownAddress: z.string().max(64).optional() });
/** One of the saved addresses (an id that is not one finds nothing), or a new one typed in the form. */
const savedAddress = shown.extend({ savedAddressId: z.string().transform((id) => id.slice(0, 40)) });
const newAddress = z.intersection(shown, addressInputSchema.transform((address) => ({ address })));

export const changeDeliveryAddressAction = boundFormAction(
  {
    name: "change-delivery-address",
    who: "customer",
    signIn: ({ id }) => `/orders/${id}/delivery-address`,
    trail: { type: "delivery_address_change", step: "address" },
    input: (formData) => {
      const saved = formData.get("savedAddressId");
      return typeof saved === "string" && saved !== "new" ? savedAddress : newAddress;
    },
  },
  async ({ input, principal, trail, id: orderNumber }) => {
    const { shownAddress, ...to } = input;
    const outcome = await changeDeliveryAddress(db(), { userId: principal.userId, orderNumber, to, shownAddress, journeyId: trail.journeyId, actor: trail.actor });
    if (!outcome.ok) return { status: "error", message: MESSAGES[outcome.code] };
    redirect(`/orders/${orderNumber}?updated=address`);
  },
);
