// A browser the account's owner has signed in from (OWASP's "device cookie"). A wrong password
// typed there counts against that browser's own budget, not the account's: five failures from
// anywhere else lock the account for 15 minutes, but not in the browser its owner already uses.
// The cookie names a random id and a digest of the account's email, signed; it says nothing
// readable about whose it is, and it is sent to the sign-in endpoints only (its path).
import crypto from "node:crypto";
import { deriveKey, signToken, verifyToken } from "@/lib/crypto/signed-token";

export const KNOWN_DEVICE_COOKIE = "waymark_device";
export const KNOWN_DEVICE_COOKIE_PATH = "/api/auth";
/** A year: a browser used less often than that is asked like any other. */
export const KNOWN_DEVICE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

const PURPOSE = "waymark known device v1";
const DEVICE_ID = /^[A-Za-z0-9_-]{22}$/;

function emailDigest(email: string): string {
  return crypto.createHash("sha256").update(email.trim().toLowerCase()).digest("base64url").slice(0, 22);
}

/** A new token for this browser, bound to the account that has just signed in on it. */
export function knownDeviceToken(secret: string, email: string): string {
  return signToken(deriveKey(secret, PURPOSE), `${crypto.randomBytes(16).toString("base64url")}.${emailDigest(email)}`);
}

/** The browser's id when its token was issued here for this account; null for any other token, or none. */
export function knownDeviceId(secret: string, token: string | null | undefined, email: string): string | null {
  const value = token ? verifyToken(deriveKey(secret, PURPOSE), token) : null;
  const [id, digest, ...rest] = value?.split(".") ?? [];
  return value && rest.length === 0 && DEVICE_ID.test(id ?? "") && digest === emailDigest(email) ? id : null;
}

/** The Set-Cookie header that makes this browser known for the account. */
export function knownDeviceCookie(token: string, secure: boolean): string {
  return `${KNOWN_DEVICE_COOKIE}=${token}; Path=${KNOWN_DEVICE_COOKIE_PATH}; Max-Age=${KNOWN_DEVICE_MAX_AGE_SECONDS}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}
