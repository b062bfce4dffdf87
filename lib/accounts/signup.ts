// Sign-up through the customer's inbox. The form's answer is the same whether or not the address
// has an account, and so is the work behind it (the password hashed, the request stored and
// queued): only the queue's worker looks the address up. A free address gets a link to finish,
// which creates the account; the owner of a taken one is told that someone tried, with the ways
// into their account, and no second account is made.
import "server-only";
import crypto from "node:crypto";
import { z } from "zod";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { spend } from "@/lib/auth/rate-limit";
import type { Db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { queueEmail } from "@/lib/mail/outbox";
import type { OutboxRow } from "@/lib/outbox/outbox";
import { recordStep, type TrailActor } from "@/lib/trail/server";
import { sha256 } from "./accounts";
import type { SignUpInput } from "./schemas";

export const SIGNUP_LINK_TTL_MS = 24 * 60 * 60 * 1000;
export const SIGNUP_REQUEST_TOPIC = "signup.request";
const signUpRequestSchema = z.object({ requestId: z.string(), baseUrl: z.string() });

/**
 * Takes a sign-up (the caller has paid its budgets): stored and queued with `recordDetails`, the
 * form's step, in one transaction. Nothing here depends on whether the address has an account.
 */
export async function requestSignUp(db: Db, input: SignUpInput, baseUrl: string, recordDetails: (tx: Prisma.TransactionClient) => Promise<void>): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  await db.$transaction(async (tx) => {
    const request = await tx.signUpRequest.create({ data: { email: input.email, name: input.name, passwordHash, expiresAt: new Date(Date.now() + SIGNUP_LINK_TTL_MS) } });
    await tx.outboxMessage.create({ data: { topic: SIGNUP_REQUEST_TOPIC, dedupeKey: `${SIGNUP_REQUEST_TOPIC}:${request.id}`, payload: { requestId: request.id, baseUrl } } });
    await recordDetails(tx);
  });
}

/** The queue's worker: the link to finish for a free address, a word to the owner of a taken one. */
export async function sendSignUpEmails(db: Db, rows: OutboxRow[]): Promise<void> {
  for (const row of rows) {
    const { requestId, baseUrl } = signUpRequestSchema.parse(row.payload);
    await db.$transaction((tx) => answerSignUp(tx, requestId, baseUrl));
  }
  // Sign-ups never finished go, with their password hash.
  await db.signUpRequest.deleteMany({ where: { expiresAt: { lt: new Date() } } });
}

async function answerSignUp(tx: Prisma.TransactionClient, requestId: string, baseUrl: string): Promise<void> {
  const request = await tx.signUpRequest.findUnique({ where: { id: requestId } });
  // Gone or already sent: a delivery retried after its work was done.
  if (!request || request.tokenHash) return;
  const owner = await tx.user.findUnique({ where: { email: request.email } });
  if (owner) {
    await tx.signUpRequest.delete({ where: { id: request.id } });
    if (owner.status !== "ACTIVE") return;
    await queueEmail(tx, {
      userId: owner.id,
      to: request.email,
      subject: "Someone tried to create a Waymark account with your email",
      text: `Hello ${owner.name},\n\nSomeone (maybe you) tried to create a new Waymark account with this email address. You already have an account, so no second one was made and nothing changed on yours.\n\nIf it was you, sign in here:\n\n${baseUrl}/signin\n\nForgot your password? Choose a new one here:\n\n${baseUrl}/forgot-password\n\nIf it was not you, you can ignore this email.\n`,
    });
    return;
  }
  const token = crypto.randomBytes(32).toString("base64url");
  await tx.signUpRequest.update({ where: { id: request.id }, data: { tokenHash: sha256(token) } });
  await queueEmail(tx, {
    to: request.email,
    subject: "Finish creating your Waymark account",
    text: `Hello ${request.name},\n\nTo finish creating your Waymark account, open this link within 24 hours and enter the password you chose:\n\n${baseUrl}/signup/confirm/${token}\n\nIf you did not sign up, ignore this email: no account is made without it.\n`,
  });
}

/** The address a usable link would create an account for, or null. */
export async function signUpLinkEmail(db: Db, token: string): Promise<string | null> {
  const request = await db.signUpRequest.findUnique({ where: { tokenHash: sha256(token) }, select: { email: true, expiresAt: true } });
  return request && request.expiresAt > new Date() ? request.email : null;
}

export type SignUpConfirmResult =
  | { ok: true }
  | { ok: false; reason: "invalid_or_expired" | "wrong_password" | "email_taken" }
  | { ok: false; reason: "too_many_attempts"; retryAfterSeconds: number };

/**
 * Finishes a sign-up from the emailed link: the password chosen at sign-up, typed again, creates
 * the account (so a link opened by someone who did not choose it makes nothing), and the journey's
 * last step is recorded under the new account in the same transaction.
 */
export async function confirmSignUp(db: Db, token: string, password: string, trail: { actor: TrailActor; journeyId: string }): Promise<SignUpConfirmResult> {
  const request = await db.signUpRequest.findUnique({ where: { tokenHash: sha256(token) } });
  if (!request || request.expiresAt <= new Date()) return { ok: false, reason: "invalid_or_expired" };
  // Paid before the check, as at sign-in: whoever holds a link (their own, from a sign-up of
  // theirs) could otherwise guess without end, each guess an argon2 hash on the server.
  const budget = await spend(db, [["signup-confirm:link", request.id]]);
  if (!budget.ok) return { ok: false, reason: "too_many_attempts", retryAfterSeconds: budget.retryAfterSeconds };
  if (!(await verifyPassword(request.passwordHash, password))) return { ok: false, reason: "wrong_password" };
  try {
    return await db.$transaction(async (tx): Promise<SignUpConfirmResult> => {
      // Deleting claims the link: two submits at once make one account.
      const claimed = await tx.signUpRequest.deleteMany({ where: { id: request.id } });
      if (claimed.count !== 1) return { ok: false, reason: "invalid_or_expired" };
      // The account's analytics setting starts as the answer this visitor gave the banner: one who
      // declined, or was never asked in this browser, is not measured once signed in either (turned
      // on under Privacy, if they want).
      const user = await tx.user.create({ data: { name: request.name, email: request.email, passwordHash: request.passwordHash, role: "CUSTOMER", analyticsConsent: trail.actor.consent } });
      const actor = { ...trail.actor, userId: user.id, distinctId: user.analyticsId };
      // The link's page is done (the password matched), and the account step, which has no page of
      // its own, is reached and completed here, together: a visitor whose browser records nothing
      // before the analytics banner is answered still passes the email step in the funnel.
      const at = new Date();
      await recordStep(tx, actor, { journeyId: trail.journeyId, type: "signup", step: "email", action: "completed" }, new Date(at.getTime() - 2));
      await recordStep(tx, actor, { journeyId: trail.journeyId, type: "signup", step: "account", action: "completed" }, at);
      return { ok: true };
    });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    // The address got an account after this link was sent (another sign-up's link, used first).
    await db.$transaction(async (tx) => {
      await tx.signUpRequest.deleteMany({ where: { id: request.id } });
      await recordStep(tx, trail.actor, { journeyId: trail.journeyId, type: "signup", step: "email", action: "failed", errorCode: "email_taken" });
    });
    return { ok: false, reason: "email_taken" };
  }
}
