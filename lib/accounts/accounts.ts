// Sign-up, sign-in and password reset: plain functions over a database handle.
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { signInLimiter } from "@/lib/auth/rate-limit";
import { queueEmail } from "@/lib/mail/outbox";
import { recordStep, type TrailActor } from "@/lib/trail/server";
import type { SignUpInput } from "./schemas";
import { openSession, revokeAllSessions } from "./sessions";

const RESET_TOKEN_TTL_MS = 60 * 60 * 1000;
// Verifying against a fixed hash when the account does not exist keeps the timing the same,
// so response time does not reveal which emails have accounts.
let decoyHash: Promise<string> | undefined;

export type RegisterResult = { ok: true; userId: string } | { ok: false; reason: "email_taken" };

/** Creates the account and records the sign-up journey's last step in the same transaction. */
export async function registerCustomer(db: Db, input: SignUpInput, trail: { actor: TrailActor; journeyId: string }): Promise<RegisterResult> {
  const passwordHash = await hashPassword(input.password);
  try {
    const userId = await db.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { name: input.name, email: input.email, passwordHash, role: "CUSTOMER" } });
      const actor = { ...trail.actor, userId: user.id, distinctId: user.analyticsId };
      // The account step has no page of its own: reaching it and completing it happen here, together.
      await recordStep(tx, actor, { journeyId: trail.journeyId, type: "signup", step: "account", action: "viewed" });
      await recordStep(tx, actor, { journeyId: trail.journeyId, type: "signup", step: "account", action: "completed" });
      return user.id;
    });
    return { ok: true, userId };
  } catch (e) {
    if (isUniqueViolation(e)) {
      await db.$transaction((tx) => recordStep(tx, trail.actor, { journeyId: trail.journeyId, type: "signup", step: "details", action: "failed", errorCode: "email_taken" }));
      return { ok: false, reason: "email_taken" };
    }
    throw e;
  }
}

export type SignInContext = { ip: string; userAgent: string | null };

/** Checks the credentials under the rate limits and opens a server-side session. Null when wrong. */
export async function authenticate(db: Db, email: string, password: string, context: SignInContext) {
  const limiter = signInLimiter(db);
  await limiter.assertAllowed(email, context.ip);
  const user = await db.user.findUnique({ where: { email } });
  const valid = user && user.status === "ACTIVE" ? await verifyPassword(user.passwordHash, password) : await verifyPassword(await (decoyHash ??= hashPassword("decoy-password")), password).then(() => false);
  if (!valid || !user) {
    await limiter.recordFailure(email, context.ip);
    return null;
  }
  await limiter.recordSuccess(email);
  const session = await openSession(db, user.id, context.userAgent);
  return { user, session };
}

/** Always behaves the same from outside, whether or not the email has an account. */
export async function requestPasswordReset(db: Db, email: string, baseUrl: string): Promise<void> {
  const user = await db.user.findUnique({ where: { email } });
  if (!user || user.status !== "ACTIVE" || !user.email) return;
  const token = crypto.randomBytes(32).toString("base64url");
  await db.$transaction(async (tx) => {
    // A new link replaces any earlier one.
    await tx.passwordResetToken.updateMany({ where: { userId: user.id, usedAt: null }, data: { usedAt: new Date() } });
    await tx.passwordResetToken.create({ data: { userId: user.id, tokenHash: sha256(token), expiresAt: new Date(Date.now() + RESET_TOKEN_TTL_MS) } });
    await queueEmail(tx, {
      userId: user.id,
      to: user.email!,
      subject: "Reset your Waymark password",
      text: `Hello ${user.name},\n\nSomeone (hopefully you) asked to reset the password of your Waymark account.\nChoose a new password here within the next hour:\n\n${baseUrl}/reset-password/${token}\n\nIf you did not ask for this, ignore this email: your password stays as it is.\n`,
    });
  });
}

export type ResetResult = { ok: true } | { ok: false; reason: "invalid_or_expired" };

/** Sets the new password, uses the token up and ends every session of the account. */
export async function resetPassword(db: Db, token: string, newPassword: string): Promise<ResetResult> {
  const passwordHash = await hashPassword(newPassword);
  return db.$transaction(async (tx) => {
    // The conditional update makes the token single-use even under two concurrent submits.
    const claimed = await tx.passwordResetToken.updateMany({
      where: { tokenHash: sha256(token), usedAt: null, expiresAt: { gt: new Date() } },
      data: { usedAt: new Date() },
    });
    if (claimed.count !== 1) return { ok: false, reason: "invalid_or_expired" } as const;
    const row = await tx.passwordResetToken.findUniqueOrThrow({ where: { tokenHash: sha256(token) } });
    await tx.user.update({ where: { id: row.userId }, data: { passwordHash } });
    await revokeAllSessions(tx, row.userId);
    return { ok: true } as const;
  });
}

export async function isResetTokenUsable(db: Db, token: string): Promise<boolean> {
  const row = await db.passwordResetToken.findUnique({ where: { tokenHash: sha256(token) } });
  return !!row && !row.usedAt && row.expiresAt > new Date();
}

/** One-time tokens are stored only as this hash. */
export function sha256(value: string) {
  return crypto.createHash("sha256").update(value).digest("hex");
}
