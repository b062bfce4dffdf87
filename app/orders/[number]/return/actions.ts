"use server";
import { redirect } from "next/navigation";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import type { FormState } from "@/lib/http/form-state";
import { safeAction, type BoundFormArgs } from "@/lib/http/safe-action";
import { kickOutbox } from "@/lib/jobs/runner";
import { bookLabelNow } from "@/lib/returns/labels";
import { QUOTE_PROBLEM_MESSAGE } from "@/lib/returns/policy";
import { returnSubmissionSchema, submitReturn, type SubmitProblemCode } from "@/lib/returns/returns";
import { trailActor } from "@/lib/trail/actor";
import { journeyIdFrom, recordStep } from "@/lib/trail/server";

const MESSAGES: Record<SubmitProblemCode, string> = {
  ...QUOTE_PROBLEM_MESSAGE,
  order_not_found: "We could not find this order in your account.",
  photo_missing: "One of the photos did not reach us. Remove it and add it again.",
};

function parseLines(raw: FormDataEntryValue | null): unknown {
  try {
    return JSON.parse(String(raw ?? ""));
  } catch {
    return null;
  }
}

export async function submitReturnAction(orderNumber: string, _previous: FormState, formData: FormData): Promise<FormState> {
  return safeAction<BoundFormArgs>("submit-return", async () => {
    const principal = await requireCustomer(`/orders/${orderNumber}/return`);
    const journeyId = journeyIdFrom(formData.get("journeyId"));
    const actor = await trailActor(principal);
    const parsed = returnSubmissionSchema.safeParse({
      orderNumber,
      idempotencyKey: formData.get("idempotencyKey"),
      resolution: formData.get("resolution"),
      method: formData.get("method"),
      lines: parseLines(formData.get("lines")),
    });
    if (!parsed.success) {
      await db().$transaction((tx) => recordStep(tx, actor, { journeyId, type: "return", step: "method", action: "failed", errorCode: "invalid_request" }));
      return { status: "error", message: parsed.error.issues[0]?.message ?? "Please check your choices and try again." };
    }
    const outcome = await submitReturn(db(), { userId: principal.userId, request: parsed.data, journeyId, actor });
    if (!outcome.ok) return { status: "error", message: MESSAGES[outcome.code] };
    // One quick try at the carrier, so the next page usually shows the label; the outbox retries otherwise.
    if (!outcome.replayed && outcome.status === "APPROVED") await bookLabelNow(db(), outcome.returnId);
    kickOutbox();
    redirect(`/returns/${outcome.returnNumber}?submitted=1`);
  })(orderNumber, _previous, formData);
}
