"use server";
import crypto from "node:crypto";
import { redirect } from "next/navigation";
import { z } from "zod";
import { publicUrl } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { formAction } from "@/lib/http/action-client";
import type { FormState } from "@/lib/http/form-state";
import { payBalance } from "@/lib/payments/balance";
import { BALANCE_REFUSALS } from "@/lib/payments/messages";
import { stripeClient } from "@/lib/payments/stripe";

const ORDER_NUMBER = /^WM-\d{6}$/;

const payBalanceSchema = z.discriminatedUnion("method", [
  z.object({ orderNumber: z.string().regex(ORDER_NUMBER), attemptId: z.uuid(), method: z.literal("hosted") }),
  z.object({ orderNumber: z.string().regex(ORDER_NUMBER), attemptId: z.uuid(), method: z.literal("saved"), cardId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "Choose one of your saved cards.") }),
]);

/** A refused attempt used up its id: the form gets a new one, so trying again is a new attempt. */
function refused(message: string): FormState {
  return { status: "error", message, values: { attemptId: crypto.randomUUID() } };
}

export const payBalanceAction = formAction(
  {
    name: "balance-payment",
    who: "customer",
    signIn: ({ formData }) => {
      const orderNumber = String(formData.get("orderNumber") ?? "");
      return ORDER_NUMBER.test(orderNumber) ? `/orders/${orderNumber}/pay` : "/";
    },
    input: payBalanceSchema,
    invalid: () => refused("We could not tell how you want to pay. Nothing was charged; please choose again."),
    trail: { type: "balance_payment", step: "detail" },
  },
  async ({ input, principal, trail }) => {
    const stripe = stripeClient();
    if (!stripe) {
      await trail.failed("payments_not_configured");
      return refused("Card payments are not available right now, so nothing was charged. Please try again later, or contact us.");
    }
    const outcome = await payBalance(db(), stripe, trail.actor, {
      userId: principal.userId,
      orderNumber: input.orderNumber,
      attemptId: input.attemptId,
      journeyId: trail.journeyId,
      method: input.method === "saved" ? { kind: "saved", cardId: input.cardId } : { kind: "hosted" },
      returnUrlBase: publicUrl(),
    });
    if (outcome.kind === "refused") return refused(BALANCE_REFUSALS[outcome.reason]);
    if (outcome.kind === "redirect") return { status: "ok", message: "Opening the secure payment page…", leaveFor: outcome.url };
    redirect(`/orders/${input.orderNumber}/pay/${outcome.paymentId}`);
  },
);
