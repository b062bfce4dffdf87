// The business events queued for the back office, as the tests read them.
import type { Db } from "@/lib/db/client";
import { BUSINESS_EVENT_TOPIC } from "@/lib/integrations/business-events";

/** The events queued about one case, oldest first: their types, a closing's with how it ended ("case.opened", "case.closed: offer_declined"). */
export async function caseEventsOf(db: Db, caseNumber: string): Promise<string[]> {
  const rows = await db.outboxMessage.findMany({ where: { topic: BUSINESS_EVENT_TOPIC, payload: { path: ["data", "caseNumber"], equals: caseNumber } }, orderBy: { createdAt: "asc" }, select: { payload: true } });
  return rows.map((r) => {
    const event = r.payload as { type: string; data: { outcome?: string } };
    return event.type === "case.closed" ? `${event.type}: ${event.data.outcome}` : event.type;
  });
}
