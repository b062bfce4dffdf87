// Secrets that arrive in a URL (the emailed password-reset and email-confirmation links, Stripe's
// return with its Checkout session id) are exchanged at once: a route handler puts the value in a
// short-lived httpOnly cookie scoped to the page that needs it and redirects to that page's clean
// URL. The page is never rendered with the secret in the address bar, so neither posthog-js
// ($current_url, $initial_current_url, $referrer…) nor the browser history ever holds it.
import "server-only";
import { cookies } from "next/headers";
import { z } from "zod";

const TOKEN = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/);

export const URL_SECRETS = {
  /** lib/accounts/accounts.ts emails `/reset-password/<token>`, valid for an hour. */
  "password-reset": { cookie: "waymark_reset_token", schema: TOKEN, maxAgeSeconds: 60 * 60 },
  /** lib/accounts/signup.ts emails `/signup/confirm/<token>`, valid for a day. */
  signup: { cookie: "waymark_signup_token", schema: TOKEN, maxAgeSeconds: 24 * 60 * 60 },
  /** lib/accounts/profile.ts emails `/account/confirm-email/<token>`, valid for a day. */
  "email-change": { cookie: "waymark_email_token", schema: TOKEN, maxAgeSeconds: 24 * 60 * 60 },
  /** Stripe Checkout fills `{CHECKOUT_SESSION_ID}` into our success_url. */
  "checkout-session": { cookie: "waymark_checkout_session", schema: z.string().regex(/^cs_[A-Za-z0-9_]{1,250}$/), maxAgeSeconds: 60 * 60 },
} as const;

export type UrlSecretKind = keyof typeof URL_SECRETS;

/**
 * The answer of an exchanging route handler: a redirect to `cleanPath` (same origin, no query) that
 * stores the secret for that path only. A value of the wrong shape is not stored: the page then
 * says the link is not valid, as it would for an expired one.
 */
export function exchangeUrlSecret(request: Request, kind: UrlSecretKind, value: string | null, cleanPath: string): Response {
  const secret = URL_SECRETS[kind];
  const headers = new Headers({ location: cleanPath, "cache-control": "no-store", "referrer-policy": "no-referrer" });
  const parsed = secret.schema.safeParse(value);
  const cookie = parsed.success
    ? `${secret.cookie}=${parsed.data}; Path=${cleanPath}; Max-Age=${secret.maxAgeSeconds}; HttpOnly; SameSite=Lax${isHttps(request) ? "; Secure" : ""}`
    : `${secret.cookie}=; Path=${cleanPath}; Max-Age=0; HttpOnly; SameSite=Lax`;
  headers.append("set-cookie", cookie);
  return new Response(null, { status: 303, headers });
}

/** Whether the browser asked over HTTPS: behind a TLS-terminating proxy the request arrives over HTTP with X-Forwarded-Proto: https. */
export function isHttps(request: Request): boolean {
  return new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
}

/** The exchanged secret for the page being served (server components and actions), or null. */
export async function urlSecret(kind: UrlSecretKind): Promise<string | null> {
  const secret = URL_SECRETS[kind];
  const parsed = secret.schema.safeParse((await cookies()).get(secret.cookie)?.value);
  return parsed.success ? parsed.data : null;
}

/** Once the secret is used up (password reset, email confirmed), it leaves the browser too. */
export async function forgetUrlSecret(kind: UrlSecretKind, cleanPath: string): Promise<void> {
  (await cookies()).set(URL_SECRETS[kind].cookie, "", { path: cleanPath, maxAge: 0, httpOnly: true, sameSite: "lax" });
}
