// Who is asking, checked against the database on every request (not only the cookie).
import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { findLiveSession } from "@/lib/accounts/sessions";
import { db } from "@/lib/db/client";
import { sessionIdFromCookie } from "./session-cookie";

export type Principal = {
  userId: string;
  sessionId: string;
  role: "CUSTOMER" | "AGENT" | "ANALYST";
  name: string;
  email: string | null;
  analyticsId: string;
  analyticsConsent: boolean;
  /** The IANA zone dates are shown in; null until the browser has told us (lib/format/date.ts then uses the store's). */
  timeZone: string | null;
  /** Customers' unread messages for the header (0 for staff), read with the session in one query. */
  unreadMessages: number;
};

export const currentPrincipal = cache(async (): Promise<Principal | null> => principalOfSession(await sessionIdFromCookie()));

/** The same check for the page policy (lib/http/page-policy.ts), which has the request's cookies but renders nothing. */
export async function principalFromCookies(jar: Parameters<typeof sessionIdFromCookie>[0]): Promise<Principal | null> {
  return principalOfSession(await sessionIdFromCookie(jar));
}

/** The same check again for a session already read from its cookie, by what outlives its request (an offer stream). */
export async function principalOfSession(sessionId: string | null): Promise<Principal | null> {
  if (!sessionId) return null;
  const live = await findLiveSession(db(), sessionId);
  if (!live) return null;
  const { user } = live;
  return {
    userId: user.id,
    sessionId,
    role: user.role,
    name: user.name,
    email: user.email,
    analyticsId: user.analyticsId,
    analyticsConsent: user.analyticsConsent,
    timeZone: user.timeZone,
    unreadMessages: live.unreadMessages,
  };
}

/**
 * The address a page request asked for (path and query), which the page policy passes on to the
 * app (lib/http/page-policy.ts): a layout is not told it, and a layout's sign-in check, which runs
 * beside its page's, sent every signed-out visitor of `/orders/WM-209816` (an emailed link) back to
 * the whole list after signing in.
 */
export const REQUESTED_PATH_HEADER = "x-waymark-path";

async function requestedPath(): Promise<string> {
  const path = (await headers()).get(REQUESTED_PATH_HEADER);
  return path?.startsWith("/") && !path.startsWith("//") ? path : "/";
}

/** `returnTo`: where signing in comes back to; by default the address this request asked for. */
export async function requireCustomer(returnTo?: string): Promise<Principal> {
  const principal = await currentPrincipal();
  if (!principal) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo ?? (await requestedPath()))}`);
  if (principal.role !== "CUSTOMER") redirect(staffHome(principal.role));
  return principal;
}

/** Staff areas answer 404 to everyone else, signed in or not, so their existence is not revealed. */
export async function requireStaff(role: "AGENT" | "ANALYST"): Promise<Principal> {
  const principal = await currentPrincipal();
  if (!principal || principal.role !== role) notFound();
  return principal;
}

export function staffHome(role: Principal["role"]): string {
  return role === "AGENT" ? "/agent" : role === "ANALYST" ? "/insights" : "/";
}
