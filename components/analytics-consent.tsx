"use client";
// The anonymous visitor's analytics choice: a plain region at the top of the page (no overlay, so it
// hides nothing on a phone and needs no focus trap), two buttons of equal weight, and a footer
// button to change the answer later. Nothing is sent before "Accept"; "Decline" is remembered.
import { useEffect, useState } from "react";
import { useBrowserValue } from "@/components/use-browser-value";
import { ANALYTICS_CONSENT_COOKIE, ANALYTICS_CONSENT_MAX_AGE_SECONDS, analyticsChoiceFromCookies, analyticsCookieValue, type AnalyticsChoice } from "@/lib/privacy/analytics-consent";
import { setAnalyticsScope } from "@/lib/trail/analytics-gate";
import { applyIdentity, forgetAnalyticsDevice, initAnalytics } from "@/lib/trail/browser";

const REOPEN_EVENT = "waymark:analytics-choice";

function remember(choice: AnalyticsChoice) {
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  // With its time: a decline made now outranks an account's older choice when its owner signs in here.
  document.cookie = `${ANALYTICS_CONSENT_COOKIE}=${analyticsCookieValue(choice, new Date())}; Path=/; Max-Age=${ANALYTICS_CONSENT_MAX_AGE_SECONDS}; SameSite=Lax${secure}`;
}

/** `choice` is what the server read from the cookie; a prerendered page (the same for everyone) has none, so the browser's cookie decides. */
export function AnalyticsConsentBanner({ choice: serverChoice }: { choice: AnalyticsChoice | null }) {
  // Switched during hydration, before the first paint of the page's script: no layout shift after it.
  const choice = useBrowserValue(() => analyticsChoiceFromCookies(document.cookie), serverChoice);
  // null: as the remembered choice says; then as the visitor opens or answers it.
  const [opened, setOpen] = useState<boolean | null>(null);
  const open = opened ?? choice === null;
  useEffect(() => {
    const reopen = () => setOpen(true);
    window.addEventListener(REOPEN_EVENT, reopen);
    return () => window.removeEventListener(REOPEN_EVENT, reopen);
  }, []);
  if (!open) return null;

  const decide = (next: AnalyticsChoice) => {
    remember(next);
    setAnalyticsScope({ signedIn: false, anonymousChoice: next });
    setOpen(false);
    if (next === "granted") {
      initAnalytics();
      applyIdentity(null);
    } else if (choice === "granted") {
      // The trail (and perhaps posthog-js) already runs in this page: drop its ids and start the page again without it.
      forgetAnalyticsDevice();
      window.location.reload();
    }
  };

  return (
    <section className="consent-banner" aria-labelledby="consent-banner-title" data-testid="analytics-consent">
      <div className="consent-banner-inner">
        <h2 id="consent-banner-title">Help us improve Waymark?</h2>
        <p>
          With your permission we measure how people use these pages (which steps of a task they reach, on which kind of device) and share that with our analytics
          provider, PostHog. Nothing is measured or shared unless you accept; the site works the same either way. Once you sign in, your account&apos;s
          privacy setting decides (an account made here starts with this answer).
        </p>
        <div className="actions">
          <button type="button" className="button" onClick={() => decide("granted")}>Accept analytics</button>
          <button type="button" className="button secondary" onClick={() => decide("denied")}>Decline</button>
        </div>
      </div>
    </section>
  );
}

/** In the footer for anonymous visitors: opens the choice again. */
export function AnalyticsChoiceButton() {
  return (
    <button type="button" className="button link" onClick={() => window.dispatchEvent(new Event(REOPEN_EVENT))}>
      Analytics choice
    </button>
  );
}
