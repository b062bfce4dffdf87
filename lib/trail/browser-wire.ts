// The trail's browser events in PostHog's capture format, built without posthog-js, which is 52 kB
// compressed even in its slim build and so is loaded only at a visitor's first interaction
// (lib/trail/browser.ts): the trail's steps cannot wait for that. Framework-free (no DOM):
// browser.ts reads the page and the cookie and posts the batch.
//
// The device is kept in posthog-js's own cookie, with posthog-js's field names and session rules,
// so posthog-js takes it over when it loads, and the server (lib/trail/actor.ts) reads it as before.

/** posthog-js's session rules: a new session after 30 minutes without an event, or after 24 hours. */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_MAX_MS = 24 * 60 * 60 * 1000;

/** posthog-js's device cookie for the project whose browser key is `key`, kept for a year. */
export function deviceCookieName(key: string): string {
  return `ph_${key}_posthog`;
}
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

export type Session = { id: string; startedAt: number; lastActivityAt: number };
export type Device = { distinctId: string; deviceId: string; identified: boolean; session: Session };

/** PostHog's id format for events, devices and sessions (time-ordered: PostHog reads a session's start from it). */
export function uuidv7(now: number = Date.now(), random: Uint8Array = crypto.getRandomValues(new Uint8Array(10))): string {
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 6; i++) bytes[i] = Math.floor(now / 2 ** (8 * (5 - i))) & 0xff;
  bytes.set(random.subarray(0, 10), 6);
  bytes[6] = 0x70 | (bytes[6] & 0x0f);
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function newDevice(now: number): Device {
  const deviceId = uuidv7(now);
  return { distinctId: deviceId, deviceId, identified: false, session: { id: uuidv7(now), startedAt: now, lastActivityAt: now } };
}

/** The session an event at `now` belongs to: the current one, or a new one after idling or at its age limit. */
export function touchSession(device: Device, now: number): Device {
  const { session } = device;
  const expired = now - session.lastActivityAt > SESSION_IDLE_MS || now - session.startedAt > SESSION_MAX_MS;
  return { ...device, session: expired ? { id: uuidv7(now), startedAt: now, lastActivityAt: now } : { ...session, lastActivityAt: now } };
}

type CookieShape = { distinct_id?: unknown; $device_id?: unknown; $user_state?: unknown; $sesid?: unknown };

/** The cookie's value for `device`, keeping what else posthog-js stored in it (`previous`). */
export function encodeDeviceCookie(device: Device, previous?: string): string {
  const { session } = device;
  return encodeURIComponent(
    JSON.stringify({
      ...storedBeside(previous),
      distinct_id: device.distinctId,
      $device_id: device.deviceId,
      $user_state: device.identified ? "identified" : "anonymous",
      $sesid: [session.lastActivityAt, session.id, session.startedAt],
    }),
  );
}

function storedBeside(raw: string | undefined): Record<string, unknown> {
  try {
    const parsed: unknown = raw ? JSON.parse(decodeURIComponent(raw)) : null;
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The device a cookie value names (ours, or one posthog-js wrote), or null when it names none. */
export function decodeDeviceCookie(raw: string, now: number): Device | null {
  let parsed: CookieShape;
  try {
    parsed = JSON.parse(decodeURIComponent(raw)) as CookieShape;
  } catch {
    return null;
  }
  const distinctId = typeof parsed.distinct_id === "string" && parsed.distinct_id ? parsed.distinct_id : null;
  if (!distinctId) return null;
  const deviceId = typeof parsed.$device_id === "string" && parsed.$device_id ? parsed.$device_id : distinctId;
  const [lastActivityAt, id, startedAt] = Array.isArray(parsed.$sesid) ? parsed.$sesid : [];
  const session =
    typeof id === "string" && typeof lastActivityAt === "number" && typeof startedAt === "number" ? { id, lastActivityAt, startedAt } : { id: uuidv7(now), startedAt: now, lastActivityAt: now };
  return { distinctId, deviceId, identified: parsed.$user_state === "identified", session };
}

/** What the page tells about where the event happened (URLs are scrubbed to route templates on the server). */
export type PageFacts = { url: string; referrer: string; userAgent: string; screen: { width: number; height: number }; viewport: { width: number; height: number } };

export type WireEvent = { uuid: string; event: string; timestamp: string; properties: Record<string, unknown> };

/** One event as posthog-js would have sent it with our settings (identified-only person profiles). */
export function wireEvent(
  event: string,
  properties: Record<string, unknown>,
  context: { token: string; device: Device; registered: Record<string, unknown>; page: PageFacts; at: number },
): WireEvent {
  const { device, page } = context;
  const url = safeUrl(page.url);
  const referrer = safeUrl(page.referrer);
  return {
    uuid: uuidv7(context.at),
    event,
    timestamp: new Date(context.at).toISOString(),
    properties: {
      $lib: "waymark-web",
      $current_url: page.url,
      $host: url?.host,
      $pathname: url?.pathname,
      $referrer: page.referrer || "$direct",
      $referring_domain: referrer?.host ?? "$direct",
      $raw_user_agent: page.userAgent,
      $screen_height: page.screen.height,
      $screen_width: page.screen.width,
      $viewport_height: page.viewport.height,
      $viewport_width: page.viewport.width,
      ...context.registered,
      ...properties,
      token: context.token,
      distinct_id: device.distinctId,
      $device_id: device.deviceId,
      $session_id: device.session.id,
      $is_identified: device.identified,
      $process_person_profile: device.identified,
    },
  };
}

function safeUrl(value: string): URL | null {
  try {
    return value ? new URL(value) : null;
  } catch {
    return null;
  }
}
