import type { Metadata, Viewport } from "next";
import localFont from "next/font/local";
import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { AnalyticsChoiceButton, AnalyticsConsentBanner } from "@/components/analytics-consent";
import { ReachOutOffer } from "@/components/reach-out-offer";
import { SiteHeader } from "@/components/site-header";
import { TimeZoneReporter } from "@/components/time-zone-reporter";
import { currentPrincipal } from "@/lib/auth/principal";
import { ANALYTICS_CONSENT_COOKIE, parseAnalyticsChoice } from "@/lib/privacy/analytics-consent";
import { adoptBrowserTimeZoneAction } from "./account/(customer)/profile/actions";
import { Providers } from "./providers";
import "./globals.css";

// Self-hosted from an npm package: no request to a font service, at build time or run time.
const inter = localFont({
  src: "../node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2",
  weight: "100 900",
  display: "swap",
  variable: "--font-sans",
});

export const metadata: Metadata = { title: { default: "Waymark", template: "%s · Waymark" }, description: "Your orders, returns and account, in your hands." };
export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const principal = await currentPrincipal();
  // Signed-in customers chose in their account preferences; only anonymous visitors are asked here.
  const anonymousChoice = principal ? null : parseAnalyticsChoice((await cookies()).get(ANALYTICS_CONSENT_COOKIE)?.value);
  return (
    <html lang="en" className={inter.variable}>
      <body>
        <a className="skip-link" href="#main">Skip to content</a>
        <Providers analytics={principal ? { distinctId: principal.analyticsId, consent: principal.analyticsConsent, role: principal.role } : null} anonymousChoice={anonymousChoice}>
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
