// Re-entering the password before a sensitive change (email, password, account deletion). Limited
// per account, paid before the check like sign-in, so a borrowed signed-in browser cannot be used
// to guess the password, not even with many attempts at once.
import "server-only";
import type { Db } from "@/lib/db/client";
import type { FormState } from "@/lib/http/form-state";
import { verifyPassword } from "@/lib/auth/password";
import { clearBudget, spend } from "@/lib/auth/rate-limit";
import { retryAfterMinutes, tooManyAttemptsMessage } from "@/lib/auth/too-many-attempts";

export type ReauthResult = { ok: true } | { ok: false; reason: "wrong_password" | "too_many_attempts"; retryAfterMinutes?: number };

export async function confirmCurrentPassword(db: Db, userId: string, password: string): Promise<ReauthResult> {
  const account = ["reauth:account", userId] as const;
  const budget = await spend(db, [account]);
  if (!budget.ok) return { ok: false, reason: "too_many_attempts", retryAfterMinutes: retryAfterMinutes(budget.retryAfterSeconds) };
  const user = await db.user.findFirst({ where: { id: userId, status: "ACTIVE" }, select: { passwordHash: true } });
  if (user && (await verifyPassword(user.passwordHash, password))) {
    await clearBudget(db, account);
    return { ok: true };
  }
  return { ok: false, reason: "wrong_password" };
}

/** The customer-facing words for a failed re-authentication, on the password field. */
export function reauthMessage(result: Exclude<ReauthResult, { ok: true }>): string {
  return result.reason === "too_many_attempts"
    ? tooManyAttemptsMessage((result.retryAfterMinutes ?? 15) * 60, "reset your password")
    : "That is not your current password. Check it and try again.";
}

/**
 * For a form that changes something sensitive: null when the current password is confirmed;
 * otherwise the step is recorded as failed and the form's answer says so on the password field.
 */
export async function refuseUnlessPasswordConfirmed(
  db: Db,
  userId: string,
  password: string,
  refusal: { trail: { failed(errorCode: string): Promise<void> }; message: string; values?: Record<string, string> },
): Promise<FormState | null> {
  const reauth = await confirmCurrentPassword(db, userId, password);
  if (reauth.ok) return null;
  await refusal.trail.failed(reauth.reason);
  return { status: "error", message: refusal.message, fieldErrors: { currentPassword: reauthMessage(reauth) }, ...(refusal.values ? { values: refusal.values } : {}) };
}
