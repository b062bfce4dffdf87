// Sign-in and password reset: plain functions over a database handle (sign-up: ./signup.ts).
import "server-only";
import crypto from "node:crypto";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { type Charge, clearBudget, refund, spend } from "@/lib/auth/rate-limit";
import type { AuthSession, Prisma, User } from "@/lib/generated/prisma/client";
import { queueEmail } from "@/lib/mail/outbox";
import type { AnalyticsDecision } from "@/lib/privacy/analytics-consent";
import { adoptDeviceDecline } from "@/lib/privacy/consents";
import type { OutboxRow } from "@/lib/outbox/outbox";
import type { LinkedAttempt } from "@/lib/trail/linked-attempt";
import { openSessionNoticingNewDevice, revokeAllSessions } from "./sessions";

const RESET_TOKEN_TTL_MS = 60 * 60 * 1000;
// Verifying against a fixed hash when the account does not exist keeps the timing the same,
// so response time does not reveal which emails have accounts.
let decoyHash: Promise<string> | undefined;

/**
 * `analyticsChoice`: what the browser signing in chose about analytics while signed out (its cookie), if anything.
 * `knownDeviceId`: the browser's id when the account has signed in on it before (lib/auth/known-device.ts).
 */
export type SignInContext = { clientAddress: string; userAgent: string | null; analyticsChoice?: AnalyticsDecision | null; knownDeviceId?: string | null };
export type SignInResult =
  | { ok: true; user: User; session: AuthSession }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/**
 * Checks the credentials and opens a server-side session. The attempt is paid for from the
 * account's and the client's budgets before the (slow) password check, so many concurrent guesses
 * cannot all be checked: once a budget is used up, even the right password waits for the window
 * (the owner can reset the password instead, which clears the account's budget). A browser the
 * account has signed in on before pays from its own budget alone, neither the account's nor its
 * address's: guesses made anywhere else, or by others behind the same address (an office's or a
 * mobile network's NAT), never lock the owner out of it. Its cookie names this account only, so
 * it is no way around either budget for any other.
 */
export async function authenticate(db: Db, email: string, password: string, context: SignInContext): Promise<SignInResult> {
  const charges: Charge[] = context.knownDeviceId ? [["signin:device", context.knownDeviceId]] : [["signin:account", email], ["signin:client", context.clientAddress]];
  const budget = await spend(db, charges);
  if (!budget.ok) return { ok: false, reason: "throttled", retryAfterSeconds: budget.retryAfterSeconds };
  const user = await db.user.findUnique({ where: { email } });
  const valid = user && user.status === "ACTIVE" ? await verifyPassword(user.passwordHash, password) : await verifyPassword(await (decoyHash ??= hashPassword("decoy-password")), password).then(() => false);
  if (!valid || !user) return { ok: false, reason: "invalid" };
  // A correct password is not a guess: the owner's earlier typos are forgotten, and the client's attempt is given back.
  const [account, client] = charges;
  await Promise.all([clearBudget(db, account), client ? refund(db, client) : null]);
  const session = await db.$transaction(async (tx) => {
    await adoptDeviceDecline(tx, user.id, context.analyticsChoice ?? null);
    return openSessionNoticingNewDevice(tx, user.id, context.userAgent);
  });
  return { ok: true, user, session };
}

export const PASSWORD_RESET_TOPIC = "password_reset.request";
// journeyId: the trail attempt that asked (requests queued before it was kept have none).
const passwordResetRequestSchema = z.object({ email: z.string(), baseUrl: z.string(), journeyId: z.string().nullish() });

export type PasswordResetRequestResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Takes a reset request: paid for from the address's budget (so one inbox cannot be flooded) and
 * the client's, then queued. Whether the address has an account is only looked at by the queue's
 * worker, so the answer does the same work, and takes the same time, either way.
 */
export async function requestPasswordReset(db: Db, email: string, baseUrl: string, clientAddress: string, journeyId: string | null = null): Promise<PasswordResetRequestResult> {
  const budget = await spend(db, [["reset:address", email], ["reset:client", clientAddress]]);
  if (!budget.ok) return budget;
  await db.outboxMessage.create({ data: { topic: PASSWORD_RESET_TOPIC, dedupeKey: `${PASSWORD_RESET_TOPIC}:${crypto.randomUUID()}`, payload: { email, baseUrl, journeyId } } });
  return { ok: true };
}

/** The queue's worker: emails a reset link when the address belongs to an active account. */
export async function sendPasswordResetLinks(db: Db, rows: OutboxRow[]): Promise<void> {
  for (const row of rows) {
    const { email, baseUrl, journeyId } = passwordResetRequestSchema.parse(row.payload);
    await sendPasswordResetLink(db, email, baseUrl, journeyId ?? null);
  }
}

async function sendPasswordResetLink(db: Db, email: string, baseUrl: string, journeyId: string | null): Promise<void> {
  const user = await db.user.findUnique({ where: { email } });
  if (!user || user.status !== "ACTIVE" || !user.email) return;
  const token = crypto.randomBytes(32).toString("base64url");
  await db.$transaction(async (tx) => {
    // A new link replaces any earlier one.
    await tx.passwordResetToken.updateMany({ where: { userId: user.id, usedAt: null }, data: { usedAt: new Date() } });
    await tx.passwordResetToken.create({ data: { userId: user.id, tokenHash: sha256(token), expiresAt: new Date(Date.now() + RESET_TOKEN_TTL_MS), journeyId } });
    await queueEmail(tx, {
      userId: user.id,
      to: user.email!,
      subject: "Reset your Waymark password",
      text: `Hello ${user.name},\n\nSomeone (hopefully you) asked to reset the password of your Waymark account.\nChoose a new password here within the next hour:\n\n${baseUrl}/reset-password/${token}\n\nIf you did not ask for this, ignore this email: your password stays as it is.\n`,
    });
  });
}

/** `journeyId`: the trail attempt that asked for the link, where the reset is recorded (lib/trail/linked-attempt.ts). */
export type ResetResult = { ok: true; journeyId: string | null } | { ok: false; reason: "invalid_or_expired" };

/** Sets the new password, uses the token up and ends every session of the account. */
export async function resetPassword(db: Db, token: string, newPassword: string): Promise<ResetResult> {
  // The link first: anyone can send a made-up one, with no budget to pay, and a hash costs 19 MiB
  // and tens of milliseconds of a core.
  if (!(await usableResetLink(db, token))) return { ok: false, reason: "invalid_or_expired" };
  const passwordHash = await hashPassword(newPassword);
  const result = await db.$transaction(async (tx) => {
    // The conditional update makes the token single-use even under two concurrent submits.
    const claimed = await tx.passwordResetToken.updateMany({
      where: { tokenHash: sha256(token), usedAt: null, expiresAt: { gt: new Date() } },
      data: { usedAt: new Date() },
    });
    if (claimed.count !== 1) return { ok: false, reason: "invalid_or_expired" } as const;
    const row = await tx.passwordResetToken.findUniqueOrThrow({ where: { tokenHash: sha256(token) } });
    const user = await tx.user.update({ where: { id: row.userId }, data: { passwordHash } });
    await revokeAllSessions(tx, row.userId);
    await voidPendingCredentials(tx, row.userId);
    return { ok: true, email: user.email, journeyId: row.journeyId } as const;
  });
  // Whoever reads the account's email is its owner: failed sign-ins by others no longer lock them out.
  if (result.ok && result.email) await clearBudget(db, ["signin:account", result.email]);
  return result.ok ? { ok: true, journeyId: result.journeyId } : result;
}

/**
 * Uses up every outstanding reset link and pending sign-in email change of the account. Called in
 * the transaction of each credential change (password changed or reset, email change confirmed):
 * a link issued before may be in the hands of whoever the owner is recovering the account from,
 * and a pending email change may point at their address.
 */
export async function voidPendingCredentials(tx: Prisma.TransactionClient, userId: string): Promise<void> {
  const now = new Date();
  await tx.passwordResetToken.updateMany({ where: { userId, usedAt: null }, data: { usedAt: now } });
  await tx.emailChangeRequest.updateMany({ where: { userId, usedAt: null }, data: { usedAt: now } });
}

/** A reset link that still works: the account it is for and the attempt that asked for it; null for any other. */
export async function usableResetLink(db: Db, token: string): Promise<LinkedAttempt | null> {
  const row = await db.passwordResetToken.findUnique({ where: { tokenHash: sha256(token) } });
  return row && !row.usedAt && row.expiresAt > new Date() ? { type: "password_reset", userId: row.userId, journeyId: row.journeyId } : null;
}

/** One-time tokens are stored only as this hash. */
export function sha256(value: string) {
  return crypto.createHash("sha256").update(value).digest("hex");
}
