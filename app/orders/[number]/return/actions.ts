"use server";
import { redirect } from "next/navigation";
import { db } from "@/lib/db/client";
import { boundFormAction, firstIssue } from "@/lib/http/action-client";
import { kickOutbox } from "@/lib/jobs/kick";
import { bookLabelNow } from "@/lib/returns/labels";
import { QUOTE_PROBLEM_MESSAGE } from "@/lib/returns/policy";
import { returnSubmissionSchema, submitReturn, type SubmitProblemCode } from "@/lib/returns/returns";

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

export const submitReturnAction = boundFormAction(
  {
    name: "submit-return",
    who: "customer",
    signIn: ({ id }) => `/orders/${id}/return`,
    input: returnSubmissionSchema,
    read: ({ id, formData }) => ({
      orderNumber: id,
      idempotencyKey: formData.get("idempotencyKey"),
      resolution: formData.get("resolution"),
      method: formData.get("method"),
      lines: parseLines(formData.get("lines")),
    }),
    invalid: firstIssue("Please check your choices and try again."),
    trail: { type: "return", step: "method", invalidInput: "invalid_request" },
  },
  async ({ input, principal, trail }) => {
    const outcome = await submitReturn(db(), { userId: principal.userId, request: input, journeyId: trail.journeyId, actor: trail.actor });
    if (!outcome.ok) return { status: "error", message: MESSAGES[outcome.code] };
    // One quick try at the carrier, so the next page usually shows the label; the outbox retries otherwise.
    if (!outcome.replayed && outcome.status === "APPROVED") await bookLabelNow(db(), outcome.returnId);
    kickOutbox();
    redirect(`/returns/${outcome.returnNumber}?submitted=1`);
  },
);
