"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { agentCancelSchema, cancelForCustomer, goodwillSchema, grantGoodwill, overrideReturnForCustomer, returnOverrideSchema, returnReviewSchema, reviewReturnForCase, takeCase, waiveFeeForCase, waiveFeeSchema } from "@/lib/cases/agent-actions";
import { closeCaseSchema, resolveCase } from "@/lib/cases/cases";
import { db } from "@/lib/db/client";
import { formatMoney } from "@/lib/format/money";
import { formValues } from "@/lib/http/form-state";
import { boundFormAction, boundSubmitAction } from "@/lib/http/action-client";
import { casePageAfter } from "@/lib/cases/labels";

const NOT_THEIRS = "That order does not belong to this customer.";
// Said to a tab left open on a case someone has since resolved: it did nothing, and says what will.
const CASE_CLOSED = "This case is closed, so nothing was done. Reload it to see its outcome; to do more for the customer, log their contact to open a new case.";
const reasonOf = (code: string) => code.replaceAll("_", " ");

export const takeCaseAction = boundSubmitAction({ name: "take-case", who: "agent" }, async ({ principal: agent, id: caseNumber }) => {
  await takeCase(db(), caseNumber, agent.userId);
  revalidatePath(`/agent/cases/${caseNumber}`);
  redirect(casePageAfter(caseNumber, "taken"));
});

export const resolveCaseAction = boundFormAction({ name: "resolve-case", who: "agent", input: closeCaseSchema }, async ({ input, principal: agent, id: caseNumber }) => {
  const result = await resolveCase(db(), { number: caseNumber, agentId: agent.userId, outcome: input.outcome });
  if (!result.ok) return { status: "error", message: result.code === "case_already_closed" ? "This case is already closed." : "Case not found." };
  revalidatePath(`/agent/cases/${caseNumber}`);
  // The page reloads resolved, without this form: it says what was done in its place.
  redirect(casePageAfter(caseNumber, "resolved"));
});

function goodwillRefusalMessage(refusal: Exclude<Awaited<ReturnType<typeof grantGoodwill>>, { ok: true }>): string {
  switch (refusal.code) {
    case "refund_exceeds_payment":
      return "That is more than is left to refund on this order.";
    case "order_cancelled":
      return `Order ${refusal.orderNumber} was cancelled in full, so there is nothing to grant against it. Nothing was granted.`;
    case "credit_exceeds_order":
      return `Store credit for this order can be at most ${formatMoney(refusal.creditableMinor, refusal.currency)}: its total once cancelled items are taken off, less the goodwill credit already given for it. More needs a manager.`;
    case "case_closed":
      return CASE_CLOSED;
    default:
      return NOT_THEIRS;
  }
}

export const goodwillAction = boundFormAction({ name: "goodwill", who: "agent", input: goodwillSchema }, async ({ input, principal: agent, id: caseNumber, formData }) => {
  const result = await grantGoodwill(db(), { caseNumber, agentId: agent.userId, request: input });
  if (!result.ok) return { status: "error", message: goodwillRefusalMessage(result), values: formValues(formData) };
  revalidatePath(`/agent/cases/${caseNumber}`);
  return { status: "ok", message: `${input.kind === "REFUND" ? "Refund" : "Store credit"} of ${formatMoney(result.amountMinor, result.currency)} granted and recorded as an override.` };
});

export const cancelForCustomerAction = boundFormAction({ name: "agent-cancel", who: "agent", input: agentCancelSchema }, async ({ input, id: caseNumber }) => {
  const outcome = await cancelForCustomer(db(), { caseNumber, request: input });
  if (!outcome.ok) {
    if (outcome.code === "order_not_found") return { status: "error", message: NOT_THEIRS };
    if (outcome.code === "case_closed") return { status: "error", message: CASE_CLOSED };
    return { status: "error", message: outcome.code === "order_already_shipped" ? "This order has shipped and can no longer be cancelled; offer a return instead." : `The order could not be cancelled (${reasonOf(outcome.code)}).` };
  }
  revalidatePath(`/agent/cases/${caseNumber}`);
  redirect(casePageAfter(caseNumber, "cancelled", input.orderNumber));
});

/** Sets a return refusal aside for the customer's next return of one of their orders. */
export const returnOverrideAction = boundFormAction({ name: "return-override", who: "agent", input: returnOverrideSchema }, async ({ input, principal: agent, id: caseNumber }) => {
  const result = await overrideReturnForCustomer(db(), { caseNumber, agentId: agent.userId, request: input });
  if (!result.ok) return { status: "error", message: result.code === "order_not_found" ? NOT_THEIRS : result.code === "case_closed" ? CASE_CLOSED : `The rule could not be set aside (${reasonOf(result.code)}).` };
  revalidatePath(`/agent/cases/${caseNumber}`);
  redirect(casePageAfter(caseNumber, "set-aside", result.overrideId));
});

/** Accepts or declines the return this case was opened to check. */
export const reviewReturnAction = boundFormAction({ name: "return-review", who: "agent", input: returnReviewSchema }, async ({ input, principal: agent, id: caseNumber, formData }) => {
  const result = await reviewReturnForCase(db(), { caseNumber, agentId: agent.userId, request: input });
  if (!result.ok) return { status: "error", message: result.code === "not_held_for_review" ? "This return has already been decided." : "This case has no return to check.", values: formValues(formData) };
  revalidatePath(`/agent/cases/${caseNumber}`);
  // The decision resolves the case: its page reloads without its forms, and says what was decided.
  redirect(casePageAfter(caseNumber, "checked"));
});

const WAIVE_REFUSED: Partial<Record<Exclude<Awaited<ReturnType<typeof waiveFeeForCase>>, { ok: true }>["code"], string>> = {
  case_closed: CASE_CLOSED,
  no_fee: "This return has no fee left to waive.",
  return_closed: "This return is closed (declined, cancelled or exchanged), so it has no fee to waive.",
};

/** Waives the fee of the return this case is about; the customer gets it back and is told. */
export const waiveFeeAction = boundFormAction({ name: "waive-return-fee", who: "agent", input: waiveFeeSchema }, async ({ input, principal: agent, id: caseNumber, formData }) => {
  const result = await waiveFeeForCase(db(), { caseNumber, agentId: agent.userId, request: input });
  if (!result.ok) return { status: "error", message: WAIVE_REFUSED[result.code] ?? "This case is about no return with a fee.", values: formValues(formData) };
  revalidatePath(`/agent/cases/${caseNumber}`);
  redirect(casePageAfter(caseNumber, "fee-waived"));
});
