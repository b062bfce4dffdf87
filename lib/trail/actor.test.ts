// The anonymous device id read from posthog-js's cookie joins a visitor's server steps to their
// browser's; a cookie someone made by hand must not carry what the trail's rows cannot hold.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { POSTHOG_BROWSER_KEY } from "@/lib/config/public";
import { deviceCookieName } from "./browser-wire";

const jar = vi.hoisted(() => new Map<string, string>());
vi.mock("next/headers", () => ({
  cookies: async () => ({ get: (name: string) => (jar.has(name) ? { value: jar.get(name)! } : undefined) }),
  headers: async () => new Headers({ "user-agent": "Mozilla/5.0 (Linux; Android 14; Pixel 7) Mobile" }),
}));

const { anonymousDeviceId, trailActor } = await import("./actor");

function deviceCookie(value: object) {
  jar.set(deviceCookieName(POSTHOG_BROWSER_KEY), encodeURIComponent(JSON.stringify(value)));
}

describe("the anonymous device id", () => {
  beforeEach(() => jar.clear());

  it("is posthog-js's device id, as its cookie holds it", async () => {
    deviceCookie({ distinct_id: "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", $device_id: "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b" });
    expect(await anonymousDeviceId()).toBe("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    expect(await trailActor(null)).toMatchObject({ userId: null, anonymousId: "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", deviceClass: "MOBILE" });
  });

  it("is none when the cookie holds a NUL byte, a lone surrogate, markup or too long an id", async () => {
    for (const id of ["dev\u0000ice", "dev\ud800ice", "<script>", "x".repeat(101), ""]) {
      deviceCookie({ $device_id: id });
      expect(await anonymousDeviceId()).toBeNull();
    }
    jar.set(deviceCookieName(POSTHOG_BROWSER_KEY), "%7Bnot json");
    expect(await anonymousDeviceId()).toBeNull();
    expect(await trailActor(null)).toMatchObject({ anonymousId: null, distinctId: "anonymous" });
  });
});
