// The customer-facing answer to an attempt refused by a budget (lib/auth/rate-limit.ts). Plain, so
// the sign-in form in the browser can use it too.
import { countOf } from "@/lib/format/plural";

export function retryAfterMinutes(retryAfterSeconds: number): number {
  return Math.max(1, Math.ceil(retryAfterSeconds / 60));
}

/** "Too many attempts. For your security, try again in 12 minutes, or reset your password." */
export function tooManyAttemptsMessage(retryAfterSeconds: number, otherWay?: string): string {
  const minutes = retryAfterMinutes(retryAfterSeconds);
  return `Too many attempts. For your security, try again in ${countOf(minutes, "minute")}${otherWay ? `, or ${otherWay}` : ""}.`;
}
