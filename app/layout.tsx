import type { Metadata, Viewport } from "next";
import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { AnalyticsChoiceButton, AnalyticsConsentBanner } from "@/components/analytics-consent";
import { ReachOutOffer } from "@/components/reach-out-offer";
import { SiteHeader } from "@/components/site-header";
import { TimeZoneReporter } from "@/components/time-zone-reporter";
import { currentPrincipal } from "@/lib/auth/principal";
import { ANALYTICS_CONSENT_COOKIE, parseAnalyticsChoice } from "@/lib/privacy/analytics-consent";
import { adoptBrowserTimeZoneAction } from "./account/(customer)/profile/actions";
import { InlineStylesheet } from "./inline-stylesheet";
import { Providers } from "./providers";

// The icon rides in the page (a data: URL) instead of costing every first visit a request.
const ICON = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#2b4acb"/><path d="M7 10l4 12 5-9 5 9 4-12" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/></svg>')}`;

export const metadata: Metadata = { title: { default: "Waymark", template: "%s · Waymark" }, description: "Your orders, returns and account, in your hands.", icons: { icon: { url: ICON, type: "image/svg+xml" } } };
export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const principal = await currentPrincipal();
  // Signed-in customers chose in their account preferences; only anonymous visitors are asked here.
  const anonymousChoice = principal ? null : parseAnalyticsChoice((await cookies()).get(ANALYTICS_CONSENT_COOKIE)?.value);
  return (
    <html lang="en">
      <head>
        <InlineStylesheet />
      </head>
      <body>
        <a className="skip-link" href="#main">Skip to content</a>
        <Providers analytics={principal ? { distinctId: principal.analyticsId, consent: principal.analyticsConsent, role: principal.role } : null}>
          {principal ? null : <AnalyticsConsentBanner choice={anonymousChoice} />}
          {principal?.role === "CUSTOMER" && !principal.timeZone ? <TimeZoneReporter save={adoptBrowserTimeZoneAction} /> : null}
          <SiteHeader principal={principal ? { name: principal.name, role: principal.role, unread: principal.role === "CUSTOMER" ? principal.unreadMessages : undefined } : null} />
          <main id="main" tabIndex={-1}>
            {principal?.role === "CUSTOMER" ? <ReachOutOffer /> : null}
            {children}
          </main>
          <footer className="site-footer">
            <div>
              Waymark customer portal · Help is one click away on every page.
              {principal ? null : <> · <AnalyticsChoiceButton /></>}
            </div>
          </footer>
        </Providers>
      </body>
    </html>
  );
}
