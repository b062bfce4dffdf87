// The sign-in failures next-auth carries back to the form as `error`, and their words.
import { tooManyAttemptsMessage } from "./too-many-attempts";

export const SIGN_IN_ERRORS = { invalid: "CredentialsSignin", rateLimitedPrefix: "rate_limited:" } as const;

const WRONG_CREDENTIALS = "That email and password do not match an account. Check them and try again.";

/** `rate_limited:<seconds>` (thrown by authorize()) for a throttled attempt; anything else is a wrong email or password. */
export function signInErrorMessage(error: string | null | undefined): string {
  const throttledFor = error?.startsWith(SIGN_IN_ERRORS.rateLimitedPrefix) ? Number(error.slice(SIGN_IN_ERRORS.rateLimitedPrefix.length)) : NaN;
  return Number.isFinite(throttledFor) ? tooManyAttemptsMessage(throttledFor, "reset your password") : WRONG_CREDENTIALS;
}
