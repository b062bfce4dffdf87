// Tells a customer about a change, in the same transaction as the change. One message per
// business event: the message's key is the event's (e.g. "order:<id>:cancel:<journey>"), and the
// message centre's row is unique on it, so the event told twice (a replayed request, a retried
// webhook, two workers) queues nothing twice. The email and text message go out through the outbox
// (topics below), rendered by the worker; the message centre shows the row itself.
//
// Channels: the message centre always; email unless the customer turned the message's purpose
// (order updates, or for optional updates proactive notices) by email off; a text message when they
// turned it on by text and have a phone number. Security notices always go by email, whatever the
// preferences, and to any extra address given (the old sign-in email).
import type { Prisma } from "@/lib/generated/prisma/client";
import type { z } from "zod";
import { PREFERENCES } from "@/lib/privacy/preferences";
import type { PolicyRules } from "@/lib/returns/policy";
import { activePolicy } from "@/lib/returns/policy-store";
import { MESSAGE_TYPES, purposeOf, type MessageData, type MessageType } from "./catalogue";
import { recordMessageEvent } from "./message-trail";

type Tx = Prisma.TransactionClient;

export const NOTIFY_EMAIL_TOPIC = "notify.email";
export const NOTIFY_SMS_TOPIC = "notify.sms";

export type NotifyInput<T extends MessageType> = {
  type: T;
  userId: string;
  /** The business event that caused the message, unique per occurrence. */
  eventKey: string;
  data: MessageData<T>;
  /** Security notices only: more addresses that must hear of it (the old sign-in email). */
  alsoEmail?: string[];
};

export type NotifyResult = { queued: false } | { queued: true; notificationId: string; email: string[]; sms: boolean };

/** An account being deleted: its messages go, with their queued deliveries (which carry its address and number). */
export async function forgetMessages(tx: Tx, userId: string): Promise<void> {
  const ids = (await tx.notification.findMany({ where: { userId }, select: { id: true } })).map((n) => n.id);
  if (ids.length === 0) return;
  await tx.outboxMessage.deleteMany({
    where: { OR: ids.flatMap((id) => [{ dedupeKey: { startsWith: `${NOTIFY_EMAIL_TOPIC}:${id}:` } }, { dedupeKey: `${NOTIFY_SMS_TOPIC}:${id}` }]) },
  });
  await tx.notification.deleteMany({ where: { userId } });
}

export async function notify<T extends MessageType>(tx: Tx, input: NotifyInput<T>): Promise<NotifyResult> {
  const declaration = MESSAGE_TYPES[input.type];
  const user = await tx.user.findUnique({ where: { id: input.userId }, select: { email: true, phone: true, status: true, role: true } });
  if (!user || user.status !== "ACTIVE" || user.role !== "CUSTOMER") return { queued: false };
  const declared: { data: z.ZodType; fromPolicy?: (rules: PolicyRules) => object } = declaration;
  const fromPolicy = declared.fromPolicy?.((await activePolicy(tx)).rules) ?? {};
  const data = declared.data.parse({ ...input.data, ...fromPolicy }) as Prisma.InputJsonValue;
  const dedupeKey = `${input.type}:${input.eventKey}`;
  const created = await tx.notification.createMany({ data: [{ userId: input.userId, type: input.type, dedupeKey, data }], skipDuplicates: true });
  if (created.count === 0) return { queued: false };
  const { id } = await tx.notification.findUniqueOrThrow({ where: { dedupeKey }, select: { id: true } });
  // In the message centre from now on: sent on that channel.
  await recordMessageEvent(tx, { notificationId: id, action: "sent", channel: "portal" });

  // The current choice per channel is the latest record (lib/privacy/consents.ts); without one, the default.
  const purpose = purposeOf(input.type);
  const latest = await tx.consentRecord.findMany({ where: { userId: input.userId, purpose }, orderBy: { createdAt: "desc" }, distinct: ["channel"] });
  const granted = (channel: "EMAIL" | "SMS") => latest.find((c) => c.channel === channel)?.granted ?? PREFERENCES.some((p) => p.purpose === purpose && p.channel === channel && p.grantedByDefault);
  const email =
    declaration.channels.includes("email") && (declaration.security || granted("EMAIL"))
      ? [...new Set([user.email, ...(declaration.security ? (input.alsoEmail ?? []) : [])].filter((to): to is string => !!to))]
      : [];
  const sms = declaration.channels.includes("sms") && granted("SMS") && !!user.phone;
  await tx.outboxMessage.createMany({
    data: [
      ...email.map((to) => ({ topic: NOTIFY_EMAIL_TOPIC, dedupeKey: `${NOTIFY_EMAIL_TOPIC}:${id}:${to}`, payload: { notificationId: id, to } })),
      ...(sms ? [{ topic: NOTIFY_SMS_TOPIC, dedupeKey: `${NOTIFY_SMS_TOPIC}:${id}`, payload: { notificationId: id, to: user.phone } }] : []),
    ],
  });
  return { queued: true, notificationId: id, email, sms };
}
