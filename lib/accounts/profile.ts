// The customer's own details: name, phone and language, the sign-in email (confirmed through the
// new address, the old one told), and the password (every other session ends). Each change and
// its trail step are written in one transaction.
import "server-only";
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { hashPassword } from "@/lib/auth/password";
import { maskEmail, queueEmail } from "@/lib/mail/outbox";
import { notify } from "@/lib/notify/notify";
import { attemptForLink, type LinkedAttempt } from "@/lib/trail/linked-attempt";
import { recordStep, type TrailActor } from "@/lib/trail/server";
import type { ProfileInput } from "./schemas";
import { sha256, voidPendingCredentials } from "./accounts";
import { revokeAllSessions } from "./sessions";

export const EMAIL_CHANGE_TTL_MS = 24 * 60 * 60 * 1000;

export type Trail = { actor: TrailActor; journeyId: string };

export async function updateProfile(db: Db, userId: string, input: ProfileInput, trail: Trail): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId, status: "ACTIVE" }, data: { name: input.name, phone: input.phone, locale: input.locale, timeZone: input.timeZone } });
    await recordStep(tx, trail.actor, { journeyId: trail.journeyId, type: "profile_update", step: "saved", action: "completed" });
  });
}

/** Keeps the zone the browser reports, unless the customer already has one (theirs, or chosen on the profile page). */
export async function adoptBrowserTimeZone(db: Db, userId: string, timeZone: string): Promise<boolean> {
  const { count } = await db.user.updateMany({ where: { id: userId, status: "ACTIVE", timeZone: null }, data: { timeZone } });
  return count === 1;
}

/**
 * Sets a new password (the caller has checked the current one) and ends every session of the
 * account except the one making the change. Returns how many other sessions were ended.
 */
export async function changePassword(db: Db, user: { userId: string; sessionId: string }, newPassword: string, trail: Trail): Promise<{ endedSessions: number }> {
  const passwordHash = await hashPassword(newPassword);
  return db.$transaction(async (tx) => {
    const account = await tx.user.update({ where: { id: user.userId, status: "ACTIVE" }, data: { passwordHash } });
    const endedSessions = await revokeAllSessions(tx, user.userId, user.sessionId);
    await voidPendingCredentials(tx, user.userId);
    await notify(tx, { type: "password_changed", userId: account.id, eventKey: `password:${account.id}:${account.updatedAt.toISOString()}`, data: {} });
    await recordStep(tx, trail.actor, { journeyId: trail.journeyId, type: "password_change", step: "saved", action: "completed" });
    return { endedSessions };
  });
}

export type EmailChangeRequestResult = { ok: true } | { ok: false; reason: "same_email" };

/**
 * Sends a confirmation link to the new address (the caller has checked the password). The answer
 * is the same whether or not the new address already has an account: that address is told
 * instead, so the form cannot be used to find out who has an account.
 */
export async function requestEmailChange(db: Db, userId: string, newEmail: string, baseUrl: string, trail: Trail): Promise<EmailChangeRequestResult> {
  const user = await db.user.findFirstOrThrow({ where: { id: userId, status: "ACTIVE" } });
  if (user.email === newEmail) return { ok: false, reason: "same_email" };
  const token = crypto.randomBytes(32).toString("base64url");
  const journeyId = await attemptForLink(db, trail.actor, trail.journeyId);
  await db.$transaction(async (tx) => {
    // A new request replaces any earlier one: only the latest link works.
    await tx.emailChangeRequest.updateMany({ where: { userId, usedAt: null }, data: { usedAt: new Date() } });
    const taken = await tx.user.findUnique({ where: { email: newEmail }, select: { id: true } });
    if (taken) {
      await queueEmail(tx, {
        to: newEmail,
        subject: "Someone tried to use this address on Waymark",
        text: `Hello,\n\nSomeone asked to make this address the sign-in email of a Waymark account, but it already belongs to an account, so nothing was changed.\n\nIf that was you, sign in with this address instead. If not, you can ignore this email.\n`,
      });
    } else {
      await tx.emailChangeRequest.create({ data: { userId, newEmail, tokenHash: sha256(token), expiresAt: new Date(Date.now() + EMAIL_CHANGE_TTL_MS), journeyId } });
      await queueEmail(tx, {
        userId,
        to: newEmail,
        subject: "Confirm your new Waymark sign-in email",
        text: `Hello ${user.name},\n\nYou asked to sign in to Waymark with this address from now on. Confirm it within 24 hours here:\n\n${baseUrl}/account/confirm-email/${token}\n\nUntil you confirm, you keep signing in with your current address. If you did not ask for this, ignore this email.\n`,
      });
    }
    await recordStep(tx, trail.actor, { journeyId: trail.journeyId, type: "email_change", step: "requested", action: "completed" });
  });
  return { ok: true };
}

export async function pendingEmailChange(db: Db, userId: string) {
  return db.emailChangeRequest.findFirst({ where: { userId, usedAt: null, expiresAt: { gt: new Date() } }, orderBy: { createdAt: "desc" }, select: { newEmail: true, createdAt: true, expiresAt: true } });
}

/** A confirmation link that still works: the address it confirms, the account and the attempt that asked for it; null for any other. */
export async function usableEmailChange(db: Db, token: string): Promise<(LinkedAttempt & { newEmail: string }) | null> {
  const row = await db.emailChangeRequest.findUnique({ where: { tokenHash: sha256(token) }, include: { user: { select: { status: true } } } });
  const usable = row && !row.usedAt && row.expiresAt > new Date() && row.user.status === "ACTIVE";
  return usable ? { type: "email_change", userId: row.userId, journeyId: row.journeyId, newEmail: row.newEmail } : null;
}

export type EmailChangeConfirmResult = { ok: true; newEmail: string } | { ok: false; reason: "invalid_or_expired" | "email_taken" | "another_account" };

/**
 * Confirms through the emailed link. The link itself proves the new address, so it works in any
 * browser signed out or signed in to the account it is for, never while another customer is
 * signed in (who would be told of a change to an account not theirs, and whose steps the trail
 * would take for the owner's). The step is recorded against the account it belongs to, in the
 * attempt that asked for the link. The caller records an unusable link (there is no account to
 * record it against).
 */
export async function confirmEmailChange(db: Db, token: string, trail: Trail): Promise<EmailChangeConfirmResult> {
  const link = await usableEmailChange(db, token);
  if (link && trail.actor.userId && trail.actor.userId !== link.userId) return { ok: false, reason: "another_account" };
  const journeyId = link?.journeyId ?? trail.journeyId;
  let owner: TrailActor | null = null;
  try {
    return await db.$transaction(async (tx): Promise<EmailChangeConfirmResult> => {
      // The conditional update makes the link single-use even under two concurrent clicks.
      const claimed = await tx.emailChangeRequest.updateMany({ where: { tokenHash: sha256(token), usedAt: null, expiresAt: { gt: new Date() } }, data: { usedAt: new Date() } });
      if (claimed.count !== 1) return { ok: false, reason: "invalid_or_expired" };
      const { user, newEmail } = await tx.emailChangeRequest.findUniqueOrThrow({ where: { tokenHash: sha256(token) }, include: { user: true } });
      if (user.status !== "ACTIVE") return { ok: false, reason: "invalid_or_expired" };
      owner = { ...trail.actor, userId: user.id, distinctId: user.analyticsId, consent: user.analyticsConsent };
      await tx.user.update({ where: { id: user.id }, data: { email: newEmail } });
      await voidPendingCredentials(tx, user.id);
      // The old address hears of it too: whoever took the account may not be its owner.
      await notify(tx, {
        type: "sign_in_email_changed",
        userId: user.id,
        eventKey: `email-change:${sha256(token)}`,
        data: { maskedNewEmail: maskEmail(newEmail) },
        alsoEmail: user.email ? [user.email] : [],
      });
      await recordStep(tx, owner, { journeyId, type: "email_change", step: "confirmed", action: "completed" });
      return { ok: true, newEmail };
    });
  } catch (e) {
    // Another account took the address after the link was sent.
    // (A cast: TypeScript does not follow the assignment made inside the transaction callback.)
    const actor = owner as TrailActor | null;
    if (!(isUniqueViolation(e)) || !actor) throw e;
    await db.$transaction(async (tx) => {
      await tx.emailChangeRequest.updateMany({ where: { tokenHash: sha256(token) }, data: { usedAt: new Date() } });
      await recordStep(tx, actor, { journeyId, type: "email_change", step: "confirmed", action: "failed", errorCode: "email_taken" });
    });
    return { ok: false, reason: "email_taken" };
  }
}
