// What reaches PostHog for anonymous visitors depends on their analytics choice: posthog-js only
// runs (and creates a device id) once they accepted, so a journey without one was never consented to.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeIdleJourneys } from "@/lib/trail/abandon";
import { storeTrailEvents } from "@/lib/trail/store";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { queuedPostHogEvents } from "../support/posthog-queue";

let database: FreshDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.drop());

async function anonymousSignUpStep(deviceId: string | null) {
  const journeyId = crypto.randomUUID();
  const at = new Date(Date.now() - 2 * 60 * 60 * 1000);
  await storeTrailEvents(database.db, [
    { id: crypto.randomUUID(), journeyId, journeyType: "signup", step: "details", kind: "VIEWED", source: "SERVER", occurredAt: at, distinctId: deviceId ?? "anonymous", userId: null, anonymousId: deviceId, deviceClass: "DESKTOP", properties: {}, forward: null },
  ]);
  return journeyId;
}

describe("abandonment of anonymous journeys", () => {
  it("reaches PostHog only for a visitor who accepted analytics (a device id exists)", async () => {
    const declined = await anonymousSignUpStep(null);
    const accepted = await anonymousSignUpStep(crypto.randomUUID());
    await closeIdleJourneys(database.db, { idleMinutes: 30, forwarding: true });
    const journeyIds = (await queuedPostHogEvents(database.db)).map((e) => e.properties.journey_id);
    expect(journeyIds).toEqual([accepted]);
    expect(await database.db.journey.findUniqueOrThrow({ where: { id: declined } })).toMatchObject({ outcome: "ABANDONED" });
  });
});
