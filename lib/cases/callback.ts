// A call back is promised only with a number to call: the one the customer gives as they ask
// (kept on their profile if they say so), else the one on their profile or a saved address. A
// customer with none is asked for it; the promise used to go out to nobody (found by a walk).
import "server-only";
import { z } from "zod";
import { formatPhone, toE164 } from "@/lib/accounts/phone";
import { phoneCountryOf } from "@/lib/accounts/phone-country";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { JourneyType } from "@/lib/trail/journeys";

type Tx = Prisma.TransactionClient;

export const callbackNumberSchema = z.object({
  callbackPhone: z.string().trim().max(40).optional().catch(undefined),
  savePhone: z.literal("on").optional().catch(undefined),
});

export type CallbackNumber = { ok: true; phone: string } | { ok: false; message: string };

export const ASK_FOR_NUMBER = "What number should we call you on? Enter it and press Call me back.";

/** The number to call: the one typed (saved to the profile if `save`), or one on file. */
export async function callbackNumber(tx: Tx, userId: string, given: z.output<typeof callbackNumberSchema>): Promise<CallbackNumber> {
  if (given.callbackPhone) {
    const typed = toE164(given.callbackPhone, await phoneCountryOf(tx, userId));
    if (!typed.ok) return typed;
    if (given.savePhone) await tx.user.update({ where: { id: userId }, data: { phone: typed.e164 } });
    return { ok: true, phone: typed.e164 };
  }
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { phone: true } });
  const addresses = await tx.address.findMany({ where: { userId, deletedAt: null, phone: { not: null } }, orderBy: [{ isDefaultShipping: "desc" }, { createdAt: "asc" }], select: { phone: true } });
  const onFile = user.phone ?? addresses[0]?.phone;
  return onFile ? { ok: true, phone: onFile } : { ok: false, message: ASK_FOR_NUMBER };
}

/** What the customer is told once a call back is booked. */
export function callbackPromise(phone: string, caseNumber: string): string {
  return `We will call you on ${formatPhone(phone)} within the hour (case ${caseNumber}).`;
}

const PROMISED_WITHIN_MS = 60 * 60_000;

/**
 * The promise said again while the case is open: past the hour it gave, it no longer says "within
 * the hour" (a page three hours later promised the hour again) but owns up to the wait.
 */
export function callbackPromiseAgain(phone: string, caseNumber: string, bookedAt: Date, now: Date): string {
  if (now.getTime() - bookedAt.getTime() <= PROMISED_WITHIN_MS) return callbackPromise(phone, caseNumber);
  return `You asked us to call you on ${formatPhone(phone)} (case ${caseNumber}). It is taking longer than the hour we said: a person will call you as soon as one is free.`;
}

/**
 * The call back already promised for this task (asked from any of its attempts), while its case is
 * open: help in place says it again rather than offer "Call me back" a second time.
 */
export async function promisedCallback(db: Db, userId: string, type: JourneyType, now: Date = new Date()): Promise<string | null> {
  const [promised] = await db.$queryRaw<{ number: string; callbackPhone: string; createdAt: Date }[]>`
    SELECT c."number", c."callbackPhone", c."createdAt" FROM "Case" c JOIN "Journey" j ON j."id" = c."journeyId"
    WHERE c."userId" = ${userId} AND c."callbackPhone" IS NOT NULL AND c."status" IN ('OPEN', 'IN_PROGRESS')
      AND j."userId" = ${userId} AND j."type" = ${type}
    ORDER BY c."createdAt" DESC LIMIT 1`;
  return promised ? callbackPromiseAgain(promised.callbackPhone, promised.number, promised.createdAt, now) : null;
}
