// The trail of a message: sent, opened and clicked, once each per channel (the row's id says which,
// so a redelivered email, a reloaded pixel or a second click records nothing more). Forwarded to
// PostHog for customers who allow analytics, with the message's type, channel and the journey it
// leads into: never an address, a number, a name or the message's words.
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { messageEventName, type MessageAction } from "@/lib/trail/journeys";
import { queueTrailEvents } from "@/lib/trail/store";
import { compose } from "./catalogue";
import { readMessageToken } from "./links";

type Tx = Prisma.TransactionClient;
export type TrailChannel = "email" | "sms" | "portal";

const KIND = { sent: "SENT", opened: "OPENED", clicked: "CLICKED" } as const;

/** A stable UUID for the PostHog copy, so a retry queues it once (the outbox is keyed on it). */
function uuidOf(key: string): string {
  const hex = crypto.createHash("sha256").update(key).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Records what happened to one message on one channel; false when it was already recorded (or the message is gone). */
export async function recordMessageEvent(db: Tx | Db, input: { notificationId: string; action: MessageAction; channel: TrailChannel; at?: Date }): Promise<boolean> {
  const id = `${input.notificationId}:${input.action}:${input.channel}`;
  const notification = await db.notification.findUnique({ where: { id: input.notificationId }, select: { type: true, data: true, user: { select: { analyticsId: true, analyticsConsent: true } } } });
  if (!notification) return false;
  const at = input.at ?? new Date();
  const created = await db.messageEvent.createMany({ data: [{ id, notificationId: input.notificationId, kind: KIND[input.action], channel: input.channel, at }], skipDuplicates: true });
  if (created.count === 0 || !notification.user.analyticsConsent) return created.count > 0;
  const journey = compose(notification.type, notification.data, { timeZone: null }).action.journey;
  const properties = { message_type: notification.type, channel: input.channel, ...(journey ? { journey_type: journey } : {}), source: "server" };
  await queueTrailEvents(db, [], [{ id: uuidOf(id), distinctId: notification.user.analyticsId, occurredAt: at, event: messageEventName(input.action), properties }]);
  return true;
}

/** A link in an email or text followed: the click is recorded, and the page it leads to returned (null for a forged token). */
export async function followMessageLink(db: Db, key: string, token: string): Promise<string | null> {
  const link = readMessageToken(key, token);
  if (!link) return null;
  const notification = await db.notification.findUnique({ where: { id: link.notificationId }, select: { type: true, data: true } });
  if (!notification) return null;
  await recordMessageEvent(db, { notificationId: link.notificationId, action: "clicked", channel: link.channel });
  return compose(notification.type, notification.data, { timeZone: null }).action.path;
}

/** The email's open pixel loaded: recorded only while the customer allows analytics (they may have changed their mind since it was sent). */
export async function recordEmailOpened(db: Db, key: string, token: string): Promise<void> {
  const link = readMessageToken(key, token);
  if (link?.channel !== "email") return;
  const notification = await db.notification.findUnique({ where: { id: link.notificationId }, select: { user: { select: { analyticsConsent: true } } } });
  if (notification?.user.analyticsConsent) await recordMessageEvent(db, { notificationId: link.notificationId, action: "opened", channel: "email" });
}
