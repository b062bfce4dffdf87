"use server";
import { redirect } from "next/navigation";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import type { FormState } from "@/lib/http/form-state";
import { safeAction, type BoundFormArgs } from "@/lib/http/safe-action";
import { CANCEL_PROBLEM_MESSAGE, cancelReturn } from "@/lib/returns/returns";
import { trailActor } from "@/lib/trail/actor";
import { journeyIdFrom } from "@/lib/trail/server";

export async function cancelReturnAction(returnNumber: string, _previous: FormState, formData: FormData): Promise<FormState> {
  return safeAction<BoundFormArgs>("cancel-return", async () => {
    const principal = await requireCustomer(`/returns/${returnNumber}/cancel`);
    const outcome = await cancelReturn(db(), { userId: principal.userId, returnNumber, journeyId: journeyIdFrom(formData.get("journeyId")), actor: await trailActor(principal) });
    if (!outcome.ok) return { status: "error", message: CANCEL_PROBLEM_MESSAGE[outcome.code] };
    redirect(`/returns/${returnNumber}?cancelled=1`);
  })(returnNumber, _previous, formData);
}
