// Store credit: an append-only ledger per customer and currency. The balance is the sum of the
// entries; spending locks the customer's row first, so two spends racing for the same balance are
// serialised and the balance can never go below zero. Every function takes the caller's
// transaction, so spending credit on a balance or an exchange is one transaction with it.
import { Prisma } from "@/lib/generated/prisma/client";
import { notify } from "@/lib/notify/notify";

type Tx = Prisma.TransactionClient;

export class InsufficientCreditError extends Error {
  constructor(readonly balanceMinor: number) {
    super("not enough store credit");
  }
}

export type CreditEntry = { userId: string; amountMinor: number; currency: string; reason: string; returnId?: string | null; orderId?: string | null };

export async function creditBalance(tx: Tx, userId: string, currency: string): Promise<number> {
  const sum = await tx.storeCreditEntry.aggregate({ where: { userId, currency }, _sum: { amountMinor: true } });
  return sum._sum.amountMinor ?? 0;
}

/** Every currency the customer holds credit in, with its balance (zero balances left out). */
export async function creditBalances(tx: Tx, userId: string): Promise<{ currency: string; balanceMinor: number }[]> {
  const [row] = await tx.$queryRaw<{ balances: { currency: string; balanceMinor: number }[] }[]>`SELECT ${creditBalancesJson(userId)} AS "balances"`;
  return row.balances;
}

/**
 * creditBalances as an SQL expression (a JSON array of { currency, balanceMinor }, by currency), so
 * a page can read the balances in the statement that reads the rest of what it shows.
 */
export function creditBalancesJson(userId: string): Prisma.Sql {
  return Prisma.sql`(SELECT coalesce(json_agg(json_build_object('currency', c."currency", 'balanceMinor', c."balance") ORDER BY c."currency"), '[]')
    FROM (SELECT e."currency", sum(e."amountMinor") AS "balance" FROM "StoreCreditEntry" e WHERE e."userId" = ${userId} GROUP BY e."currency" HAVING sum(e."amountMinor") <> 0) c)`;
}

async function lockCustomer(tx: Tx, userId: string) {
  await tx.$executeRaw`SELECT 1 FROM "User" WHERE "id" = ${userId} FOR UPDATE`;
}

/**
 * Adds credit and returns the new balance, without telling the customer: when the credit is part of
 * a business event that has its own message (a problem put right, a return received), that message
 * says it, with the balance, so one event is one message. Credit that is an event of its own goes
 * through grantCredit.
 */
export async function addCredit(tx: Tx, entry: CreditEntry): Promise<{ entryId: string; balanceMinor: number }> {
  if (!Number.isInteger(entry.amountMinor) || entry.amountMinor <= 0) throw new Error("store credit is added in positive whole minor units");
  await lockCustomer(tx, entry.userId);
  const created = await tx.storeCreditEntry.create({ data: { ...entry, returnId: entry.returnId ?? null, orderId: entry.orderId ?? null } });
  return { entryId: created.id, balanceMinor: await creditBalance(tx, entry.userId, entry.currency) };
}

/** Adds credit that is news of its own (an agent's goodwill, a waived fee) and tells the customer their new balance. */
export async function grantCredit(tx: Tx, entry: CreditEntry): Promise<{ entryId: string }> {
  const { entryId, balanceMinor } = await addCredit(tx, entry);
  await notify(tx, { type: "store_credit_granted", userId: entry.userId, eventKey: `credit:${entryId}`, data: { amountMinor: entry.amountMinor, currency: entry.currency, balanceMinor } });
  return { entryId };
}

/** Takes credit off the balance; throws InsufficientCreditError (and writes nothing) when it would go negative. */
export async function spendCredit(tx: Tx, entry: CreditEntry) {
  if (!Number.isInteger(entry.amountMinor) || entry.amountMinor <= 0) throw new Error("store credit is spent in positive whole minor units");
  await lockCustomer(tx, entry.userId);
  const balance = await creditBalance(tx, entry.userId, entry.currency);
  if (balance < entry.amountMinor) throw new InsufficientCreditError(balance);
  return tx.storeCreditEntry.create({ data: { ...entry, amountMinor: -entry.amountMinor, returnId: entry.returnId ?? null, orderId: entry.orderId ?? null } });
}
