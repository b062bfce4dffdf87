// Re-entering the password before a sensitive change (email, password, account deletion). Limited
// per account, so a borrowed signed-in browser cannot be used to guess the password.
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import type { Db } from "@/lib/db/client";
import { verifyPassword } from "@/lib/auth/password";

const WINDOW_SECONDS = 15 * 60;
const ATTEMPTS = 5;

export type ReauthResult = { ok: true } | { ok: false; reason: "wrong_password" | "too_many_attempts"; retryAfterMinutes?: number };

function limiter(db: Db) {
  return new RateLimiterPrisma({ storeClient: db, tableName: "rateLimiterFlexible", keyPrefix: "reauth:account", points: ATTEMPTS, duration: WINDOW_SECONDS, clearExpiredByTimeout: false });
}

export async function confirmCurrentPassword(db: Db, userId: string, password: string): Promise<ReauthResult> {
  const attempts = limiter(db);
  const state = await attempts.get(userId);
  if (state && state.consumedPoints >= ATTEMPTS) return { ok: false, reason: "too_many_attempts", retryAfterMinutes: Math.ceil(state.msBeforeNext / 60_000) };
  const user = await db.user.findFirst({ where: { id: userId, status: "ACTIVE" }, select: { passwordHash: true } });
  if (user && (await verifyPassword(user.passwordHash, password))) {
    await attempts.delete(userId);
    return { ok: true };
  }
  await attempts.consume(userId).catch((e: unknown) => {
    if (!(e instanceof RateLimiterRes)) throw e;
  });
  return { ok: false, reason: "wrong_password" };
}

/** The customer-facing words for a failed re-authentication, on the password field. */
export function reauthMessage(result: Exclude<ReauthResult, { ok: true }>): string {
  return result.reason === "too_many_attempts"
    ? `Too many wrong passwords. For your safety, try again in ${result.retryAfterMinutes ?? 15} minutes, or reset your password.`
    : "That is not your current password. Check it and try again.";
}
