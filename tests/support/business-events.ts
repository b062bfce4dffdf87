// The business events queued for the back office, as the tests read them.
import type { Db } from "@/lib/db/client";
import { BUSINESS_EVENT_TOPIC } from "@/lib/integrations/business-events";

/** The types of the events queued about one case, oldest first ("case.opened", "case.closed"). */
export async function caseEventsOf(db: Db, caseNumber: string): Promise<string[]> {
  const rows = await db.outboxMessage.findMany({ where: { topic: BUSINESS_EVENT_TOPIC, payload: { path: ["data", "caseNumber"], equals: caseNumber } }, orderBy: { createdAt: "asc" }, select: { payload: true } });
  return rows.map((r) => (r.payload as { type: string }).type);
}
