// Deterministic demo data: what product teams see on first start. The same seed gives the same
// people, catalogue and order histories; only `now` moves, and every date is relative to it.
// Rows are built in memory first (ids are ours, so children reference parents without round
// trips), then inserted with createMany in one transaction, so a failed seed leaves nothing behind.
import { hashPassword } from "@/lib/auth/password";
import { refreshInsights } from "@/lib/insights/refresh";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { seedTrailHistory, trailCustomers } from "./trail";
import { AGENT_USER_ID } from "./demo/accounts";
import { noticeHistory } from "./demo/notices";
import { seedOpenCases } from "./demo/open-cases";
import { buildDemoRows } from "./demo/rows";
import { storeTrailEvents } from "@/lib/trail/store";

export const DEMO_PASSWORD = "waymark-demo";

export { DEMO_ACCOUNTS } from "./demo/accounts";
export { MANY_ORDERS_EMAIL } from "./demo/rows";

/** `manyOrders`: one more customer (MANY_ORDERS_EMAIL) with that many orders, for `npm run bench`. */
export type SeedOptions = { seed?: number; customers?: number; now?: Date; manyOrders?: number };
export type SeedResult = { customers: number; orders: number; durationMs: number };

export async function isSeeded(db: PrismaClient): Promise<boolean> {
  return (await db.user.findFirst({ select: { id: true } })) !== null;
}

export async function seedDemoData(db: PrismaClient, opts: SeedOptions = {}): Promise<SeedResult> {
  const started = performance.now();
  // argon2 is deliberately slow (~60 ms), so every seeded account shares one hash.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const seed = opts.seed ?? 42;
  const now = opts.now ?? new Date();
  const rows = buildDemoRows({
    seed,
    customerCount: opts.customers ?? 300,
    now,
    passwordHash,
    manyOrders: opts.manyOrders,
  });
  await db.$transaction(
    async (tx) => {
      // Parents before children: foreign keys are checked per statement.
      await insertInBatches(rows.users, (data) => tx.user.createMany({ data }));
      await insertInBatches(rows.addresses, (data) => tx.address.createMany({ data }));
      await insertInBatches(rows.products, (data) => tx.product.createMany({ data }));
      await insertInBatches(rows.variants, (data) => tx.variant.createMany({ data }));
      await insertInBatches(rows.orders, (data) => tx.order.createMany({ data }));
      await insertInBatches(rows.orderLines, (data) => tx.orderLine.createMany({ data }));
      await insertInBatches(rows.orderStatusChanges, (data) => tx.orderStatusChange.createMany({ data }));
      await insertInBatches(rows.shipments, (data) => tx.shipment.createMany({ data }));
      await insertInBatches(rows.shipmentEvents, (data) => tx.shipmentEvent.createMany({ data }));
      await insertInBatches(rows.payments, (data) => tx.payment.createMany({ data }));
      await insertInBatches(rows.returns, (data) => tx.return.createMany({ data }));
      await insertInBatches(rows.returnLines, (data) => tx.returnLine.createMany({ data }));
      await insertInBatches(rows.returnStatusChanges, (data) => tx.returnStatusChange.createMany({ data }));
      await insertInBatches(rows.refunds, (data) => tx.refund.createMany({ data }));
      await insertInBatches(rows.storeCredit, (data) => tx.storeCreditEntry.createMany({ data }));
      // Months of digital trail behind the analyst pages (lib/seed/trail.ts).
      await seedTrailHistory(tx, { seed, now, customers: trailCustomers(rows.users), agentId: AGENT_USER_ID });
      await seedNoticeHistory(tx, seed, now, rows);
    },
    { maxWait: 30_000, timeout: 10 * 60_000 },
  );
  // After the rows are in: a case is opened as the portal opens one, reading the customer's risk.
  await seedOpenCases(db, seed, now);
  // The analyst pages read rollups of that trail: count it now, not in the first minutes after start.
  await refreshInsights(db);
  return {
    customers: rows.users.filter((u) => u.role === "CUSTOMER").length,
    orders: rows.orders.length,
    durationMs: Math.round(performance.now() - started),
  };
}

// Keeps each INSERT well under PostgreSQL's 65,535 bind parameters (the widest table has ~20 columns).
/** Late deliveries in the history, told or held out, and what their customers did next (lib/seed/demo/notices.ts). */
async function seedNoticeHistory(tx: Prisma.TransactionClient, seed: number, now: Date, rows: ReturnType<typeof buildDemoRows>) {
  const delivered = new Map(rows.shipments.flatMap((s) => (s.deliveredAt ? [[s.orderId, new Date(s.deliveredAt)] as const] : [])));
  const orders = rows.orders.flatMap((o) => {
    const deliveredAt = o.id ? delivered.get(o.id) : undefined;
    return o.id && o.userId && deliveredAt ? [{ id: o.id, userId: o.userId, promisedDeliveryAt: new Date(o.promisedDeliveryAt), deliveredAt }] : [];
  });
  const customers = new Map(trailCustomers(rows.users).map((c) => [c.id, c]));
  const history = noticeHistory(seed, now, orders, customers);
  await insertInBatches(history.notices, (data) => tx.proactiveNotice.createMany({ data }));
  await insertInBatches(history.events, (batch) => storeTrailEvents(tx, batch));
  await insertInBatches(history.contacts, (data) => tx.contact.createMany({ data }));
}

const BATCH_ROWS = 1000;

async function insertInBatches<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH_ROWS) await insert(rows.slice(i, i + BATCH_ROWS));
}
