"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { publicUrl } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { formAction, type ActionContext } from "@/lib/http/action-client";
import type { FormState } from "@/lib/http/form-state";
import { CARD_CHANGE_REFUSALS } from "@/lib/payments/messages";
import { makeDefaultCard, removeSavedCard, startCardSetup } from "@/lib/payments/payment-methods";
import { isTransientStripeError, stripeClient } from "@/lib/payments/stripe";

const UNAVAILABLE = "Saving cards is not available right now, so nothing was changed. Please try again later, or contact us.";
const SIGN_IN = "/account/payment-methods";

export const addCardAction = formAction({ name: "payment-method-add", who: "customer", signIn: SIGN_IN, trail: { type: "payment_method", step: "hosted_page", refusedAt: "list" } }, async ({ principal, trail }) => {
  const stripe = stripeClient();
  if (!stripe) {
    await trail.failed("payments_not_configured");
    return { status: "error", message: UNAVAILABLE };
  }
  let url: string;
  try {
    ({ url } = await startCardSetup(db(), stripe, { userId: principal.userId, journeyId: trail.journeyId, returnUrlBase: publicUrl() }));
  } catch (error) {
    if (!isTransientStripeError(error)) throw error;
    await trail.failed("stripe_unavailable");
    return { status: "error", message: "We could not open the secure card page, so nothing was changed. Please try again in a few minutes." };
  }
  return { status: "ok", message: "Opening the secure card page…", leaveFor: url };
});

const cardChangeSchema = z.object({ cardId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "Choose one of your saved cards.") });

function cardChange(name: string, change: "remove" | "default") {
  return formAction(
    {
      name,
      who: "customer",
      signIn: SIGN_IN,
      input: cardChangeSchema,
      invalid: (): FormState => ({ status: "error", message: CARD_CHANGE_REFUSALS.not_found }),
      trail: { type: "payment_method_change", step: "changed", refusedAt: "detail", invalidInput: "card_not_found" },
    },
    async ({ input, principal, trail }: ActionContext<"customer", z.output<typeof cardChangeSchema>>): Promise<FormState> => {
      const stripe = stripeClient();
      if (!stripe) {
        await trail.failed("payments_not_configured");
        return { status: "error", message: UNAVAILABLE };
      }
      const request = { userId: principal.userId, cardId: input.cardId, journeyId: trail.journeyId };
      const result = change === "remove" ? await removeSavedCard(db(), stripe, trail.actor, request) : await makeDefaultCard(db(), stripe, trail.actor, request);
      if (!result.ok) return { status: "error", message: CARD_CHANGE_REFUSALS[result.reason] };
      redirect(`/account/payment-methods?changed=${change === "remove" ? (result.noDefaultLeft ? "removed-no-default" : "removed") : "default"}`);
    },
  );
}

export const removeCardAction = cardChange("payment-method-remove", "remove");

export const makeDefaultCardAction = cardChange("payment-method-default", "default");
