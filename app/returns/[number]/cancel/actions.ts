"use server";
import { redirect } from "next/navigation";
import { db } from "@/lib/db/client";
import { boundFormAction } from "@/lib/http/action-client";
import { kickOutbox } from "@/lib/jobs/kick";
import { CANCEL_PROBLEM_MESSAGE, cancelReturn } from "@/lib/returns/returns";

export const cancelReturnAction = boundFormAction({ name: "cancel-return", who: "customer", signIn: ({ id }) => `/returns/${id}/cancel`, trail: { type: "return_cancellation", step: "detail" } }, async ({ principal, trail, id: returnNumber }) => {
  const outcome = await cancelReturn(db(), { userId: principal.userId, returnNumber, journeyId: trail.journeyId, actor: trail.actor });
  if (!outcome.ok) return { status: "error", message: CANCEL_PROBLEM_MESSAGE[outcome.code] };
  // The carrier hears of it (and the customer's message goes) now rather than at the next run.
  kickOutbox();
  redirect(`/returns/${returnNumber}?cancelled=1`);
});
