"use server";
import { revalidatePath } from "next/cache";
import { requestEmailChange } from "@/lib/accounts/profile";
import { confirmCurrentPassword, reauthMessage } from "@/lib/accounts/reauth";
import { emailChangeSchema } from "@/lib/accounts/schemas";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { formValues, parseForm, type FormState } from "@/lib/http/form-state";
import { refuseOverBudget } from "@/lib/http/action-budget";
import { safeAction } from "@/lib/http/safe-action";
import { accountTrail, recordFailedStep } from "@/app/account/_lib/trail";

function baseUrl() {
  return (process.env.NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/$/, "");
}

export const requestEmailChangeAction = safeAction("email-change-request", async (_previous: FormState, formData: FormData): Promise<FormState> => {
  const principal = await requireCustomer("/account/email");
  const trail = await accountTrail(principal, formData);
  const parsed = parseForm(emailChangeSchema, formData);
  if (!parsed.ok) {
    await recordFailedStep(trail, "email_change", "requested", "validation_error");
    return parsed.state;
  }
  const reauth = await confirmCurrentPassword(db(), principal.userId, parsed.data.currentPassword);
  if (!reauth.ok) {
    await recordFailedStep(trail, "email_change", "requested", reauth.reason);
    return { status: "error", message: "Nothing was changed.", fieldErrors: { currentPassword: reauthMessage(reauth) }, values: formValues(formData) };
  }
  // Each request emails the new address: limited per account, per address and per client, so nobody's inbox can be flooded.
  const refused = await refuseOverBudget(
    (client) => [["email-change:account", principal.userId], ["email-change:address", parsed.data.newEmail], ["email-change:client", client]],
    formData,
  );
  if (refused) {
    await recordFailedStep(trail, "email_change", "requested", "too_many_attempts");
    return refused;
  }
  const result = await requestEmailChange(db(), principal.userId, parsed.data.newEmail, baseUrl(), trail);
  if (!result.ok) {
    await recordFailedStep(trail, "email_change", "requested", "same_email");
    return { status: "error", message: "Nothing was changed.", fieldErrors: { newEmail: "That is already your sign-in email. Enter the new address you want to use." }, values: formValues(formData) };
  }
  revalidatePath("/account/email");
  return { status: "ok", message: `We sent a confirmation link to ${parsed.data.newEmail}. Open it within 24 hours to start signing in with that address. Until then, keep using your current one.` };
});
