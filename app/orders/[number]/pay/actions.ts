"use server";
import crypto from "node:crypto";
import { redirect } from "next/navigation";
import { z } from "zod";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { parseForm, type FormState } from "@/lib/http/form-state";
import { safeAction } from "@/lib/http/safe-action";
import { payBalance } from "@/lib/payments/balance";
import { BALANCE_REFUSALS } from "@/lib/payments/messages";
import { returnUrlBase, stripeClient } from "@/lib/payments/stripe";
import { trailActor } from "@/lib/trail/actor";
import { journeyIdFrom, recordStep } from "@/lib/trail/server";

const payBalanceSchema = z.discriminatedUnion("method", [
  z.object({ orderNumber: z.string().regex(/^WM-\d{6}$/), attemptId: z.uuid(), method: z.literal("hosted") }),
  z.object({ orderNumber: z.string().regex(/^WM-\d{6}$/), attemptId: z.uuid(), method: z.literal("saved"), cardId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "Choose one of your saved cards.") }),
]);

/** A refused attempt used up its id: the form gets a new one, so trying again is a new attempt. */
function refused(message: string): FormState {
  return { status: "error", message, values: { attemptId: crypto.randomUUID() } };
}

export const payBalanceAction = safeAction("balance-payment", async (_previous: FormState, formData: FormData): Promise<FormState> => {
  const orderNumber = String(formData.get("orderNumber") ?? "");
  const principal = await requireCustomer(/^WM-\d{6}$/.test(orderNumber) ? `/orders/${orderNumber}/pay` : "/");
  const actor = await trailActor(principal);
  const journeyId = journeyIdFrom(formData.get("journeyId"));
  const parsed = parseForm(payBalanceSchema, formData);
  const stripe = stripeClient();
  if (!parsed.ok || !stripe) {
    await db().$transaction((tx) => recordStep(tx, actor, { journeyId, type: "balance_payment", step: "detail", action: "failed", errorCode: parsed.ok ? "payments_not_configured" : "validation_error" }));
    return refused(parsed.ok ? "Card payments are not available right now, so nothing was charged. Please try again later, or contact us." : "We could not tell how you want to pay. Nothing was charged; please choose again.");
  }
  const { data } = parsed;
  const outcome = await payBalance(db(), stripe, actor, {
    userId: principal.userId,
    orderNumber: data.orderNumber,
    attemptId: data.attemptId,
    journeyId,
    method: data.method === "saved" ? { kind: "saved", cardId: data.cardId } : { kind: "hosted" },
    returnUrlBase: returnUrlBase(),
  });
  if (outcome.kind === "refused") return refused(BALANCE_REFUSALS[outcome.reason]);
  redirect(outcome.kind === "redirect" ? outcome.url : `/orders/${data.orderNumber}/pay/${outcome.paymentId}`);
});
