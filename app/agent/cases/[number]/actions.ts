"use server";
import { revalidatePath } from "next/cache";
import { requireStaff } from "@/lib/auth/principal";
import { actorForCustomer, goodwillSchema, grantGoodwill, takeCase } from "@/lib/cases/agent-actions";
import { closeCaseSchema, resolveCase } from "@/lib/cases/cases";
import { db } from "@/lib/db/client";
import { formatMoney } from "@/lib/format/money";
import { formValues, parseForm, type FormState } from "@/lib/http/form-state";
import { isStorableText } from "@/lib/http/input";
import { safeAction, type BoundFormArgs } from "@/lib/http/safe-action";
import { cancelOrderLines } from "@/lib/orders/cancellation";
import { overrideForNextReturn, overrideLabel, overrideSchema, OVERRIDE_LABEL } from "@/lib/returns/overrides";
import { journeyIdFrom } from "@/lib/trail/server";
import { z } from "zod";

export async function takeCaseAction(caseNumber: string): Promise<void> {
  // Called with anything at all, it does nothing: only a case number can name a case.
  if (typeof caseNumber !== "string" || !isStorableText(caseNumber)) return;
  const agent = await requireStaff("AGENT");
  await takeCase(db(), caseNumber, agent.userId);
  revalidatePath(`/agent/cases/${caseNumber}`);
}

export async function resolveCaseAction(caseNumber: string, _previous: FormState, formData: FormData): Promise<FormState> {
  return safeAction<BoundFormArgs>("resolve-case", async () => {
    const agent = await requireStaff("AGENT");
    const parsed = parseForm(closeCaseSchema, formData);
    if (!parsed.ok) return parsed.state;
    const result = await resolveCase(db(), { number: caseNumber, agentId: agent.userId, outcome: parsed.data.outcome });
    if (!result.ok) return { status: "error", message: result.code === "case_already_closed" ? "This case is already closed." : "Case not found." };
    revalidatePath(`/agent/cases/${caseNumber}`);
    return { status: "ok", message: "Case resolved. The customer has been told by their preferred channel." };
  })(caseNumber, _previous, formData);
}

export async function goodwillAction(caseNumber: string, _previous: FormState, formData: FormData): Promise<FormState> {
  return safeAction<BoundFormArgs>("goodwill", async () => {
    const agent = await requireStaff("AGENT");
    const parsed = parseForm(goodwillSchema, formData);
    if (!parsed.ok) return parsed.state;
    const result = await grantGoodwill(db(), { caseNumber, agentId: agent.userId, request: parsed.data });
    if (!result.ok) {
      if (result.code === "refund_exceeds_payment") return { status: "error", message: `That is more than is left to refund on this order.` };
      return { status: "error", message: "That order does not belong to this customer." };
    }
    revalidatePath(`/agent/cases/${caseNumber}`);
    return { status: "ok", message: `${parsed.data.kind === "REFUND" ? "Refund" : "Store credit"} of ${formatMoney(result.amountMinor, result.currency)} granted and recorded as an override.` };
  })(caseNumber, _previous, formData);
}

export async function cancelForCustomerAction(caseNumber: string, _previous: FormState, formData: FormData): Promise<FormState> {
  return safeAction<BoundFormArgs>("agent-cancel", async () => {
    await requireStaff("AGENT");
    const found = await db().case.findUnique({ where: { number: caseNumber }, select: { userId: true, journeyId: true } });
    const orderNumber = String(formData.get("orderNumber") ?? "");
    if (!found?.userId) return { status: "error", message: "Case not found." };
    const order = await db().order.findFirst({ where: { number: orderNumber, userId: found.userId }, include: { lines: true } });
    const actor = await actorForCustomer(db(), found.userId);
    if (!order || !actor) return { status: "error", message: "That order does not belong to this customer." };
    const outcome = await cancelOrderLines(db(), {
      userId: found.userId,
      orderNumber,
      request: { lines: order.lines.map((l) => ({ lineId: l.id, quantity: l.quantity - l.cancelledQuantity - l.returnedQuantity })).filter((l) => l.quantity > 0) },
      journeyId: journeyIdFrom(null),
      actor,
    });
    if (!outcome.ok) return { status: "error", message: outcome.code === "order_already_shipped" ? "This order has shipped and can no longer be cancelled; offer a return instead." : `The order could not be cancelled (${outcome.code.replaceAll("_", " ")}).` };
    revalidatePath(`/agent/cases/${caseNumber}`);
    return { status: "ok", message: `Order ${orderNumber} cancelled${outcome.refundMinor ? `; ${formatMoney(outcome.refundMinor, order.currency)} is being refunded` : ""}.` };
  })(caseNumber, _previous, formData);
}

const returnOverrideSchema = z.object({
  orderNumber: z.string().regex(/^WM-\d{6}$/, "Choose one of the customer's orders."),
  rule: z.enum(Object.keys(OVERRIDE_LABEL) as [string, ...string[]], { message: "Choose the rule to set aside." }),
  justification: z.string(),
});

/** Sets a return refusal aside for the customer's next return of one of their orders. */
export async function returnOverrideAction(caseNumber: string, _previous: FormState, formData: FormData): Promise<FormState> {
  return safeAction<BoundFormArgs>("return-override", async () => {
    const agent = await requireStaff("AGENT");
    const parsed = parseForm(returnOverrideSchema, formData);
    if (!parsed.ok) return parsed.state;
    const found = await db().case.findUnique({ where: { number: caseNumber }, select: { userId: true, journeyId: true } });
    const order = found?.userId ? await db().order.findFirst({ where: { number: parsed.data.orderNumber, userId: found.userId }, select: { number: true } }) : null;
    if (!found || !order) return { status: "error", message: "That order does not belong to this customer." };
    const justification = overrideSchema.shape.justification.safeParse(parsed.data.justification);
    if (!justification.success) return { status: "error", fieldErrors: { justification: justification.error.issues[0]?.message ?? "Explain why." }, values: formValues(formData) };
    const result = await overrideForNextReturn(db(), { agentId: agent.userId, orderNumber: order.number, rule: parsed.data.rule, justification: justification.data, journeyId: found.journeyId });
    if (!result.ok) return { status: "error", message: `The rule could not be set aside (${result.code.replaceAll("_", " ")}).` };
    revalidatePath(`/agent/cases/${caseNumber}`);
    return { status: "ok", message: `${overrideLabel(parsed.data.rule)} for the next return of ${order.number}; the customer can now return it in the portal.` };
  })(caseNumber, _previous, formData);
}
