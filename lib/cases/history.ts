// What happened on a case while it waited, oldest first, as the agent reads it on the case: each
// time the customer accepted an agent's offer of help (kept on the offer). How the case ended is
// its outcome, not part of this (a declined offer that closed its case is said there).
import type { ReachOutStatus } from "@/lib/generated/prisma/client";

export type CaseHistoryEntry = { at: Date; text: string };

export function caseHistory(offers: { status: ReachOutStatus; answeredAt: Date | null }[]): CaseHistoryEntry[] {
  return offers
    .flatMap(({ status, answeredAt }) => (status === "ACCEPTED" && answeredAt ? [{ at: answeredAt, text: "Customer accepted the agent's offer of help" }] : []))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}
