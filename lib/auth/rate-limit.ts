import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import type { Db } from "@/lib/db/client";

// Stored in PostgreSQL so the limits hold across server processes and restarts.
// Per account: 5 failures in 15 minutes; per IP: 30 failures in 15 minutes (shared offices, NAT).
const WINDOW_SECONDS = 15 * 60;

export class TooManyAttemptsError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super("too many sign-in attempts");
  }
}

export function signInLimiter(db: Db) {
  const account = new RateLimiterPrisma({ storeClient: db, tableName: "rateLimiterFlexible", keyPrefix: "signin:account", points: 5, duration: WINDOW_SECONDS, clearExpiredByTimeout: false });
  const ip = new RateLimiterPrisma({ storeClient: db, tableName: "rateLimiterFlexible", keyPrefix: "signin:ip", points: 30, duration: WINDOW_SECONDS, clearExpiredByTimeout: false });
  const keys = (email: string, clientIp: string) => [
    [account, email.toLowerCase()],
    [ip, clientIp],
  ] as const;

  return {
    /** Throws TooManyAttemptsError when either limit is already used up. */
    async assertAllowed(email: string, clientIp: string) {
      for (const [limiter, key] of keys(email, clientIp)) {
        const state = await limiter.get(key);
        if (state && state.consumedPoints >= limiter.points) throw new TooManyAttemptsError(Math.ceil(state.msBeforeNext / 1000));
      }
    },
    async recordFailure(email: string, clientIp: string) {
      for (const [limiter, key] of keys(email, clientIp)) {
        await limiter.consume(key).catch((e: unknown) => {
          if (!(e instanceof RateLimiterRes)) throw e;
        });
      }
    },
    async recordSuccess(email: string) {
      await account.delete(email.toLowerCase());
    },
  };
}
