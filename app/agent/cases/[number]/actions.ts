"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { agentCancelSchema, cancelForCustomer, goodwillSchema, grantGoodwill, overrideReturnForCustomer, returnOverrideSchema, returnReviewSchema, reviewReturnForCase, takeCase, waiveFeeForCase, waiveFeeSchema } from "@/lib/cases/agent-actions";
import { closeCaseSchema, resolveCase } from "@/lib/cases/cases";
import { db } from "@/lib/db/client";
import { formValues } from "@/lib/http/form-state";
import { boundFormAction, boundSubmitAction } from "@/lib/http/action-client";
import { casePageAfter } from "@/lib/cases/labels";
import { refusalWords } from "@/lib/cases/refusals";

export const takeCaseAction = boundSubmitAction({ name: "take-case", who: "agent" }, async ({ principal: agent, id: caseNumber }) => {
  await takeCase(db(), caseNumber, agent.userId);
  revalidatePath(`/agent/cases/${caseNumber}`);
  redirect(casePageAfter(caseNumber, "taken"));
});

export const resolveCaseAction = boundFormAction({ name: "resolve-case", who: "agent", input: closeCaseSchema }, async ({ input, principal: agent, id: caseNumber }) => {
  const result = await resolveCase(db(), { number: caseNumber, agentId: agent.userId, outcome: input.outcome });
  if (!result.ok) return { status: "error", message: refusalWords(result) };
  revalidatePath(`/agent/cases/${caseNumber}`);
  // The page reloads resolved, without this form: it says what was done in its place.
  redirect(casePageAfter(caseNumber, "resolved"));
});

export const goodwillAction = boundFormAction({ name: "goodwill", who: "agent", input: goodwillSchema }, async ({ input, principal: agent, id: caseNumber, formData }) => {
  const result = await grantGoodwill(db(), { caseNumber, agentId: agent.userId, request: input });
  if (!result.ok) return { status: "error", message: refusalWords(result), values: formValues(formData) };
  revalidatePath(`/agent/cases/${caseNumber}`);
  redirect(casePageAfter(caseNumber, "goodwill", result.grantId));
});

export const cancelForCustomerAction = boundFormAction({ name: "agent-cancel", who: "agent", input: agentCancelSchema }, async ({ input, id: caseNumber }) => {
  const outcome = await cancelForCustomer(db(), { caseNumber, request: input });
  if (!outcome.ok) return { status: "error", message: refusalWords(outcome) };
  revalidatePath(`/agent/cases/${caseNumber}`);
  redirect(casePageAfter(caseNumber, "cancelled", input.orderNumber));
});

/** Sets a return refusal aside for the customer's next return of one of their orders. */
export const returnOverrideAction = boundFormAction({ name: "return-override", who: "agent", input: returnOverrideSchema }, async ({ input, principal: agent, id: caseNumber }) => {
  const result = await overrideReturnForCustomer(db(), { caseNumber, agentId: agent.userId, request: input });
  if (!result.ok) return { status: "error", message: refusalWords(result) };
  revalidatePath(`/agent/cases/${caseNumber}`);
  redirect(casePageAfter(caseNumber, "set-aside", result.overrideId));
});

/** Accepts or declines the return this case was opened to check. */
export const reviewReturnAction = boundFormAction({ name: "return-review", who: "agent", input: returnReviewSchema }, async ({ input, principal: agent, id: caseNumber, formData }) => {
  const result = await reviewReturnForCase(db(), { caseNumber, agentId: agent.userId, request: input });
  if (!result.ok) return { status: "error", message: refusalWords(result), values: formValues(formData) };
  revalidatePath(`/agent/cases/${caseNumber}`);
  // The decision resolves the case: its page reloads without its forms, and says what was decided.
  redirect(casePageAfter(caseNumber, "checked"));
});

/** Waives the fee of the return this case is about; the customer gets it back and is told. */
export const waiveFeeAction = boundFormAction({ name: "waive-return-fee", who: "agent", input: waiveFeeSchema }, async ({ input, principal: agent, id: caseNumber, formData }) => {
  const result = await waiveFeeForCase(db(), { caseNumber, agentId: agent.userId, request: input });
  if (!result.ok) return { status: "error", message: refusalWords(result), values: formValues(formData) };
  revalidatePath(`/agent/cases/${caseNumber}`);
  redirect(casePageAfter(caseNumber, "fee-waived"));
});
