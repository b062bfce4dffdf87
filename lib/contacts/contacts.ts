// Inbound contacts logged by agents, linked back to the journey the customer left (exited to a
// channel or abandoned) when that happened within the link window.
import { z } from "zod";
import { openCase } from "@/lib/cases/cases";
import { env } from "@/lib/config/env";
import type { Db } from "@/lib/db/client";
import { optionalText } from "@/lib/http/input";
import { orderNumberFrom } from "@/lib/orders/order-number";
import { LEAVE_REASON_CODES, type LeaveReason } from "@/lib/voice/reasons";
import { CONTACT_CHANNELS, CONTACT_NOTE_MAX_LENGTH, CONTACT_REASON_CODES, CONTACT_REASONS } from "./reasons";

export { CONTACT_CHANNELS, CONTACT_REASONS };

export const logContactSchema = z.object({
  customerId: z.string().min(1, "Choose the customer first.").max(40),
  channel: z.enum(CONTACT_CHANNELS, { message: "Choose the channel the customer used." }),
  reason: z.enum(CONTACT_REASON_CODES, { message: "Choose a reason." }),
  // Why they reached out, from the list customers tap as they leave: the two are counted together.
  trigger: z.enum(LEAVE_REASON_CODES, { message: "Choose what made the customer reach out." }),
  resolvedNeed: z.enum(["yes", "no"]).default("no").transform((v) => v === "yes"),
  note: optionalText(CONTACT_NOTE_MAX_LENGTH, `Keep the note to ${CONTACT_NOTE_MAX_LENGTH} characters or fewer.`),
});

export type LogContactInput = z.infer<typeof logContactSchema>;

export async function findCustomers(db: Db, query: string) {
  const q = query.trim();
  if (q.length < 3) return [];
  return db.user.findMany({
    where: { role: "CUSTOMER", status: "ACTIVE", OR: [{ email: { contains: q.toLowerCase() } }, { name: { contains: q, mode: "insensitive" } }, { orders: { some: { number: orderNumberFrom(q) ?? q.toUpperCase() } } }] },
    select: { id: true, name: true, email: true, analyticsId: true },
    take: 10,
    orderBy: { name: "asc" },
  });
}

/**
 * The customer a contact is logged for: one with an account, locked out of it or not. A deleted
 * account (its row kept, emptied) is nobody to log a call from, whatever id a link carries.
 */
export async function contactableCustomer(db: Db, id: string) {
  return db.user.findFirst({ where: { id, role: "CUSTOMER", status: { not: "DELETED" } }, select: { id: true, name: true } });
}

/**
 * Logs the contact and links it to the customer's latest exited or abandoned journey in the
 * window. A contact that did not settle the customer's need opens a case, so it joins the same
 * queue as every other channel.
 */
export async function logInboundContact(db: Db, agentId: string, input: LogContactInput, options: { now?: Date; windowHours?: number } = {}) {
  const customer = await contactableCustomer(db, input.customerId);
  if (!customer) return { ok: false as const, reason: "unknown_customer" as const };
  return { ok: true as const, ...(await linkContact(db, { ...input, customerId: customer.id, loggedById: agentId }, options)) };
}

export type InboundContact = {
  customerId: string | null;
  channel: (typeof CONTACT_CHANNELS)[number];
  reason: string;
  trigger: LeaveReason | null;
  resolvedNeed: boolean;
  /** What was said, as the agent wrote it down. */
  note?: string | null;
  loggedById?: string | null;
  /** The sender's id, for contacts that arrive by webhook: logged once. */
  externalId?: string;
};

/** Logs a contact from whichever side it came (an agent, a webhook), linked to the journey it came from. */
export async function linkContact(db: Db, input: InboundContact, options: { now?: Date; windowHours?: number } = {}) {
  const now = options.now ?? new Date();
  const windowStart = new Date(now.getTime() - (options.windowHours ?? env().CONTACT_LINK_WINDOW_HOURS) * 3600 * 1000);
  const journey = input.customerId
    ? await db.journey.findFirst({
        where: { userId: input.customerId, outcome: { in: ["EXITED", "ABANDONED", "FAILED"] }, endedAt: { gte: windowStart, lte: now } },
        orderBy: { endedAt: "desc" },
        select: { id: true, type: true, lastStep: true, exitChannel: true, endedAt: true },
      })
    : null;
  const contact = await db.contact.create({
    data: {
      userId: input.customerId,
      channel: input.channel,
      reason: input.reason,
      trigger: input.trigger,
      loggedById: input.loggedById ?? null,
      externalId: input.externalId ?? null,
      journeyId: journey?.id ?? null,
      resolvedNeed: input.resolvedNeed,
      note: input.note ?? null,
      createdAt: now,
    },
  });
  const followUp =
    input.resolvedNeed || !input.customerId
      ? null
      : await openCase(db, { userId: input.customerId, channel: input.channel, reason: `${input.reason}:inbound_${input.channel.toLowerCase()}`, journeyId: journey?.id ?? null, now });
  return { contact, journey, caseNumber: followUp?.number ?? null, joinedCase: followUp?.joined ?? false };
}
