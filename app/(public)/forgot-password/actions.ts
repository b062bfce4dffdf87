"use server";
import { headers } from "next/headers";
import { requestPasswordReset } from "@/lib/accounts/accounts";
import { forgotPasswordSchema } from "@/lib/accounts/schemas";
import { db } from "@/lib/db/client";
import { parseForm, type FormState } from "@/lib/http/form-state";
import { safeAction } from "@/lib/http/safe-action";
import { trailActor } from "@/lib/trail/actor";
import { journeyIdFrom, recordStep } from "@/lib/trail/server";

// The same answer whether or not the email has an account, so the form cannot be used to find out.
const SENT = "If an account exists for that email, we have sent a link to reset the password. It works for one hour.";

export const forgotPasswordAction = safeAction("forgot-password", async (_previous: FormState, formData: FormData): Promise<FormState> => {
  const parsed = parseForm(forgotPasswordSchema, formData);
  if (!parsed.ok) return parsed.state;
  const origin = process.env.NEXTAUTH_URL ?? `http://${(await headers()).get("host")}`;
  await requestPasswordReset(db(), parsed.data.email, origin.replace(/\/$/, ""));
  const actor = await trailActor(null);
  await db().$transaction((tx) => recordStep(tx, actor, { journeyId: journeyIdFrom(formData.get("journeyId")), type: "password_reset", step: "request", action: "completed" }));
  return { status: "ok", message: SENT };
});
