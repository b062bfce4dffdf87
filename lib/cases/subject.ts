// The order or return a customer's page was about when they asked for a person from it, as the
// case they open names it for the agent ('About order WM-…'). The numbers come from the page, so
// only the customer's own are taken: a number naming someone else's order finds nothing.
import { z } from "zod";
import type { Db } from "@/lib/db/client";

export const pageSubjectSchema = z.object({ orderNumber: z.string().max(40).optional(), returnNumber: z.string().max(40).optional() });

export type PageSubject = z.infer<typeof pageSubjectSchema>;

/** The ids a case stores for what the page was about; a return brings its order. */
export async function customersOwnSubject(db: Db, userId: string, page: PageSubject): Promise<{ orderId: string | null; returnId: string | null }> {
  const ret = page.returnNumber ? await db.return.findFirst({ where: { number: page.returnNumber, userId }, select: { id: true, orderId: true } }) : null;
  if (ret) return { orderId: ret.orderId, returnId: ret.id };
  const order = page.orderNumber ? await db.order.findFirst({ where: { number: page.orderNumber, userId }, select: { id: true } }) : null;
  return { orderId: order?.id ?? null, returnId: null };
}
