"use server";
import { redirect } from "next/navigation";
import { db } from "@/lib/db/client";
import { boundFormAction, firstIssue } from "@/lib/http/action-client";
import { cancelOrderLines, cancellationSchema } from "@/lib/orders/cancellation";

const MESSAGES = {
  order_not_found: "We could not find this order in your account.",
  order_already_shipped: "This order has already shipped, so it can no longer be cancelled. You can return it once it arrives.",
  order_already_cancelled: "This order is already cancelled.",
  invalid_line: "One of the items is not part of this order. Reload the page and try again.",
  quantity_too_high: "You chose more of an item than is left to cancel.",
} as const;

export const cancelOrderAction = boundFormAction(
  {
    name: "cancel-order",
    who: "customer",
    signIn: ({ id }) => `/orders/${id}/cancel`,
    trail: { type: "order_cancellation", step: "lines" },
    input: cancellationSchema,
    read: ({ formData }) => ({ lines: formData.getAll("lineId").map((lineId, i) => ({ lineId, quantity: formData.getAll("quantity")[i] })) }),
    invalid: firstIssue("Check the quantities.", true),
  },
  async ({ input, principal, trail, id: orderNumber }) => {
    const outcome = await cancelOrderLines(db(), { userId: principal.userId, orderNumber, request: input, journeyId: trail.journeyId, actor: trail.actor });
    if (!outcome.ok) return { status: "error", message: MESSAGES[outcome.code] };
    const units = input.lines.reduce((sum, line) => sum + line.quantity, 0);
    redirect(`/orders/${orderNumber}?cancelled=${outcome.fullyCancelled ? "all" : units === 1 ? "one" : "some"}`);
  },
);
