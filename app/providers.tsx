"use client";
import { useLayoutEffect, type ReactNode } from "react";
import { z } from "zod";
import { applyIdentity, initAnalytics, type AnalyticsIdentity } from "@/lib/trail/browser";

// zod compiles object parsers with new Function when it may; under our CSP (no 'unsafe-eval') its
// probe is a reported violation. Interpreted parsing is as correct, and fast enough for forms.
z.config({ jitless: true });

export function Providers({ analytics, children }: { analytics: AnalyticsIdentity; children: ReactNode }) {
  const distinctId = analytics?.distinctId;
  const consent = analytics?.consent;
  const role = analytics?.role;
  // A layout effect runs before the pages' effects, so their first step is already identified.
  useLayoutEffect(() => {
    initAnalytics();
    applyIdentity(distinctId && role ? { distinctId, consent: consent ?? true, role } : null);
  }, [distinctId, consent, role]);
  return <>{children}</>;
}
