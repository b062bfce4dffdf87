"use server";
import { confirmCurrentPassword, reauthMessage } from "@/lib/accounts/reauth";
import { reauthenticateSchema } from "@/lib/accounts/schemas";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { parseForm, type FormState } from "@/lib/http/form-state";
import { safeAction } from "@/lib/http/safe-action";
import { deleteAccount } from "@/lib/privacy/deletion";
import { accountTrail, recordFailedStep } from "@/app/account/_lib/trail";

export const deleteAccountAction = safeAction("account-deletion", async (_previous: FormState, formData: FormData): Promise<FormState> => {
  const principal = await requireCustomer("/account/privacy/delete");
  const trail = await accountTrail(principal, formData);
  const parsed = parseForm(reauthenticateSchema, formData);
  if (!parsed.ok) {
    await recordFailedStep(trail, "account_deletion", "deleted", "validation_error");
    return parsed.state;
  }
  const reauth = await confirmCurrentPassword(db(), principal.userId, parsed.data.currentPassword);
  if (!reauth.ok) {
    await recordFailedStep(trail, "account_deletion", "deleted", reauth.reason);
    return { status: "error", message: "Your account was not deleted.", fieldErrors: { currentPassword: reauthMessage(reauth) } };
  }
  const result = await deleteAccount(db(), principal.userId, trail);
  if (!result.ok) return { status: "error", message: "You still have an order or a return under way, so your account was not deleted. Reload this page to see which." };
  return { status: "ok", message: "Your account is deleted. Signing you out…" };
});
