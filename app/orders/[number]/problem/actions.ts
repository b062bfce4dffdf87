"use server";
import { redirect } from "next/navigation";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import type { FormState } from "@/lib/http/form-state";
import { safeAction, type BoundFormArgs } from "@/lib/http/safe-action";
import { ALREADY_REPORTED, problemResolutionSchema, resolveProblem } from "@/lib/orders/problems";
import { trailActor } from "@/lib/trail/actor";
import { journeyIdFrom } from "@/lib/trail/server";

const REFUSALS: Record<string, string> = {
  order_not_found: "We could not find this order in your account.",
  invalid_line: "One of the items is not part of this order. Go back and choose again.",
  resolution_not_allowed: "That option is not available for this problem. Choose one of the options shown.",
  too_early: "It is too early to report this parcel as not received.",
  not_delivered_yet: "This order has not been delivered yet.",
  not_shipped_yet: "This order has not shipped yet: you can still cancel it instead.",
  order_cancelled: "This order is cancelled.",
  nothing_affected: "Choose the items the problem is about.",
  already_reported: ALREADY_REPORTED,
};

export async function resolveProblemAction(orderNumber: string, _previous: FormState, formData: FormData): Promise<FormState> {
  return safeAction<BoundFormArgs>("resolve-problem", async () => {
    const principal = await requireCustomer(`/orders/${orderNumber}/problem`);
    const parsed = problemResolutionSchema.safeParse({ kind: formData.get("kind"), lineIds: formData.getAll("lineId"), resolution: formData.get("resolution") ?? undefined });
    if (!parsed.success) return { status: "error", message: parsed.error.issues[0]?.message ?? "Check your choices." };
    const outcome = await resolveProblem(db(), { userId: principal.userId, orderNumber, request: parsed.data, journeyId: journeyIdFrom(formData.get("journeyId")), actor: await trailActor(principal) });
    if (!outcome.ok) return { status: "error", message: REFUSALS[outcome.code] ?? "We could not apply this. Nothing was changed." };
    const params = new URLSearchParams({ resolved: outcome.applied });
    if (outcome.applied === "AGENT_CASE") params.set("case", outcome.caseNumber);
    if (outcome.applied === "RESHIP" && outcome.replacementOrderNumber) params.set("replacement", outcome.replacementOrderNumber);
    redirect(`/orders/${orderNumber}/problem?${params}`);
  })(orderNumber, _previous, formData);
}
