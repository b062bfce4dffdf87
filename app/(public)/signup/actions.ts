"use server";
import { requestSignUp } from "@/lib/accounts/signup";
import { signUpSchema } from "@/lib/accounts/schemas";
import { publicUrl } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { callUs, refuseOverBudget } from "@/lib/http/action-budget";
import { formAction } from "@/lib/http/action-client";
import { kickOutbox } from "@/lib/jobs/kick";

// The same answer whether or not the email has an account (the owner of a taken one is emailed
// instead of a link), so the form cannot be used to find out who has an account.
const CHECK_EMAIL = "Check your email: we have sent you a link to finish signing up. It works for 24 hours.";

export const signUpAction = formAction(
  { name: "signup", who: "public", input: signUpSchema, trail: { type: "signup", step: "details" } },
  async ({ input, trail, formData }) => {
    const refused = await refuseOverBudget((client) => [["signup:address", input.email], ["signup:client", client]], formData, callUs());
    if (refused) {
      await trail.failed("too_many_attempts");
      return refused;
    }
    await requestSignUp(db(), input, publicUrl(), (tx) => trail.step(tx));
    kickOutbox();
    return { status: "ok", message: CHECK_EMAIL };
  },
);
