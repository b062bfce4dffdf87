// One attempt as an agent opens it from the live view: its steps in order, and whose it is.
import type { Db } from "@/lib/db/client";
import { deletedDistinctIds } from "@/lib/privacy/deletion";

/**
 * Those of these attempts (of no account now) whose customer has since deleted their account. The
 * deletion detached their attempts, as a visitor's never had an account, but the analytics id their
 * steps were sent under stays with the emptied account (late events still find it and stay out of
 * PostHog): that the attempt was a customer's is all it tells, never who they were.
 */
export async function attemptsOfDeletedAccounts(db: Db, journeyIds: string[]): Promise<Set<string>> {
  if (journeyIds.length === 0) return new Set();
  const sentBy = await db.trailEvent.findMany({ where: { journeyId: { in: journeyIds } }, distinct: ["journeyId", "distinctId"], select: { journeyId: true, distinctId: true } });
  const deleted = await deletedDistinctIds(db, sentBy.map((e) => e.distinctId));
  return new Set(sentBy.filter((e) => deleted.has(e.distinctId)).map((e) => e.journeyId));
}

/** The attempt with every step, and its customer's name (null for a visitor or a deleted account); null when there is no such attempt. */
export async function attemptForAgent(db: Db, journeyId: string) {
  const attempt = await db.journey.findUnique({ where: { id: journeyId }, include: { events: { orderBy: [{ occurredAt: "asc" }, { receivedAt: "asc" }, { id: "asc" }] }, user: { select: { name: true } } } });
  if (!attempt) return null;
  const accountDeleted = !attempt.user && (await attemptsOfDeletedAccounts(db, [attempt.id])).size > 0;
  return { ...attempt, accountDeleted };
}
