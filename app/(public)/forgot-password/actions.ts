"use server";
import { headers } from "next/headers";
import { requestPasswordReset } from "@/lib/accounts/accounts";
import { forgotPasswordSchema } from "@/lib/accounts/schemas";
import { publicUrl } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { tooManyAttemptsMessage } from "@/lib/auth/too-many-attempts";
import { formAction } from "@/lib/http/action-client";
import { clientAddress } from "@/lib/http/client-address";
import { formValues } from "@/lib/http/form-state";
import { kickOutbox } from "@/lib/jobs/kick";
import { attemptForLink } from "@/lib/trail/linked-attempt";

// The same answer whether or not the email has an account, so the form cannot be used to find out.
const SENT = "If an account exists for that email, we have sent a link to reset the password. It works for one hour.";

export const forgotPasswordAction = formAction(
  { name: "forgot-password", who: "public", input: forgotPasswordSchema, trail: { type: "password_reset", step: "request" } },
  async ({ input, trail, formData }) => {
    const requestHeaders = await headers();
    const requested = await requestPasswordReset(db(), input.email, publicUrl(), clientAddress(requestHeaders), await attemptForLink(db(), trail.actor, trail.journeyId));
    if (!requested.ok) {
      await trail.failed("too_many_attempts");
      return { status: "error", message: tooManyAttemptsMessage(requested.retryAfterSeconds, "contact us if you cannot wait"), values: formValues(formData) };
    }
    kickOutbox();
    await db().$transaction((tx) => trail.step(tx));
    return { status: "ok", message: SENT };
  },
);
