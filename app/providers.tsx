"use client";
import { useEffect, type ReactNode } from "react";
import { applyIdentity, initAnalytics, type AnalyticsIdentity } from "@/lib/trail/browser";

export function Providers({ analytics, children }: { analytics: AnalyticsIdentity; children: ReactNode }) {
  const distinctId = analytics?.distinctId;
  const consent = analytics?.consent;
  const role = analytics?.role;
  useEffect(() => {
    initAnalytics();
    applyIdentity(distinctId && role ? { distinctId, consent: consent ?? true, role } : null);
  }, [distinctId, consent, role]);
  return <>{children}</>;
}
