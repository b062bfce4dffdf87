// Budgets for what an attacker repeats: guessing passwords, flooding an inbox with reset or
// confirmation emails, creating accounts, opening cases. An action spends from every budget that
// applies (per account or address, and per client) BEFORE its work is done, so concurrent attempts
// cannot all slip through before the first one is counted.
//
// Stored by rate-limiter-flexible's PostgreSQL store: each spend is one
// INSERT … ON CONFLICT DO UPDATE … RETURNING, atomic, shared by every server process and kept
// across restarts. Keys are hashed, so the table holds no email or IP address.
import "server-only";
import crypto from "node:crypto";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { env } from "@/lib/config/env";
import type { Db } from "@/lib/db/client";

const MINUTE = 60;

/** Attempts allowed per window. Sign-in counts every attempt; a correct password refunds the client's. */
export const BUDGETS = {
  "signin:account": { points: 5, duration: 15 * MINUTE },
  // A browser the owner signed in from before (lib/auth/known-device.ts) pays from its own budget instead of the account's and the client's.
  "signin:device": { points: 5, duration: 15 * MINUTE },
  "signin:client": { points: 30, duration: 15 * MINUTE },
  "reauth:account": { points: 5, duration: 15 * MINUTE },
  "reset:address": { points: 3, duration: 60 * MINUTE },
  "reset:client": { points: 20, duration: 60 * MINUTE },
  "signup:address": { points: 3, duration: 60 * MINUTE },
  "signup:client": { points: 20, duration: 60 * MINUTE },
  // The password chosen at sign-up, typed again on the emailed link's page: guesses per link.
  "signup-confirm:link": { points: 5, duration: 15 * MINUTE },
  "email-change:account": { points: 5, duration: 60 * MINUTE },
  "email-change:address": { points: 3, duration: 60 * MINUTE },
  "email-change:client": { points: 20, duration: 60 * MINUTE },
  "contact:account": { points: 10, duration: 60 * MINUTE },
  "contact:client": { points: 30, duration: 60 * MINUTE },
  // Anonymous one-click unsubscribes (lib/notify/unsubscribe.ts): a mail client sends one per click.
  "unsubscribe:client": { points: 30, duration: 15 * MINUTE },
} as const;

export type BudgetName = keyof typeof BUDGETS;
/** One budget and whose it is (an account id, an email address or a client address). */
export type Charge = readonly [BudgetName, string];
export type SpendResult = { ok: true } | { ok: false; retryAfterSeconds: number };

const TABLE = "RateLimit";

/**
 * The PostgreSQL store speaks node-postgres' `query({ text, values })`; this runs its statements
 * through our one Prisma pool instead of a second pool. Its rows carry `expire` as a bigint.
 */
function storeOver(db: Db) {
  return {
    async query({ text, values = [] }: { text: string; values?: unknown[] }) {
      if (!/\bRETURNING\b|^\s*SELECT\b/i.test(text)) return { rows: [], rowCount: await db.$executeRawUnsafe(text, ...values) };
      const rows = await db.$queryRawUnsafe<{ points: number; expire: bigint | null }[]>(text, ...values);
      return { rows: rows.map((row) => ({ points: Number(row.points), expire: row.expire === null ? null : Number(row.expire) })), rowCount: rows.length };
    },
  };
}

/**
 * Per-client budgets scale with CLIENT_BUDGET_MULTIPLIER: for many real customers behind one address
 * (an office's NAT), or a browser test suite whose every browser is 127.0.0.1. Per-account and
 * per-address budgets never scale: they are what stops guessing one account.
 */
export function budgetPoints(budget: BudgetName, multiplier: number): number {
  return budget.endsWith(":client") ? BUDGETS[budget].points * multiplier : BUDGETS[budget].points;
}

/** A budget whose size is set at run time (e.g. from configuration) rather than in BUDGETS. */
export type SizedBudget = { name: string; points: number; duration: number };

function limiter(db: Db, budget: BudgetName | SizedBudget) {
  const { name, points, duration } =
    typeof budget === "string" ? { name: budget, duration: BUDGETS[budget].duration, points: budgetPoints(budget, env().CLIENT_BUDGET_MULTIPLIER) } : budget;
  return new RateLimiterPostgres({
    storeClient: storeOver(db),
    storeType: "client",
    tableName: TABLE,
    tableCreated: true, // by our migrations
    clearExpiredByTimeout: false, // clearExpiredBudgets() runs as a job instead of a timer per limiter
    keyPrefix: name,
    duration,
    points,
  });
}

const hashKey = (key: string) => crypto.createHash("sha256").update(key.toLowerCase()).digest("base64url");

/** Takes one attempt from every budget at once; refused when any of them is used up. */
export async function spend(db: Db, charges: readonly (Charge | readonly [SizedBudget, string])[]): Promise<SpendResult> {
  const outcomes = await Promise.allSettled(charges.map(([budget, key]) => limiter(db, budget).consume(hashKey(key))));
  let retryAfterMs = 0;
  for (const outcome of outcomes) {
    if (outcome.status === "fulfilled") continue;
    if (!(outcome.reason instanceof RateLimiterRes)) throw outcome.reason;
    retryAfterMs = Math.max(retryAfterMs, outcome.reason.msBeforeNext);
  }
  return retryAfterMs > 0 ? { ok: false, retryAfterSeconds: Math.ceil(retryAfterMs / 1000) } : { ok: true };
}

/** Gives one attempt back (a correct password is not a guess). */
export async function refund(db: Db, [budget, key]: Charge): Promise<void> {
  await limiter(db, budget).reward(hashKey(key), 1);
}

/** Forgets a budget's use, e.g. an account's failed sign-ins once its owner proved themselves. */
export async function clearBudget(db: Db, [budget, key]: Charge): Promise<void> {
  await limiter(db, budget).delete(hashKey(key));
}

/** Rows whose window ended an hour ago or more; run periodically. */
export async function clearExpiredBudgets(db: Db): Promise<number> {
  return db.$executeRawUnsafe(`DELETE FROM "${TABLE}" WHERE "expire" < $1`, Date.now() - 3_600_000);
}
