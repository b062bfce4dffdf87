"use server";
import { changePassword } from "@/lib/accounts/profile";
import { refuseUnlessPasswordConfirmed } from "@/lib/accounts/reauth";
import { passwordChangeSchema } from "@/lib/accounts/schemas";
import { db } from "@/lib/db/client";
import { countOf } from "@/lib/format/plural";
import { formAction } from "@/lib/http/action-client";

export const changePasswordAction = formAction(
  { name: "password-change", who: "customer", signIn: "/account/password", input: passwordChangeSchema, trail: { type: "password_change", step: "saved", refusedAt: "form" } },
  async ({ input, principal, trail }) => {
    const unconfirmed = await refuseUnlessPasswordConfirmed(db(), principal.userId, input.currentPassword, { trail, message: "Your password was not changed." });
    if (unconfirmed) return unconfirmed;
    const { endedSessions } = await changePassword(db(), { userId: principal.userId, sessionId: principal.sessionId }, input.newPassword, trail);
    const others = endedSessions === 0 ? "No other device was signed in." : `${countOf(endedSessions, "other device was", "other devices were")} signed out.`;
    return { status: "ok", message: `Your password is changed. ${others} Use the new password next time you sign in.` };
  },
);
