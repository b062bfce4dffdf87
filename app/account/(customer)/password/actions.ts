"use server";
import { changePassword } from "@/lib/accounts/profile";
import { confirmCurrentPassword, reauthMessage } from "@/lib/accounts/reauth";
import { passwordChangeSchema } from "@/lib/accounts/schemas";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { parseForm, type FormState } from "@/lib/http/form-state";
import { safeAction } from "@/lib/http/safe-action";
import { accountTrail, recordFailedStep } from "@/app/account/_lib/trail";
import { countOf } from "@/lib/format/plural";

export const changePasswordAction = safeAction("password-change", async (_previous: FormState, formData: FormData): Promise<FormState> => {
  const principal = await requireCustomer("/account/password");
  const trail = await accountTrail(principal, formData);
  const parsed = parseForm(passwordChangeSchema, formData);
  if (!parsed.ok) {
    await recordFailedStep(trail, "password_change", "saved", "validation_error");
    return parsed.state;
  }
  const reauth = await confirmCurrentPassword(db(), principal.userId, parsed.data.currentPassword);
  if (!reauth.ok) {
    await recordFailedStep(trail, "password_change", "saved", reauth.reason);
    return { status: "error", message: "Your password was not changed.", fieldErrors: { currentPassword: reauthMessage(reauth) } };
  }
  const { endedSessions } = await changePassword(db(), { userId: principal.userId, sessionId: principal.sessionId }, parsed.data.newPassword, trail);
  const others = endedSessions === 0 ? "No other device was signed in." : `${countOf(endedSessions, "other device was", "other devices were")} signed out.`;
  return { status: "ok", message: `Your password is changed. ${others} Use the new password next time you sign in.` };
});
