// An anonymous visitor's analytics choice, kept in a first-party cookie of its own (strictly
// necessary: it only remembers the answer). Until the visitor accepts, neither the trail nor posthog-js starts,
// so nothing of theirs leaves the browser; server steps taken for them are kept in the portal but
// not forwarded. A signed-in customer's choice is their account preference (User.analyticsConsent).
export const ANALYTICS_CONSENT_COOKIE = "waymark_analytics";
/** Six months, then the visitor is asked again. */
export const ANALYTICS_CONSENT_MAX_AGE_SECONDS = 182 * 24 * 60 * 60;

export type AnalyticsChoice = "granted" | "denied";

/** The visitor's answer, or null while they have not given one (or the cookie holds anything else). */
export function parseAnalyticsChoice(value: string | undefined | null): AnalyticsChoice | null {
  return value === "granted" || value === "denied" ? value : null;
}

/** The choice as the browser holds it (`document.cookie`): a prerendered page's HTML is the same for every visitor, so it cannot know. */
export function analyticsChoiceFromCookies(cookieHeader: string): AnalyticsChoice | null {
  const prefix = `${ANALYTICS_CONSENT_COOKIE}=`;
  return parseAnalyticsChoice(cookieHeader.split(/;\s*/).find((pair) => pair.startsWith(prefix))?.slice(prefix.length));
}
