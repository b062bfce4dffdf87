"use server";
import { registerCustomer } from "@/lib/accounts/accounts";
import { signUpSchema } from "@/lib/accounts/schemas";
import { db } from "@/lib/db/client";
import { formValues, parseForm, type FormState } from "@/lib/http/form-state";
import { refuseOverBudget } from "@/lib/http/action-budget";
import { safeAction } from "@/lib/http/safe-action";
import { trailActor } from "@/lib/trail/actor";
import { journeyIdFrom, recordStep } from "@/lib/trail/server";

export const signUpAction = safeAction("signup", async (_previous: FormState, formData: FormData): Promise<FormState> => {
  const actor = await trailActor(null);
  const journeyId = journeyIdFrom(formData.get("journeyId"));
  const parsed = parseForm(signUpSchema, formData);
  if (!parsed.ok) {
    await db().$transaction((tx) => recordStep(tx, actor, { journeyId, type: "signup", step: "details", action: "failed", errorCode: "validation_error" }));
    return parsed.state;
  }
  const refused = await refuseOverBudget((client) => [["signup:client", client]], formData, "call us on +44 1234 567890");
  if (refused) {
    await db().$transaction((tx) => recordStep(tx, actor, { journeyId, type: "signup", step: "details", action: "failed", errorCode: "too_many_attempts" }));
    return refused;
  }
  const result = await registerCustomer(db(), parsed.data, { actor, journeyId });
  if (!result.ok) {
    return {
      status: "error",
      message: "An account with this email already exists. Sign in, or reset your password if you forgot it.",
      fieldErrors: { email: "This email already has an account." },
      values: formValues(formData),
    };
  }
  return { status: "ok", message: "Your account is ready. Signing you in…" };
});
