"use server";
import { redirect } from "next/navigation";
import { confirmEmailChange } from "@/lib/accounts/profile";
import { emailChangeTokenSchema } from "@/lib/accounts/schemas";
import { db } from "@/lib/db/client";
import { formAction } from "@/lib/http/action-client";
import { forgetUrlSecret, urlSecret } from "@/lib/http/url-secret";

const EXPIRED = "This confirmation link has expired or was already used. Your sign-in email was not changed; ask for a new link from your account.";
const REFUSED = {
  invalid_or_expired: EXPIRED,
  email_taken: "That address now belongs to another Waymark account, so your sign-in email was not changed.",
  another_account: "This link is for another Waymark account than the one signed in here, so nothing was changed. Sign out, then open the link in the email again.",
} as const;

export const confirmEmailChangeAction = formAction(
  {
    name: "email-change-confirm",
    who: "visitor",
    input: emailChangeTokenSchema,
    // The token never travels in the page: it is the cookie the emailed link left.
    read: async () => ({ token: (await urlSecret("email-change")) ?? "" }),
    invalid: () => ({ status: "error", message: EXPIRED }),
    trail: { type: "email_change", step: "confirmed", invalidInput: "link_invalid" },
  },
  async ({ input, trail }) => {
    const result = await confirmEmailChange(db(), input.token, trail);
    if (!result.ok) {
      if (result.reason === "invalid_or_expired") await trail.failed("link_invalid");
      return { status: "error", message: REFUSED[result.reason] };
    }
    await forgetUrlSecret("email-change", "/account/confirm-email");
    redirect("/account/confirm-email?confirmed=1");
  },
);
