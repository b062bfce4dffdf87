// An emailed link opened (lib/trail/linked-attempt.ts says why its attempt passes to the browser
// that opened it, and when it does not).
import "server-only";
import { cookies } from "next/headers";
import type { Principal } from "@/lib/auth/principal";
import { POSTHOG_BROWSER_KEY } from "@/lib/config/public";
import type { Db } from "@/lib/db/client";
import { isHttps } from "@/lib/http/url-secret";
import { ANALYTICS_CONSENT_COOKIE, parseAnalyticsChoice } from "@/lib/privacy/analytics-consent";
import { anonymousDeviceId } from "./actor";
import { DEVICE_COOKIE_MAX_AGE_SECONDS, deviceCookieName, encodeDeviceCookie, newDevice } from "./browser-wire";
import { handOverAttempt, type LinkedAttempt } from "./linked-attempt";

/**
 * For the route that exchanges a usable link's token (lib/http/url-secret.ts): hands the link's
 * attempt over to the browser opening it, adding to `response` the device cookie of a browser that
 * has none yet and whose visitor allows analytics (their page would make one a moment later).
 * `principal`: who is signed in in this browser, as the route read it (once: React's cache does not
 * memoise in a route handler, so a second read is a second look-up of the session).
 */
export async function continueInThisBrowser(db: Db, request: Request, response: Response, link: LinkedAttempt | null, principal: Principal | null): Promise<void> {
  if (!link?.journeyId) return;
  if (principal && principal.userId !== link.userId) return;
  let deviceId = await anonymousDeviceId();
  if (!deviceId) {
    const measured = principal !== null || parseAnalyticsChoice((await cookies()).get(ANALYTICS_CONSENT_COOKIE)?.value) === "granted";
    if (!measured) return;
    const device = newDevice(Date.now());
    const secure = isHttps(request) ? "; Secure" : "";
    response.headers.append("set-cookie", `${deviceCookieName(POSTHOG_BROWSER_KEY)}=${encodeDeviceCookie(device)}; Path=/; Max-Age=${DEVICE_COOKIE_MAX_AGE_SECONDS}; SameSite=Lax${secure}`);
    deviceId = device.deviceId;
  }
  await handOverAttempt(db, { type: link.type, journeyId: link.journeyId }, deviceId);
}
