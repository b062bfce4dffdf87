"use server";
import { redirect } from "next/navigation";
import { resetPassword } from "@/lib/accounts/accounts";
import { resetPasswordSchema } from "@/lib/accounts/schemas";
import { db } from "@/lib/db/client";
import { parseForm, type FormState } from "@/lib/http/form-state";
import { forgetUrlSecret, urlSecret } from "@/lib/http/url-secret";
import { safeAction } from "@/lib/http/safe-action";
import { trailActor } from "@/lib/trail/actor";
import { journeyIdFrom, recordStep } from "@/lib/trail/server";

export const resetPasswordAction = safeAction("reset-password", async (_previous: FormState, formData: FormData): Promise<FormState> => {
  // The token never travels in the page: it is the cookie the emailed link left.
  formData.set("token", (await urlSecret("password-reset")) ?? "");
  const parsed = parseForm(resetPasswordSchema, formData);
  if (!parsed.ok) return parsed.state;
  const result = await resetPassword(db(), parsed.data.token, parsed.data.password);
  const actor = await trailActor(null);
  const journeyId = journeyIdFrom(formData.get("journeyId"));
  await db().$transaction((tx) =>
    recordStep(tx, actor, { journeyId, type: "password_reset", step: "new_password", ...(result.ok ? { action: "completed" } : { action: "failed", errorCode: "reset_link_invalid" }) }),
  );
  if (!result.ok) return { status: "error", message: "This reset link has expired or was already used. Ask for a new one." };
  await forgetUrlSecret("password-reset", "/reset-password");
  redirect("/signin?reset=1");
});
