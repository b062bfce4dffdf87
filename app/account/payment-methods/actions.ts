"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { parseForm, type FormState } from "@/lib/http/form-state";
import { safeAction } from "@/lib/http/safe-action";
import { CARD_CHANGE_REFUSALS } from "@/lib/payments/messages";
import { makeDefaultCard, removeSavedCard, startCardSetup } from "@/lib/payments/payment-methods";
import { isTransientStripeError, returnUrlBase, stripeClient } from "@/lib/payments/stripe";
import { accountTrail, recordFailedStep } from "@/app/account/_lib/trail";

const UNAVAILABLE = "Saving cards is not available right now, so nothing was changed. Please try again later, or contact us.";

export const addCardAction = safeAction("payment-method-add", async (_previous: FormState, formData: FormData): Promise<FormState> => {
  const principal = await requireCustomer("/account/payment-methods");
  const trail = await accountTrail(principal, formData);
  const stripe = stripeClient();
  if (!stripe) {
    await recordFailedStep(trail, "payment_method", "hosted_page", "payments_not_configured");
    return { status: "error", message: UNAVAILABLE };
  }
  let url: string;
  try {
    ({ url } = await startCardSetup(db(), stripe, { userId: principal.userId, journeyId: trail.journeyId, returnUrlBase: returnUrlBase() }));
  } catch (error) {
    if (!isTransientStripeError(error)) throw error;
    await recordFailedStep(trail, "payment_method", "hosted_page", "stripe_unavailable");
    return { status: "error", message: "We could not open the secure card page, so nothing was changed. Please try again in a few minutes." };
  }
  redirect(url);
});

const cardChangeSchema = z.object({ cardId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "Choose one of your saved cards.") });

async function changeCard(formData: FormData, change: "remove" | "default"): Promise<FormState> {
  const principal = await requireCustomer("/account/payment-methods");
  const trail = await accountTrail(principal, formData);
  const parsed = parseForm(cardChangeSchema, formData);
  const stripe = stripeClient();
  if (!parsed.ok || !stripe) {
    await recordFailedStep(trail, "payment_method_change", "changed", parsed.ok ? "payments_not_configured" : "card_not_found");
    return parsed.ok ? { status: "error", message: UNAVAILABLE } : { status: "error", message: CARD_CHANGE_REFUSALS.not_found };
  }
  const input = { userId: principal.userId, cardId: parsed.data.cardId, journeyId: trail.journeyId };
  const result = change === "remove" ? await removeSavedCard(db(), stripe, trail.actor, input) : await makeDefaultCard(db(), stripe, trail.actor, input);
  if (!result.ok) return { status: "error", message: CARD_CHANGE_REFUSALS[result.reason] };
  redirect(`/account/payment-methods?changed=${change === "remove" ? (result.noDefaultLeft ? "removed-no-default" : "removed") : "default"}`);
}

export const removeCardAction = safeAction("payment-method-remove", async (_previous: FormState, formData: FormData) => changeCard(formData, "remove"));

export const makeDefaultCardAction = safeAction("payment-method-default", async (_previous: FormState, formData: FormData) => changeCard(formData, "default"));
