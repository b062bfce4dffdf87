// The session id the signed-in browser's cookie carries, read straight from the cookie.
// next-auth's getServerSession does the same and more on every request (runs its whole session
// route: decrypts the cookie, runs the callbacks, then encrypts a fresh cookie that a page cannot
// even set); a page only needs the id, which lib/auth/principal.ts then checks in the database.
// Decrypting costs a key derivation and a JWE decryption; a browser sends the same cookie on every
// request, so what a cookie decrypted to is remembered (until the cookie's own expiry) and the
// database check, which is what revocation relies on, still runs every time.
import "server-only";
import { cookies } from "next/headers";
import { decode } from "next-auth/jwt";
import { env } from "@/lib/config/env";

// next-auth's names for its cookie (the __Secure- one on https), possibly split into .0, .1, … chunks.
const COOKIE_NAMES = ["__Secure-next-auth.session-token", "next-auth.session-token"];

/** Cookies as next/headers and a route's NextRequest both hold them. */
export type CookieJar = { get(name: string): { value: string } | undefined };

function sessionToken(jar: CookieJar): string | null {
  for (const name of COOKIE_NAMES) {
    const whole = jar.get(name)?.value;
    if (whole) return whole;
    const chunks: string[] = [];
    for (let i = 0; jar.get(`${name}.${i}`); i++) chunks.push(jar.get(`${name}.${i}`)!.value);
    if (chunks.length) return chunks.join("");
  }
  return null;
}

// Enough for every browser signed in to one process at once; the oldest entry goes first.
const DECRYPTED_MAX = 5000;
const decrypted = new Map<string, { sid: string; expiresAtMs: number }>();

/** True when the request carries a session cookie at all (whether it is still good is another question). */
export function hasSessionCookie(jar: CookieJar): boolean {
  return sessionToken(jar) !== null;
}

/**
 * The cookie's session id, or null (no cookie, or one this server did not encrypt, or expired).
 * From the request being served, or from `jar` (a route handler's or proxy.ts's own request's cookies).
 */
export async function sessionIdFromCookie(jar?: CookieJar): Promise<string | null> {
  const token = sessionToken(jar ?? (await cookies()));
  const secret = env().NEXTAUTH_SECRET;
  if (!token || !secret) return null;
  const key = `${secret}\0${token}`;
  const known = decrypted.get(key);
  if (known && known.expiresAtMs > Date.now()) return known.sid;
  decrypted.delete(key);
  // Any cookie is authenticated by its encryption with our secret, whichever name it came under.
  const payload = await decode({ token, secret }).catch(() => null);
  if (typeof payload?.sid !== "string") return null;
  if (typeof payload.exp === "number") {
    if (decrypted.size >= DECRYPTED_MAX) decrypted.delete(decrypted.keys().next().value!);
    decrypted.set(key, { sid: payload.sid, expiresAtMs: payload.exp * 1000 });
  }
  return payload.sid;
}
