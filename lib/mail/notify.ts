// Tells a customer something by the channel they chose for order updates: email by default, a
// text message when they accepted SMS (queued for the SMS provider), nothing when they declined all.
import type { Prisma } from "@/lib/generated/prisma/client";
import { queueEmail } from "./outbox";

type Tx = Prisma.TransactionClient;

export async function notifyCustomer(tx: Tx, userId: string, message: { subject: string; text: string }) {
  const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true, phone: true, status: true } });
  if (!user || user.status !== "ACTIVE") return "none" as const;
  const choices = await tx.consentRecord.findMany({ where: { userId, purpose: "ORDER_UPDATES" }, orderBy: { createdAt: "desc" } });
  const latest = new Map<string, boolean>();
  for (const c of choices) if (!latest.has(c.channel)) latest.set(c.channel, c.granted);
  const emailOk = latest.get("EMAIL") ?? true;
  if (latest.get("SMS") && user.phone) {
    await tx.outboxMessage.create({ data: { topic: "notify.sms", dedupeKey: `sms:${userId}:${Date.now()}:${message.subject}`, payload: { to: user.phone, text: `${message.subject}. Details in your Waymark account.` } } });
    return "sms" as const;
  }
  if (emailOk && user.email) {
    await queueEmail(tx, { userId, to: user.email, subject: message.subject, text: message.text });
    return "email" as const;
  }
  return "none" as const;
}
