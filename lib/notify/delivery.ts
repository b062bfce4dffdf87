// The worker's side of the notifications (lib/notify/notify.ts queues them): each outbox row is one
// message to one address, rendered from its notification when it is delivered.
// - "notify.email": rendered to HTML and plain text and handed to the email queue (EmailMessage,
//   sent over SMTP by the email job, shown by /dev/mailbox). Idempotent: the email row carries the
//   outbox row's key, so a redelivered render queues nothing twice.
// - "notify.sms": sent through the SMS provider, one row per claim, so a provider outage holds
//   messages back with backoff (then dead letters, replayed from /agent/outbox) and loses none.
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { sendSms, type SmsConfig } from "@/lib/integrations/sms";
import { deliverDue, type OutboxRow } from "@/lib/outbox/outbox";
import { compose, isMessageType, MESSAGE_TYPES } from "./catalogue";
import { renderEmail } from "./email";
import { clickUrl, openPixelUrl, type MessageLinks } from "./links";
import { recordMessageEvent } from "./message-trail";
import { unsubscribeHeaders, unsubscribeUrl, type OptionalPurpose } from "./unsubscribe";
import { NOTIFY_EMAIL_TOPIC, NOTIFY_SMS_TOPIC } from "./notify";

const payloadSchema = z.object({ notificationId: z.string(), to: z.string().min(1) });
// Queued before the message catalogue existed (nothing delivered them then): a ready-made text.
const readyTextSchema = z.object({ to: z.string().min(1), text: z.string().min(1) });

async function messageOf(db: Db, notificationId: string) {
  const notification = await db.notification.findUnique({ where: { id: notificationId }, include: { user: { select: { name: true, timeZone: true, analyticsConsent: true } } } });
  // Gone with a deleted account: there is nobody to tell any more.
  if (!notification || !isMessageType(notification.type)) return null;
  const declaration: { security: boolean; optional?: OptionalPurpose } = MESSAGE_TYPES[notification.type];
  const message = compose(notification.type, notification.data, { timeZone: notification.user.timeZone });
  return { notification, message, security: declaration.security, optional: declaration.optional ?? null };
}

export async function renderQueuedEmails(db: Db, rows: OutboxRow[], links: MessageLinks): Promise<void> {
  for (const row of rows) {
    const payload = payloadSchema.parse(row.payload);
    const found = await messageOf(db, payload.notificationId);
    if (!found) continue;
    const { notification } = found;
    // Optional updates can be stopped in one click, from the mail client or the email itself.
    const unsubscribe = found.optional ? unsubscribeUrl(links, notification.userId, found.optional) : null;
    const email = await renderEmail(found.message, {
      name: notification.user.name,
      baseUrl: links.baseUrl,
      url: clickUrl(links, notification.id, "email"),
      // Whether an email was opened is analytics: only asked of customers who allow it.
      openPixelUrl: notification.user.analyticsConsent ? openPixelUrl(links, notification.id) : null,
      security: found.security,
      unsubscribeUrl: unsubscribe,
    });
    const headers = unsubscribe ? unsubscribeHeaders(unsubscribe) : undefined;
    await db.emailMessage.createMany({ data: [{ userId: notification.userId, to: payload.to, ...email, headers, dedupeKey: row.dedupeKey }], skipDuplicates: true });
    await recordMessageEvent(db, { notificationId: notification.id, action: "sent", channel: "email" });
  }
}

export async function sendQueuedText(db: Db, row: OutboxRow, config: SmsConfig, links: MessageLinks): Promise<void> {
  const ready = readyTextSchema.safeParse(row.payload);
  if (ready.success) {
    await sendSms(config, { to: ready.data.to, body: ready.data.text });
    return;
  }
  const payload = payloadSchema.parse(row.payload);
  const found = await messageOf(db, payload.notificationId);
  if (!found) return;
  await sendSms(config, { to: payload.to, body: `${found.message.sms} ${clickUrl(links, found.notification.id, "sms")}` });
  await recordMessageEvent(db, { notificationId: found.notification.id, action: "sent", channel: "sms" });
}

/** One tick of the email job's first half: queued notification emails become emails. */
export async function deliverNotificationEmails(db: Db, links: MessageLinks) {
  return deliverDue(db, NOTIFY_EMAIL_TOPIC, (rows) => renderQueuedEmails(db, rows, links));
}

/** One tick of the text-message job: one message per claim, stopping at the first failure. */
export async function deliverNotificationTexts(db: Db, config: SmsConfig, links: MessageLinks) {
  return deliverDue(db, NOTIFY_SMS_TOPIC, ([row]) => sendQueuedText(db, row, config, links), 1);
}
