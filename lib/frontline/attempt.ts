// One attempt as an agent opens it from the live view: its steps in order, and whose it is.
import type { Db } from "@/lib/db/client";

/** The attempt with every step, and its customer's name (null for a visitor not signed in); null when there is no such attempt. */
export async function attemptForAgent(db: Db, journeyId: string) {
  return db.journey.findUnique({ where: { id: journeyId }, include: { events: { orderBy: [{ occurredAt: "asc" }, { receivedAt: "asc" }, { id: "asc" }] }, user: { select: { name: true } } } });
}
