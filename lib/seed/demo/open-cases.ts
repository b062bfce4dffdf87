// The demo's queue: a few cases still open, so an agent signing in to the demo finds work waiting.
// Opened (and taken) through the portal's own case functions, on the seeded customers' own orders
// and returns, found from the seeded data: the same seed gives the same cases, numbered alike.
import { takeCase } from "@/lib/cases/agent-actions";
import { openCase, type CaseNumberBytes } from "@/lib/cases/cases";
import type { Db } from "@/lib/db/client";
import { createRandom, deriveSeed } from "../random";
import { ADA, AGENT_USER_ID, GRACE } from "./accounts";

const MINUTE = 60_000;

/** A customer's latest order, the newest first (ties broken by number, so the choice never varies). */
async function latestOrder(db: Db, email: string) {
  return db.order.findFirst({ where: { user: { email } }, orderBy: [{ placedAt: "desc" }, { number: "asc" }], select: { id: true, userId: true } });
}

export async function seedOpenCases(db: Db, seed: number, now: Date): Promise<void> {
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * MINUTE);
  const random = createRandom(deriveSeed(seed, "open cases"));
  const numberBytes: CaseNumberBytes = (size) => Buffer.from(Array.from({ length: size }, () => random.int(0, 255)));

  // Waiting for an agent: Grace called about where her latest order is.
  const grace = await latestOrder(db, GRACE.email);
  if (grace?.userId) await openCase(db, { userId: grace.userId, channel: "PHONE", reason: "order_status:inbound_phone", orderId: grace.id, now: at(12), numberBytes });

  // In progress with the demo agent: Ada's chat about changing the address of her latest order.
  const ada = await latestOrder(db, ADA.email);
  if (ada?.userId) {
    const chat = await openCase(db, { userId: ada.userId, channel: "CHAT", reason: "change_address:inbound_chat", orderId: ada.id, now: at(35), numberBytes });
    await takeCase(db, chat.number, AGENT_USER_ID);
  }

  // About a return that carries a fee, still on its way back: its customer asked for a person from it.
  const withFee = await db.return.findFirst({
    where: { feeMinor: { gt: 0 }, status: { in: ["REQUESTED", "APPROVED", "IN_TRANSIT"] }, user: { role: "CUSTOMER", status: "ACTIVE" } },
    orderBy: [{ createdAt: "desc" }, { number: "asc" }],
    select: { id: true, orderId: true, userId: true },
  });
  if (withFee?.userId) await openCase(db, { userId: withFee.userId, channel: "PORTAL", reason: "talk_to_person", orderId: withFee.orderId, returnId: withFee.id, now: at(50), numberBytes });
}
