"use server";
import { redirect } from "next/navigation";
import { confirmEmailChange } from "@/lib/accounts/profile";
import { emailChangeTokenSchema } from "@/lib/accounts/schemas";
import { currentPrincipal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { parseForm, type FormState } from "@/lib/http/form-state";
import { forgetUrlSecret, urlSecret } from "@/lib/http/url-secret";
import { safeAction } from "@/lib/http/safe-action";
import { accountTrail, recordFailedStep } from "@/app/account/_lib/trail";

export const confirmEmailChangeAction = safeAction("email-change-confirm", async (_previous: FormState, formData: FormData): Promise<FormState> => {
  const principal = await currentPrincipal();
  const trail = await accountTrail(principal, formData);
  // The token never travels in the page: it is the cookie the emailed link left.
  formData.set("token", (await urlSecret("email-change")) ?? "");
  const parsed = parseForm(emailChangeTokenSchema, formData);
  const result = parsed.ok ? await confirmEmailChange(db(), parsed.data.token, trail) : ({ ok: false, reason: "invalid_or_expired" } as const);
  if (!result.ok) {
    if (result.reason === "invalid_or_expired") await recordFailedStep(trail, "email_change", "confirmed", "link_invalid");
    return {
      status: "error",
      message:
        result.reason === "email_taken"
          ? "That address now belongs to another Waymark account, so your sign-in email was not changed."
          : "This confirmation link has expired or was already used. Your sign-in email was not changed; ask for a new link from your account.",
    };
  }
  await forgetUrlSecret("email-change", "/account/confirm-email");
  redirect("/account/confirm-email?confirmed=1");
});
