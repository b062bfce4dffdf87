import { describe, expect, it } from "vitest";
import { decodeDeviceCookie, encodeDeviceCookie, newDevice, SESSION_IDLE_MS, SESSION_MAX_MS, touchSession, uuidv7, wireEvent, type PageFacts } from "./browser-wire";
import { decodePostHogBody } from "./posthog-wire";

const T0 = Date.parse("2026-12-03T10:00:00Z");
const PAGE: PageFacts = {
  url: "http://127.0.0.1:3000/orders/WM-123456?status=SHIPPED",
  referrer: "",
  userAgent: "Mozilla/5.0 (Linux; Android 14) Mobile",
  screen: { width: 412, height: 915 },
  viewport: { width: 412, height: 823 },
};

describe("ids", () => {
  it("are UUIDv7 carrying the time they were made, so PostHog orders events and reads a session's start from them", () => {
    const id = uuidv7(T0);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, "").slice(0, 12), 16)).toBe(T0);
    expect(uuidv7(T0 + 1) > uuidv7(T0)).toBe(true);
    expect(uuidv7(T0)).not.toBe(uuidv7(T0));
  });
});

describe("sessions", () => {
  it("last while events keep coming, and end after 30 idle minutes or 24 hours", () => {
    const device = newDevice(T0);
    const busy = touchSession(device, T0 + SESSION_IDLE_MS - 1);
    expect(busy.session.id).toBe(device.session.id);

    expect(touchSession(busy, T0 + 2 * SESSION_IDLE_MS).session.id).not.toBe(device.session.id);

    let active = device;
    for (let at = T0; at <= T0 + SESSION_MAX_MS + SESSION_IDLE_MS; at += SESSION_IDLE_MS / 2) active = touchSession(active, at);
    expect(active.session.id).not.toBe(device.session.id);
    expect(active.session.startedAt).toBeGreaterThan(T0 + SESSION_MAX_MS - SESSION_IDLE_MS);
  });
});

describe("the device cookie", () => {
  it("round-trips, and is read by the same fields the server reads (lib/trail/actor.ts)", () => {
    const device = { ...newDevice(T0), distinctId: "customer-analytics-id", identified: true };
    const raw = encodeDeviceCookie(device);
    expect(decodeDeviceCookie(raw, T0)).toEqual(device);
    const parsed = JSON.parse(decodeURIComponent(raw)) as { $device_id: string; distinct_id: string };
    expect(parsed).toMatchObject({ $device_id: device.deviceId, distinct_id: "customer-analytics-id" });
  });

  it("keeps the device id posthog-js gave a visitor before", () => {
    const written = encodeURIComponent(
      JSON.stringify({ distinct_id: "019adf3c-1111-7222-8333-444455556666", $device_id: "019adf3c-1111-7222-8333-444455556666", $sesid: [T0, "019adf3c-9999-7222-8333-444455556666", T0 - 1000], $user_state: "anonymous", $epp: true }),
    );
    expect(decodeDeviceCookie(written, T0)).toEqual({
      distinctId: "019adf3c-1111-7222-8333-444455556666",
      deviceId: "019adf3c-1111-7222-8333-444455556666",
      identified: false,
      session: { id: "019adf3c-9999-7222-8333-444455556666", lastActivityAt: T0, startedAt: T0 - 1000 },
    });
  });

  it("keeps what posthog-js stored beside the device when this file updates it", () => {
    const byPostHog = encodeURIComponent(JSON.stringify({ distinct_id: "a", $device_id: "a", $user_state: "anonymous", device_class: "MOBILE", $initial_person_info: { r: "$direct" } }));
    const device = { ...newDevice(T0), distinctId: "customer-analytics-id", identified: true };
    expect(JSON.parse(decodeURIComponent(encodeDeviceCookie(device, byPostHog)))).toMatchObject({
      distinct_id: "customer-analytics-id",
      $device_id: device.deviceId,
      $user_state: "identified",
      device_class: "MOBILE",
      $initial_person_info: { r: "$direct" },
    });
  });

  it("names no device when it is not one", () => {
    expect(decodeDeviceCookie("not%20json", T0)).toBeNull();
    expect(decodeDeviceCookie(encodeURIComponent(JSON.stringify({ $device_id: "x" })), T0)).toBeNull();
  });
});

describe("events", () => {
  it("decode on the server as the device, session and time they were captured with", () => {
    const device = newDevice(T0);
    const event = wireEvent("order_tracking_detail_viewed", { journey_id: "j-1", step: "detail" }, { token: "phc_test", device, registered: { device_class: "MOBILE" }, page: PAGE, at: T0 });
    const [decoded] = decodePostHogBody(Buffer.from(JSON.stringify([event])), { contentType: "application/json" });
    expect(decoded).toMatchObject({ event: "order_tracking_detail_viewed", uuid: event.uuid, distinctId: device.distinctId, timestamp: new Date(T0).toISOString() });
    expect(decoded.properties).toMatchObject({
      journey_id: "j-1",
      step: "detail",
      device_class: "MOBILE",
      token: "phc_test",
      $device_id: device.deviceId,
      $session_id: device.session.id,
      $pathname: "/orders/WM-123456",
      $referrer: "$direct",
      // Identified-only person profiles: an anonymous device makes no person in PostHog.
      $process_person_profile: false,
    });
  });

  it("cannot have their identity overridden by the properties they carry", () => {
    const device = { ...newDevice(T0), distinctId: "customer-analytics-id", identified: true };
    const event = wireEvent("$pageview", { distinct_id: "someone-else", $device_id: "another" }, { token: "phc_test", device, registered: {}, page: PAGE, at: T0 });
    expect(event.properties).toMatchObject({ distinct_id: "customer-analytics-id", $device_id: device.deviceId, $process_person_profile: true });
  });
});
