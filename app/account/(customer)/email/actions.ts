"use server";
import { revalidatePath } from "next/cache";
import { requestEmailChange } from "@/lib/accounts/profile";
import { refuseUnlessPasswordConfirmed } from "@/lib/accounts/reauth";
import { emailChangeSchema } from "@/lib/accounts/schemas";
import { publicUrl } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { refuseOverBudget } from "@/lib/http/action-budget";
import { formAction } from "@/lib/http/action-client";
import { formValues } from "@/lib/http/form-state";

export const requestEmailChangeAction = formAction(
  { name: "email-change-request", who: "customer", signIn: "/account/email", input: emailChangeSchema, trail: { type: "email_change", step: "requested", refusedAt: "form" } },
  async ({ input, principal, trail, formData }) => {
    const unconfirmed = await refuseUnlessPasswordConfirmed(db(), principal.userId, input.currentPassword, { trail, message: "Nothing was changed.", values: formValues(formData) });
    if (unconfirmed) return unconfirmed;
    // Each request emails the new address: limited per account, per address and per client, so nobody's inbox can be flooded.
    const refused = await refuseOverBudget(
      (client) => [["email-change:account", principal.userId], ["email-change:address", input.newEmail], ["email-change:client", client]],
      formData,
    );
    if (refused) {
      await trail.failed("too_many_attempts");
      return refused;
    }
    const result = await requestEmailChange(db(), principal.userId, input.newEmail, publicUrl(), trail);
    if (!result.ok) {
      await trail.failed("same_email");
      return { status: "error", message: "Nothing was changed.", fieldErrors: { newEmail: "That is already your sign-in email. Enter the new address you want to use." }, values: formValues(formData) };
    }
    revalidatePath("/account/email");
    return { status: "ok", message: `We sent a confirmation link to ${input.newEmail}. Open it within 24 hours to start signing in with that address. Until then, keep using your current one.` };
  },
);
