// The in-portal message centre: the same messages the customer was sent by email or text (and
// those they chose not to get that way), newest first. Every query has the customer in its where
// clause, so another customer's message id finds nothing.
import type { Db } from "@/lib/db/client";
import { compose, type Composed, type Reader } from "./catalogue";
import { recordMessageEvent } from "./message-trail";

export const MESSAGES_SHOWN = 50;

export type CentreMessage = Composed & { id: string; createdAt: Date; read: boolean };

export async function customerMessages(db: Db, userId: string, reader: Reader): Promise<CentreMessage[]> {
  const rows = await db.notification.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, take: MESSAGES_SHOWN });
  return rows.map((row) => ({ id: row.id, createdAt: row.createdAt, read: row.readAt !== null, ...compose(row.type, row.data, reader) }));
}

/** Marks one of the customer's messages read and says where it leads; null when it is not theirs. */
export async function openMessage(db: Db, userId: string, id: string): Promise<string | null> {
  const row = await db.notification.findFirst({ where: { id, userId } });
  if (!row) return null;
  if (!row.readAt) await db.notification.updateMany({ where: { id, userId, readAt: null }, data: { readAt: new Date() } });
  // Read in the portal, and its link followed into the page it is about.
  await recordMessageEvent(db, { notificationId: id, action: "opened", channel: "portal" });
  await recordMessageEvent(db, { notificationId: id, action: "clicked", channel: "portal" });
  // Only the link is wanted: no date of it depends on the reader.
  return compose(row.type, row.data, { timeZone: null }).action.path;
}

export async function markAllRead(db: Db, userId: string): Promise<number> {
  return (await db.notification.updateMany({ where: { userId, readAt: null }, data: { readAt: new Date() } })).count;
}
