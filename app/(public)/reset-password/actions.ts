"use server";
import { redirect } from "next/navigation";
import { resetPassword } from "@/lib/accounts/accounts";
import { resetPasswordSchema } from "@/lib/accounts/schemas";
import { db } from "@/lib/db/client";
import { formAction } from "@/lib/http/action-client";
import { formFields } from "@/lib/http/form-state";
import { forgetUrlSecret, urlSecret } from "@/lib/http/url-secret";

export const resetPasswordAction = formAction(
  {
    name: "reset-password",
    who: "public",
    input: resetPasswordSchema,
    // The token never travels in the page: it is the cookie the emailed link left.
    read: async ({ formData }) => ({ ...formFields(formData), token: (await urlSecret("password-reset")) ?? "" }),
    trail: { type: "password_reset", step: "new_password" },
  },
  async ({ input, trail }) => {
    const result = await resetPassword(db(), input.token, input.password);
    // Done in the attempt that asked for the link, whichever browser opened it.
    const linked = result.ok && result.journeyId ? await trail.continuing(result.journeyId) : trail;
    await db().$transaction((tx) => linked.step(tx, result.ok ? null : "reset_link_invalid"));
    if (!result.ok) return { status: "error", message: "This reset link has expired or was already used. Ask for a new one." };
    await forgetUrlSecret("password-reset", "/reset-password");
    redirect("/signin?reset=1");
  },
);
