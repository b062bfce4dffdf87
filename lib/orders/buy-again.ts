// "Buy again" on a delivered order. The portal takes no new orders (they come from the shop and the
// back office), so buying again is said as it is: the items with today's price and stock, and a
// request a person acts on (a case on the agent desk), who confirms price and delivery with the
// customer before anything is charged.
import "server-only";
import type { Db } from "@/lib/db/client";
import { openCase } from "@/lib/cases/cases";

export const BUY_AGAIN_REASON = "buy_again";

/** The delivered order's items as they are sold today; null when it is not the customer's delivered order. */
export async function buyAgainItems(db: Db, userId: string, orderNumber: string) {
  const order = await db.order.findFirst({
    where: { number: orderNumber, userId, status: "DELIVERED" },
    select: {
      id: true,
      number: true,
      lines: { orderBy: { id: "asc" }, select: { id: true, productName: true, category: true, quantity: true, variant: { select: { label: true, priceMinor: true, currency: true, stock: true, reserved: true } } } },
    },
  });
  if (!order) return null;
  return {
    ...order,
    lines: order.lines.map(({ variant, ...line }) => ({ ...line, label: variant.label, priceMinor: variant.priceMinor, currency: variant.currency, inStock: variant.stock - variant.reserved >= line.quantity })),
  };
}

export type BuyAgainOutcome = { ok: true; caseNumber: string; joined: boolean } | { ok: false; code: "order_not_found" };

/** Asks for the order again: one open request per order, so a second click joins the first. */
export async function askToBuyAgain(db: Db, userId: string, orderNumber: string): Promise<BuyAgainOutcome> {
  const order = await db.order.findFirst({ where: { number: orderNumber, userId, status: "DELIVERED" }, select: { id: true } });
  if (!order) return { ok: false, code: "order_not_found" };
  const waiting = await db.case.findFirst({ where: { userId, orderId: order.id, reason: BUY_AGAIN_REASON, status: { in: ["OPEN", "IN_PROGRESS"] } }, select: { number: true } });
  if (waiting) return { ok: true, caseNumber: waiting.number, joined: true };
  const opened = await openCase(db, { userId, channel: "PORTAL", reason: BUY_AGAIN_REASON, orderId: order.id });
  return { ok: true, caseNumber: opened.number, joined: false };
}
