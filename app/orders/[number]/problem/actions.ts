"use server";
import { redirect } from "next/navigation";
import { db } from "@/lib/db/client";
import { boundFormAction, firstIssue } from "@/lib/http/action-client";
import { ALREADY_REPORTED, problemResolutionSchema, resolveProblem } from "@/lib/orders/problems";

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

export const resolveProblemAction = boundFormAction(
  {
    name: "resolve-problem",
    who: "customer",
    signIn: ({ id }) => `/orders/${id}/problem`,
    trail: { type: "problem_report", step: "problem" },
    input: problemResolutionSchema,
    read: ({ formData }) => ({ kind: formData.get("kind"), lineIds: formData.getAll("lineId"), resolution: formData.get("resolution") ?? undefined }),
    invalid: firstIssue("Check your choices."),
  },
  async ({ input, principal, trail, id: orderNumber }) => {
    const outcome = await resolveProblem(db(), { userId: principal.userId, orderNumber, request: input, journeyId: trail.journeyId, actor: trail.actor });
    if (!outcome.ok) return { status: "error", message: REFUSALS[outcome.code] ?? "We could not apply this. Nothing was changed." };
    const params = new URLSearchParams({ resolved: outcome.applied });
    if (outcome.applied === "AGENT_CASE") params.set("case", outcome.caseNumber);
    if (outcome.applied === "RESHIP" && outcome.replacementOrderNumber) params.set("replacement", outcome.replacementOrderNumber);
    redirect(`/orders/${orderNumber}/problem?${params}`);
  },
);
