"use server";
import { redirect } from "next/navigation";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { formValues, type FormState } from "@/lib/http/form-state";
import { safeAction, type BoundFormArgs } from "@/lib/http/safe-action";
import { cancelOrderLines, cancellationSchema } from "@/lib/orders/cancellation";
import { trailActor } from "@/lib/trail/actor";
import { journeyIdFrom } from "@/lib/trail/server";

const MESSAGES = {
  order_not_found: "We could not find this order in your account.",
  order_already_shipped: "This order has already shipped, so it can no longer be cancelled. You can return it once it arrives.",
  order_already_cancelled: "This order is already cancelled.",
  invalid_line: "One of the items is not part of this order. Reload the page and try again.",
  quantity_too_high: "You chose more of an item than is left to cancel.",
} as const;

export async function cancelOrderAction(orderNumber: string, _previous: FormState, formData: FormData): Promise<FormState> {
  return safeAction<BoundFormArgs>("cancel-order", async () => {
    const principal = await requireCustomer(`/orders/${orderNumber}/cancel`);
    const lines = formData.getAll("lineId").map((lineId, i) => ({ lineId, quantity: formData.getAll("quantity")[i] }));
    const parsed = cancellationSchema.safeParse({ lines });
    if (!parsed.success) return { status: "error", message: parsed.error.issues[0]?.message ?? "Check the quantities.", values: formValues(formData) };
    const outcome = await cancelOrderLines(db(), {
      userId: principal.userId,
      orderNumber,
      request: parsed.data,
      journeyId: journeyIdFrom(formData.get("journeyId")),
      actor: await trailActor(principal),
    });
    if (!outcome.ok) return { status: "error", message: MESSAGES[outcome.code] };
    redirect(`/orders/${orderNumber}?cancelled=${outcome.fullyCancelled ? "all" : "some"}`);
  })(orderNumber, _previous, formData);
}
