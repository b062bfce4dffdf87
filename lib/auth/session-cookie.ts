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
import { env, publicUrl } from "@/lib/config/env";

/**
 * The one name next-auth gives its cookie here, possibly split into .0, .1, … chunks: the
 * __Secure- one when the portal's public URL is https. Only that one: a portal on https that also
 * took the plain name would take a cookie planted over plain http (a network on the way, before
 * the browser knew to use https) and sign a signed-out browser in to the planter's account, or keep
 * it there after signing out of its own.
 */
function cookieName(): string {
  return publicUrl().startsWith("https://") ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}

/** Cookies as next/headers and a route's NextRequest both hold them. */
export type CookieJar = { get(name: string): { value: string } | undefined };

function sessionToken(jar: CookieJar): string | null {
  const name = cookieName();
  const whole = jar.get(name)?.value;
  if (whole) return whole;
  const chunks: string[] = [];
  for (let i = 0; jar.get(`${name}.${i}`); i++) chunks.push(jar.get(`${name}.${i}`)!.value);
  return chunks.length ? chunks.join("") : null;
}

// Enough for every browser signed in to one process at once; the oldest entry goes first.
const DECRYPTED_MAX = 5000;
const decrypted = new Map<string, { sid: string; expiresAtMs: number }>();

/** True when a response opens a session: it sets the session cookie (next-auth's answer to a right password). */
export function opensSession(responseHeaders: Headers): boolean {
  const name = cookieName();
  return responseHeaders.getSetCookie().some((cookie) => cookie.startsWith(`${name}=`) || cookie.startsWith(`${name}.0=`));
}

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
  const payload = await decode({ token, secret }).catch(() => null);
  if (typeof payload?.sid !== "string") return null;
  if (typeof payload.exp === "number") {
    if (decrypted.size >= DECRYPTED_MAX) decrypted.delete(decrypted.keys().next().value!);
    decrypted.set(key, { sid: payload.sid, expiresAtMs: payload.exp * 1000 });
  }
  return payload.sid;
}
