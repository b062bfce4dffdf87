// Inbound contacts logged by agents, linked back to the journey the customer left (exited to a
// channel or abandoned) when that happened within the link window.
import { z } from "zod";
import { openCase } from "@/lib/cases/cases";
import { env } from "@/lib/config/env";
import type { Db } from "@/lib/db/client";
import { CONTACT_CHANNELS, CONTACT_REASONS } from "./reasons";

export { CONTACT_CHANNELS, CONTACT_REASONS };

export const logContactSchema = z.object({
  customerId: z.string().min(1, "Choose the customer first.").max(40),
  channel: z.enum(CONTACT_CHANNELS, { message: "Choose the channel the customer used." }),
  reason: z.enum(Object.keys(CONTACT_REASONS) as [keyof typeof CONTACT_REASONS, ...(keyof typeof CONTACT_REASONS)[]], { message: "Choose a reason." }),
  resolvedNeed: z.enum(["yes", "no"]).default("no").transform((v) => v === "yes"),
});

export type LogContactInput = z.infer<typeof logContactSchema>;

export async function findCustomers(db: Db, query: string) {
  const q = query.trim();
  if (q.length < 3) return [];
  return db.user.findMany({
    where: { role: "CUSTOMER", status: "ACTIVE", OR: [{ email: { contains: q.toLowerCase() } }, { name: { contains: q, mode: "insensitive" } }, { orders: { some: { number: q.toUpperCase() } } }] },
    select: { id: true, name: true, email: true, analyticsId: true },
    take: 10,
    orderBy: { name: "asc" },
  });
}

/**
 * Logs the contact and links it to the customer's latest exited or abandoned journey in the
 * window. A contact that did not settle the customer's need opens a case, so it joins the same
 * queue as every other channel.
 */
export async function logInboundContact(db: Db, agentId: string, input: LogContactInput, options: { now?: Date; windowHours?: number } = {}) {
  const now = options.now ?? new Date();
  const windowStart = new Date(now.getTime() - (options.windowHours ?? env().CONTACT_LINK_WINDOW_HOURS) * 3600 * 1000);
  const customer = await db.user.findFirst({ where: { id: input.customerId, role: "CUSTOMER" }, select: { id: true } });
  if (!customer) return { ok: false as const, reason: "unknown_customer" as const };
  const journey = await db.journey.findFirst({
    where: { userId: customer.id, outcome: { in: ["EXITED", "ABANDONED", "FAILED"] }, endedAt: { gte: windowStart, lte: now } },
    orderBy: { endedAt: "desc" },
    select: { id: true, type: true, lastStep: true, exitChannel: true, endedAt: true },
  });
  const contact = await db.contact.create({
    data: { userId: customer.id, channel: input.channel, reason: input.reason, loggedById: agentId, journeyId: journey?.id ?? null, resolvedNeed: input.resolvedNeed, createdAt: now },
  });
  const followUp = input.resolvedNeed ? null : await openCase(db, { userId: customer.id, channel: input.channel, reason: `${input.reason}:inbound_${input.channel.toLowerCase()}`, journeyId: journey?.id ?? null, now });
  return { ok: true as const, contact, journey, caseNumber: followUp?.number ?? null };
}
