// A call back is promised only with a number to call: the one the customer gives as they ask
// (kept on their profile if they say so), else the one on their profile or a saved address. A
// customer with none is asked for it; the promise used to go out to nobody (found by a walk).
import "server-only";
import { z } from "zod";
import { toE164 } from "@/lib/accounts/phone";
import type { Prisma } from "@/lib/generated/prisma/client";

type Tx = Prisma.TransactionClient;

export const callbackNumberSchema = z.object({
  callbackPhone: z.string().trim().max(40).optional().catch(undefined),
  savePhone: z.literal("on").optional().catch(undefined),
});

export type CallbackNumber = { ok: true; phone: string } | { ok: false; message: string };

export const ASK_FOR_NUMBER = "What number should we call you on? Enter it and press Call me back.";

/** The number to call: the one typed (saved to the profile if `save`), or one on file. */
export async function callbackNumber(tx: Tx, userId: string, given: z.output<typeof callbackNumberSchema>): Promise<CallbackNumber> {
  const addresses = await tx.address.findMany({ where: { userId, deletedAt: null }, orderBy: [{ isDefaultShipping: "desc" }, { createdAt: "asc" }], select: { phone: true, country: true } });
  if (given.callbackPhone) {
    const typed = toE164(given.callbackPhone, addresses[0]?.country ?? null);
    if (!typed.ok) return typed;
    if (given.savePhone) await tx.user.update({ where: { id: userId }, data: { phone: typed.e164 } });
    return { ok: true, phone: typed.e164 };
  }
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { phone: true } });
  const onFile = user.phone ?? addresses.find((a) => a.phone)?.phone;
  return onFile ? { ok: true, phone: onFile } : { ok: false, message: ASK_FOR_NUMBER };
}
