// The order or return a customer's page was about when they asked for a person from it, as the
// case they open names it for the agent ('About order WM-…'). The numbers come from the page (its
// form, or the address its trail steps were sent from), so only the customer's own are taken: a
// number naming someone else's order finds nothing.
import { z } from "zod";
import type { Db } from "@/lib/db/client";

export const pageSubjectSchema = z.object({ orderNumber: z.string().max(40).optional(), returnNumber: z.string().max(40).optional() });

export type PageSubject = z.infer<typeof pageSubjectSchema>;

export type CaseSubject = { orderId: string | null; returnId: string | null };

/** Whether two requests can be about one thing: neither names an order, or a return, other than the other's. */
export function sameSubject(a: CaseSubject, b: CaseSubject): boolean {
  const differ = (x: string | null, y: string | null) => x !== null && y !== null && x !== y;
  return !differ(a.orderId, b.orderId) && !differ(a.returnId, b.returnId);
}

/** What two such requests say together: the order and return either of them named. */
export function jointSubject(a: CaseSubject, b: CaseSubject): CaseSubject {
  return { orderId: a.orderId ?? b.orderId, returnId: a.returnId ?? b.returnId };
}

/** The ids a case stores for what the page was about; a return brings its order. */
export async function customersOwnSubject(db: Db, userId: string, page: PageSubject): Promise<CaseSubject> {
  const ret = page.returnNumber ? await db.return.findFirst({ where: { number: page.returnNumber, userId }, select: { id: true, orderId: true } }) : null;
  if (ret) return { orderId: ret.orderId, returnId: ret.id };
  const order = page.orderNumber ? await db.order.findFirst({ where: { number: page.orderNumber, userId }, select: { id: true } }) : null;
  return { orderId: order?.id ?? null, returnId: null };
}

// As the trail keeps a browser step's page (lib/trail/page-subject.ts); anything else names nothing.
const stepPageSchema = z
  .object({ order_number: z.string().max(40).optional(), return_number: z.string().max(40).optional() })
  .transform(({ order_number, return_number }): PageSubject => ({ orderNumber: order_number, returnNumber: return_number }))
  .catch({});

/**
 * What an attempt was about, for a case opened on it from outside the customer's page (an agent's
 * offer of help): the order or return of the last page its steps were sent from that was about one.
 */
export async function attemptSubject(db: Db, userId: string, journeyId: string): Promise<CaseSubject> {
  const [latest] = await db.$queryRaw<{ properties: unknown }[]>`
    SELECT "properties" FROM "TrailEvent"
    WHERE "journeyId" = ${journeyId} AND ("properties" ->> 'order_number' IS NOT NULL OR "properties" ->> 'return_number' IS NOT NULL)
    ORDER BY "occurredAt" DESC LIMIT 1`;
  return customersOwnSubject(db, userId, stepPageSchema.parse(latest?.properties ?? {}));
}
