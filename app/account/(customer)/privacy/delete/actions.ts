"use server";
import { refuseUnlessPasswordConfirmed } from "@/lib/accounts/reauth";
import { reauthenticateSchema } from "@/lib/accounts/schemas";
import { db } from "@/lib/db/client";
import { formAction } from "@/lib/http/action-client";
import { deleteAccount } from "@/lib/privacy/deletion";

export const deleteAccountAction = formAction(
  { name: "account-deletion", who: "customer", signIn: "/account/privacy/delete", input: reauthenticateSchema, trail: { type: "account_deletion", step: "deleted", refusedAt: "reauthenticate" } },
  async ({ input, principal, trail }) => {
    const unconfirmed = await refuseUnlessPasswordConfirmed(db(), principal.userId, input.currentPassword, { trail, message: "Your account was not deleted." });
    if (unconfirmed) return unconfirmed;
    const result = await deleteAccount(db(), principal.userId, trail);
    if (!result.ok) return { status: "error", message: "You still have an order or a return under way, so your account was not deleted. Reload this page to see which." };
    return { status: "ok", message: "Your account is deleted. Signing you out…" };
  },
);
