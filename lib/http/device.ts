// Device class from a user agent, for sessions and the trail. Tablets before phones: iPad and
// Android tablets also say "Mobile" in some browsers.
export type DeviceClass = "MOBILE" | "TABLET" | "DESKTOP";

export function deviceClassFromUserAgent(userAgent: string | null | undefined): DeviceClass {
  const ua = userAgent ?? "";
  if (/iPad|Tablet|Android(?!.*Mobile)/i.test(ua)) return "TABLET";
  if (/Mobi|iPhone|Android/i.test(ua)) return "MOBILE";
  return "DESKTOP";
}

export function describeUserAgent(userAgent: string | null | undefined): string {
  const ua = userAgent ?? "";
  const browser = /Edg\//.test(ua) ? "Edge" : /Chrome\//.test(ua) ? "Chrome" : /Firefox\//.test(ua) ? "Firefox" : /Safari\//.test(ua) ? "Safari" : "Browser";
  const os = /iPhone|iPad/.test(ua) ? "iOS" : /Android/.test(ua) ? "Android" : /Mac OS X/.test(ua) ? "macOS" : /Windows/.test(ua) ? "Windows" : /Linux/.test(ua) ? "Linux" : "unknown system";
  return `${browser} on ${os}`;
}
