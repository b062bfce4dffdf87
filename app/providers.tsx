"use client";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useLayoutEffect, type ReactNode } from "react";
import { inPlaceTarget } from "@/lib/http/in-place-link";
import { analyticsChoiceFromCookies } from "@/lib/privacy/analytics-consent";
import { setAnalyticsScope } from "@/lib/trail/analytics-gate";
import { applyIdentity, initAnalytics, trackPageView, type AnalyticsIdentity } from "@/lib/trail/browser";

export function Providers({ analytics, children }: { analytics: AnalyticsIdentity; children: ReactNode }) {
  const distinctId = analytics?.distinctId;
  const consent = analytics?.consent;
  const role = analytics?.role;
  // A layout effect runs before the pages' effects, so their first step is already identified
  // (or, for an anonymous visitor who has not accepted analytics, nothing is ever sent). Their
  // choice is read from the browser's cookie: a prerendered page cannot know it.
  useLayoutEffect(() => {
    setAnalyticsScope({ signedIn: Boolean(distinctId), anonymousChoice: distinctId ? null : analyticsChoiceFromCookies(document.cookie) });
    initAnalytics();
    applyIdentity(distinctId && role ? { distinctId, consent: consent ?? true, role } : null);
  }, [distinctId, consent, role]);
  // After the layout effect above, so the view is identified; nothing is sent without consent.
  const pathname = usePathname();
  useEffect(() => trackPageView(), [pathname]);
  // The portal's links (components/link.tsx) are plain anchors: one listener navigates them in
  // place. It listens on the document, after React's own handlers (a link's onClick runs first).
  const router = useRouter();
  useEffect(() => {
    function navigate(event: MouseEvent) {
      const link = event.target instanceof Element ? event.target.closest<HTMLAnchorElement>("a[data-nav]") : null;
      if (!link) return;
      const modifier = event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
      const path = inPlaceTarget({ button: event.button, modifier, defaultPrevented: event.defaultPrevented, target: link.target, download: link.hasAttribute("download"), href: link.href }, location.href);
      if (path === null) return;
      event.preventDefault();
      router.push(path);
    }
    document.addEventListener("click", navigate);
    return () => document.removeEventListener("click", navigate);
  }, [router]);
  return <>{children}</>;
}
