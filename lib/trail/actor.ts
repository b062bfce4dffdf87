// Builds the trail actor for the request being served (server components and actions only).
import "server-only";
import { cookies, headers } from "next/headers";
import type { Principal } from "@/lib/auth/principal";
import { POSTHOG_BROWSER_KEY } from "@/lib/config/public";
import { deviceClassFromUserAgent } from "@/lib/http/device";
import { ANALYTICS_CONSENT_COOKIE, parseAnalyticsChoice } from "@/lib/privacy/analytics-consent";
import { deviceCookieName } from "./browser-wire";
import type { TrailActor } from "./server";

const DEVICE_ID = /^[A-Za-z0-9_.:-]{1,100}$/;

/** The browser keeps the anonymous device id in its cookie (lib/trail/browser.ts); reading it joins server steps to it. */
export async function anonymousDeviceId(): Promise<string | null> {
  const raw = (await cookies()).get(deviceCookieName(POSTHOG_BROWSER_KEY))?.value;
  if (!raw) return null;
  try {
    const parsed = JSON.parse(decodeURIComponent(raw)) as { $device_id?: unknown; distinct_id?: unknown };
    const id = parsed.$device_id ?? parsed.distinct_id;
    // posthog-js writes a UUID; anything else (a NUL byte, a lone surrogate) is a cookie someone
    // made, which would reach the trail's rows with every step the browser's tasks record.
    return typeof id === "string" && DEVICE_ID.test(id) ? id : null;
  } catch {
    return null;
  }
}

export async function trailActor(principal: Principal | null): Promise<TrailActor> {
  const userAgent = (await headers()).get("user-agent");
  const anonymousId = await anonymousDeviceId();
  // An anonymous visitor's steps reach PostHog only once they accepted analytics in the banner.
  const anonymousConsent = parseAnalyticsChoice((await cookies()).get(ANALYTICS_CONSENT_COOKIE)?.value) === "granted";
  return {
    userId: principal?.userId ?? null,
    distinctId: principal?.analyticsId ?? anonymousId ?? "anonymous",
    anonymousId,
    deviceClass: deviceClassFromUserAgent(userAgent),
    consent: principal ? principal.analyticsConsent : anonymousConsent,
  };
}

/** A signed-in customer's actor, for what is only ever theirs (help in place). */
export async function customerActor(principal: Principal): Promise<TrailActor & { userId: string }> {
  return { ...(await trailActor(principal)), userId: principal.userId };
}
