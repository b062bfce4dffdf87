// Values the portal hands out and later takes back from anyone (links in messages, a browser's
// device cookie): `value.signature`, signed with a key derived per purpose from NEXTAUTH_SECRET, so
// the session secret itself never signs anything else and one purpose's token is no other's.
import crypto from "node:crypto";

/** The signing key for one purpose, derived from the portal's secret. */
export function deriveKey(secret: string, purpose: string): string {
  return crypto.createHmac("sha256", secret).update(purpose).digest("base64url");
}

function signature(key: string, value: string): string {
  return crypto.createHmac("sha256", key).update(value).digest("base64url").slice(0, 22);
}

/** `value.signature`, where value holds no secret: only ids and codes. */
export function signToken(key: string, value: string): string {
  return `${value}.${signature(key, value)}`;
}

/** The signed value of a token, or null when it was not signed with this key. */
export function verifyToken(key: string, token: string): string | null {
  const cut = token.lastIndexOf(".");
  if (cut <= 0 || token.length > 200) return null;
  const value = token.slice(0, cut);
  const given = Buffer.from(token.slice(cut + 1));
  const expected = Buffer.from(signature(key, value));
  return given.length === expected.length && crypto.timingSafeEqual(given, expected) ? value : null;
}
