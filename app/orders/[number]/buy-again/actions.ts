"use server";
import { contactCharges } from "@/lib/cases/cases";
import { db } from "@/lib/db/client";
import { refuseOverBudget } from "@/lib/http/action-budget";
import { boundFormAction } from "@/lib/http/action-client";
import { askToBuyAgain } from "@/lib/orders/buy-again";

export const askToBuyAgainAction = boundFormAction(
  { name: "buy-again", who: "customer", signIn: ({ id }) => `/orders/${id}/buy-again` },
  async ({ principal, formData, id: orderNumber }) => {
    const refused = await refuseOverBudget(contactCharges(principal.userId), formData);
    if (refused) return refused;
    const outcome = await askToBuyAgain(db(), principal.userId, orderNumber);
    if (!outcome.ok) return { status: "error", message: "Only a delivered order of yours can be ordered again." };
    return {
      status: "ok",
      message: `${outcome.joined ? `Your request ${outcome.caseNumber} is already with us` : `We have your request (${outcome.caseNumber})`}. A person will contact you within one working day to confirm today's prices and delivery; nothing is charged until you agree.`,
    };
  },
);
