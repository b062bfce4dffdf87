"use client";
// Whether the trail (and posthog-js) may run in this page: for a signed-in person (their account preference decides
// what reaches PostHog; the portal keeps their service record either way), or for an anonymous
// visitor who accepted analytics. Set by the root providers and by the consent banner.
import type { AnalyticsChoice } from "@/lib/privacy/analytics-consent";

let scope: { signedIn: boolean; anonymousChoice: AnalyticsChoice | null } = { signedIn: false, anonymousChoice: null };

export function setAnalyticsScope(next: typeof scope) {
  scope = next;
}

export function analyticsAllowed(): boolean {
  return scope.signedIn || scope.anonymousChoice === "granted";
}
