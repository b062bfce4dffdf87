// What the trail's browser sender (lib/trail/browser-wire.ts, which does not wait for posthog-js)
// posts to /ingest, through the server's decoder and ingest: an anonymous visitor's step, then sign-in.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSession } from "@/lib/accounts/sessions";
import { newDevice, wireEvent, type Device, type PageFacts } from "@/lib/trail/browser-wire";
import { ingestBrowserBatch } from "@/lib/trail/ingest";
import { decodePostHogBody } from "@/lib/trail/posthog-wire";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { queuedPostHogEvents } from "../support/posthog-queue";

let database: FreshDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.drop());

const PAGE: PageFacts = { url: "http://127.0.0.1:3000/signup", referrer: "", userAgent: "test", screen: { width: 1280, height: 800 }, viewport: { width: 1280, height: 720 } };

/** A batch as the browser posts it, decoded as the /ingest route decodes it. */
function posted(device: Device, events: [string, Record<string, unknown>][]) {
  const body = JSON.stringify(events.map(([name, properties], i) => wireEvent(name, properties, { token: "phc_test", device, registered: { device_class: "DESKTOP" }, page: PAGE, at: Date.now() + i })));
  return decodePostHogBody(Buffer.from(body), { contentType: "application/json" });
}

describe("the browser's batches", () => {
  it("store an anonymous visitor's steps with the device and session, and sign-in joins them to the customer", async () => {
    const customer = await database.db.user.create({ data: { name: "Wire Tester", email: "wire@example.com", role: "CUSTOMER" } });
    const device = newDevice(Date.now());
    const journeyId = crypto.randomUUID();
    const anonymous = await ingestBrowserBatch(database.db, posted(device, [["signup_details_viewed", { journey_id: journeyId, journey_type: "signup", step: "details" }]]), { forwarding: true });
    expect(anonymous).toMatchObject({ received: 1, rejected: 0, forwarded: 1 });
    expect(await database.db.journey.findUniqueOrThrow({ where: { id: journeyId } })).toMatchObject({ userId: null, anonymousId: device.deviceId, sessionId: device.session.id });

    const identified = { ...device, distinctId: customer.analyticsId, identified: true };
    // Sent by the page that shows the customer signed in: the request carries their session.
    const sessionId = (await openSession(database.db, customer.id, "vitest")).id;
    await ingestBrowserBatch(database.db, posted(identified, [["$identify", { $anon_distinct_id: device.distinctId }]]), { forwarding: true, sessionId });
    expect(await database.db.journey.findUniqueOrThrow({ where: { id: journeyId } })).toMatchObject({ userId: customer.id });
    const names = (await queuedPostHogEvents(database.db)).map((e) => e.event);
    expect(names.sort()).toEqual(["$identify", "signup_details_viewed"]);
  });
});
