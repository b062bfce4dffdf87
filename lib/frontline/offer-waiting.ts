// Which offers of help still wait for their customer's answer: made, not yet answered, and recent
// enough that the moment has not passed. deliverOffer (./reach-out.ts) hands one over; the feed
// (./offer-feed.ts) asks which of its customers have one once it listens again.
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";

/** An offer not answered within this time is no longer shown: the moment has passed. */
export const OFFER_MINUTES = 30;

export function waitingOffers(now: Date): Prisma.ReachOutWhereInput {
  return { status: { in: ["OFFERED", "SHOWN"] }, createdAt: { gte: new Date(now.getTime() - OFFER_MINUTES * 60_000) } };
}

/** Those of these customers with an offer waiting, in one query however many they are. */
export async function customersWithOfferWaiting(db: Db, userIds: string[], now: Date = new Date()): Promise<string[]> {
  const rows = await db.reachOut.findMany({ where: { userId: { in: userIds }, ...waitingOffers(now) }, distinct: ["userId"], select: { userId: true } });
  return rows.map((row) => row.userId);
}
