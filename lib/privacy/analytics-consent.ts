// An anonymous visitor's analytics choice, kept in a first-party cookie of its own (strictly
// necessary: it only remembers the answer). Until the visitor accepts, neither the trail nor posthog-js starts,
// so nothing of theirs leaves the browser; server steps taken for them are kept in the portal but
// not forwarded. A signed-in customer's choice is their account preference (User.analyticsConsent);
// a decline made on the device after the account's own choice becomes the account's at sign-in
// (lib/privacy/consents.ts), so the cookie keeps when the choice was made: `denied.1765000000000`.
import { cookieFromHeader } from "@/lib/http/cookie-header";

export const ANALYTICS_CONSENT_COOKIE = "waymark_analytics";
/** Six months, then the visitor is asked again. */
export const ANALYTICS_CONSENT_MAX_AGE_SECONDS = 182 * 24 * 60 * 60;

export type AnalyticsChoice = "granted" | "denied";
/** `madeAt` is null for a cookie written before the time was kept (until 6 December 2026). */
export type AnalyticsDecision = { choice: AnalyticsChoice; madeAt: Date | null };

const COOKIE_VALUE = /^(granted|denied)(?:\.(\d{1,15}))?$/;

/** The cookie's value for a choice made at `madeAt`. */
export function analyticsCookieValue(choice: AnalyticsChoice, madeAt: Date): string {
  return `${choice}.${madeAt.getTime()}`;
}

/** The visitor's answer and when they gave it, or null while they have not given one (or the cookie holds anything else). */
export function parseAnalyticsDecision(value: string | undefined | null): AnalyticsDecision | null {
  const match = COOKIE_VALUE.exec(value ?? "");
  if (!match) return null;
  return { choice: match[1] as AnalyticsChoice, madeAt: match[2] === undefined ? null : new Date(Number(match[2])) };
}

/** The visitor's answer, or null while they have not given one (or the cookie holds anything else). */
export function parseAnalyticsChoice(value: string | undefined | null): AnalyticsChoice | null {
  return parseAnalyticsDecision(value)?.choice ?? null;
}

/** The cookie's value in a Cookie header (or `document.cookie`), as sent. */

/** The choice as the browser holds it (`document.cookie`): a prerendered page's HTML is the same for every visitor, so it cannot know. */
export function analyticsChoiceFromCookies(cookieHeader: string): AnalyticsChoice | null {
  return parseAnalyticsChoice(cookieFromHeader(cookieHeader, ANALYTICS_CONSENT_COOKIE));
}

/** The choice and its time from a request's Cookie header (sign-in reads it there). */
export function analyticsDecisionFromCookies(cookieHeader: string | null): AnalyticsDecision | null {
  return parseAnalyticsDecision(cookieFromHeader(cookieHeader, ANALYTICS_CONSENT_COOKIE));
}
