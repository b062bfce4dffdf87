"use server";
import { headers } from "next/headers";
import { requestPasswordReset } from "@/lib/accounts/accounts";
import { forgotPasswordSchema } from "@/lib/accounts/schemas";
import { db } from "@/lib/db/client";
import { tooManyAttemptsMessage } from "@/lib/auth/too-many-attempts";
import { clientAddress } from "@/lib/http/client-address";
import { formValues, parseForm, type FormState } from "@/lib/http/form-state";
import { kickOutbox } from "@/lib/jobs/runner";
import { safeAction } from "@/lib/http/safe-action";
import { trailActor } from "@/lib/trail/actor";
import { journeyIdFrom, recordStep } from "@/lib/trail/server";

// The same answer whether or not the email has an account, so the form cannot be used to find out.
const SENT = "If an account exists for that email, we have sent a link to reset the password. It works for one hour.";

export const forgotPasswordAction = safeAction("forgot-password", async (_previous: FormState, formData: FormData): Promise<FormState> => {
  const parsed = parseForm(forgotPasswordSchema, formData);
  if (!parsed.ok) return parsed.state;
  const requestHeaders = await headers();
  const origin = process.env.NEXTAUTH_URL ?? `http://${requestHeaders.get("host")}`;
  const requested = await requestPasswordReset(db(), parsed.data.email, origin.replace(/\/$/, ""), clientAddress(requestHeaders));
  const actor = await trailActor(null);
  const journeyId = journeyIdFrom(formData.get("journeyId"));
  if (!requested.ok) {
    await db().$transaction((tx) => recordStep(tx, actor, { journeyId, type: "password_reset", step: "request", action: "failed", errorCode: "too_many_attempts" }));
    return { status: "error", message: tooManyAttemptsMessage(requested.retryAfterSeconds, "contact us if you cannot wait"), values: formValues(formData) };
  }
  kickOutbox();
  await db().$transaction((tx) => recordStep(tx, actor, { journeyId, type: "password_reset", step: "request", action: "completed" }));
  return { status: "ok", message: SENT };
});
