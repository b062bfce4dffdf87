"use server";
import { registerCustomer } from "@/lib/accounts/accounts";
import { signUpSchema } from "@/lib/accounts/schemas";
import { db } from "@/lib/db/client";
import { refuseOverBudget } from "@/lib/http/action-budget";
import { formAction } from "@/lib/http/action-client";
import { formValues } from "@/lib/http/form-state";

export const signUpAction = formAction(
  { name: "signup", who: "public", input: signUpSchema, trail: { type: "signup", step: "details" } },
  async ({ input, trail, formData }) => {
    const refused = await refuseOverBudget((client) => [["signup:client", client]], formData, "call us on +44 1234 567890");
    if (refused) {
      await trail.failed("too_many_attempts");
      return refused;
    }
    const result = await registerCustomer(db(), input, trail);
    if (!result.ok) {
      return {
        status: "error",
        message: "An account with this email already exists. Sign in, or reset your password if you forgot it.",
        fieldErrors: { email: "This email already has an account." },
        values: formValues(formData),
      };
    }
    return { status: "ok", message: "Your account is ready. Signing you in…" };
  },
);
