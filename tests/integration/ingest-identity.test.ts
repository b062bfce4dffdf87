// Whose events a /ingest batch carries is the request's session's to say, never the batch's: an
// attacker who knows a customer's analytics id (it is in PostHog, in shared screenshots' URLs)
// cannot write into that customer's trail or be forwarded to PostHog as them. Real Requests
// through the route's handler, real PostgreSQL; the session id stands for the request's cookie
// (lib/auth/session-cookie.ts), checked for life by the batch like every other request's.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSession, revokeSession } from "@/lib/accounts/sessions";
import { handleIngest, type IngestDeps } from "@/lib/trail/ingest-endpoint";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { queuedPostHogEvents } from "../support/posthog-queue";

let database: FreshDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.drop());

const SESSION_HEADER = "x-test-session";

const deps = (): IngestDeps => ({
  db: database.db,
  posthog: { host: "http://127.0.0.1:9", key: "phc_test" },
  spend: async () => ({ ok: true }),
  sessionId: async (request) => request.headers.get(SESSION_HEADER),
});

type Person = { distinctId: string; deviceId: string };

function wire(who: Person, event: string, properties: Record<string, unknown> = {}) {
  return { event, uuid: crypto.randomUUID(), timestamp: new Date().toISOString(), properties: { distinct_id: who.distinctId, $device_id: who.deviceId, device_class: "DESKTOP", ...properties } };
}

async function send(events: ReturnType<typeof wire>[], sessionId: string | null) {
  const request = new Request("http://portal.test/ingest/e/", { method: "POST", body: JSON.stringify(events), headers: { "content-type": "text/plain", ...(sessionId ? { [SESSION_HEADER]: sessionId } : {}) } });
  const response = await handleIngest(request, ["e", ""], deps());
  expect(response.status).toBe(200);
}

async function customer(label: string) {
  const user = await database.db.user.create({ data: { name: label, email: `${label}-${crypto.randomUUID()}@example.com`, role: "CUSTOMER" } });
  return { user, person: { distinctId: user.analyticsId, deviceId: crypto.randomUUID() }, sessionId: (await openSession(database.db, user.id, "vitest")).id };
}

/** What the customer's trail holds: their attempts with their steps, and what was queued for PostHog as them. */
async function trailOf(userId: string, analyticsId: string) {
  const journeys = await database.db.journey.findMany({ where: { userId }, orderBy: { id: "asc" }, include: { events: { orderBy: { occurredAt: "asc" }, select: { id: true, step: true, kind: true } } } });
  const forwarded = (await queuedPostHogEvents(database.db)).filter((copy) => copy.distinctId === analyticsId);
  return {
    attempts: journeys.map((j) => ({ id: j.id, outcome: j.outcome, anonymousId: j.anonymousId, events: j.events })),
    forwarded: forwarded.map((copy) => copy.uuid).sort(),
  };
}

describe("/ingest takes the customer from the request's session", () => {
  it("a batch naming a customer without their live session writes nothing to their trail and forwards nothing as them", async () => {
    const victim = await customer("victim");
    const attemptId = crypto.randomUUID();
    await send([wire(victim.person, "return_order_viewed", { journey_id: attemptId, step: "order" }), wire(victim.person, "return_items_viewed", { journey_id: attemptId, step: "items" })], victim.sessionId);
    const before = await trailOf(victim.user.id, victim.user.analyticsId);
    expect(before.attempts).toHaveLength(1);
    expect(before.attempts[0].events).toHaveLength(2);
    expect(before.forwarded).toHaveLength(2);

    const mallory = await customer("mallory");
    const revoked = (await openSession(database.db, victim.user.id, "vitest")).id;
    await revokeSession(database.db, revoked);
    const requests = { "no session": null, "another customer's session": mallory.sessionId, "the victim's revoked session": revoked };
    for (const [label, sessionId] of Object.entries(requests)) {
      // The attacker's own device, with an attempt of its own before the forgery (a visitor's task: a device alone may start it).
      const device = crypto.randomUUID();
      const own = crypto.randomUUID();
      await send([wire({ distinctId: device, deviceId: device }, "signup_details_viewed", { journey_id: own, step: "details" })], sessionId);
      const asVictim = { distinctId: victim.user.analyticsId, deviceId: device };
      await send(
        [
          // End the victim's attempt, start one in their name, be them in PostHog, and join this device to them.
          wire(asVictim, "return_exited", { journey_id: attemptId, step: "items", channel: "PHONE" }),
          wire(asVictim, "order_cancellation_detail_viewed", { journey_id: crypto.randomUUID(), step: "detail" }),
          wire(asVictim, "$pageview", { $current_url: "http://portal.test/orders" }),
          wire(asVictim, "$identify", { $anon_distinct_id: device }),
          wire(asVictim, "$create_alias", { alias: device }),
        ],
        sessionId,
      );
      expect(await trailOf(victim.user.id, victim.user.analyticsId), label).toEqual(before);
      // The device's attempt stays its own, or its signed-in sender's: never the victim's.
      expect((await database.db.journey.findUniqueOrThrow({ where: { id: own } })).userId, label).toBe(sessionId === mallory.sessionId ? mallory.user.id : null);
    }
  });

  it("the customer's own batch still lands, once, and their sign-in joins the device's anonymous attempt", async () => {
    const ada = await customer("ada");
    const anonymous = { distinctId: crypto.randomUUID(), deviceId: ada.person.deviceId };
    const signup = crypto.randomUUID();
    await send([wire(anonymous, "signup_details_viewed", { journey_id: signup, step: "details" })], null);

    const attemptId = crypto.randomUUID();
    const batch = [wire(ada.person, "$identify", { $anon_distinct_id: anonymous.distinctId }), wire(ada.person, "return_order_viewed", { journey_id: attemptId, step: "order" })];
    await send(batch, ada.sessionId);
    await send(batch, ada.sessionId); // posthog-js retrying the batch
    const trail = await trailOf(ada.user.id, ada.user.analyticsId);
    expect(trail.attempts.map((a) => a.id).sort()).toEqual([attemptId, signup].sort());
    expect(trail.attempts.find((a) => a.id === attemptId)?.events.map((e) => e.id)).toEqual([batch[1].uuid]);
    expect(trail.forwarded).toEqual(batch.map((e) => e.uuid).sort());
  });

  it("a tab's last events sent after sign-out stay in the customer's attempt on that device, forwarded as the device", async () => {
    const grace = await customer("grace");
    const attemptId = crypto.randomUUID();
    await send([wire(grace.person, "profile_update_form_viewed", { journey_id: attemptId, step: "form" })], grace.sessionId);
    await revokeSession(database.db, grace.sessionId);
    const late = wire(grace.person, "profile_update_exited", { journey_id: attemptId, step: "form", channel: "CHAT" });
    await send([late], null);
    const trail = await trailOf(grace.user.id, grace.user.analyticsId);
    expect(trail.attempts).toMatchObject([{ id: attemptId, outcome: "EXITED", anonymousId: grace.person.deviceId }]);
    const copy = (await queuedPostHogEvents(database.db)).find((queued) => queued.uuid === late.uuid);
    expect(copy).toMatchObject({ distinctId: grace.person.deviceId, properties: { distinct_id: grace.person.deviceId } });
  });

  it("a signed-in customer claiming another's device does not reach that customer's attempt", async () => {
    const ada = await customer("ada");
    const attemptId = crypto.randomUUID();
    await send([wire(ada.person, "return_order_viewed", { journey_id: attemptId, step: "order" })], ada.sessionId);
    const before = await trailOf(ada.user.id, ada.user.analyticsId);

    const grace = await customer("grace");
    // Ada's device id, a distinct id that names no one, and Grace's own live session.
    const claim = { distinctId: crypto.randomUUID(), deviceId: ada.person.deviceId };
    await send([wire(claim, "return_items_failed", { journey_id: attemptId, step: "items", error_code: "grace_wrote_this" })], grace.sessionId);
    expect(await trailOf(ada.user.id, ada.user.analyticsId)).toEqual(before);
    expect(await database.db.trailEvent.count({ where: { errorCode: "grace_wrote_this" } })).toBe(0);
  });
});

describe("/ingest records what a browser can know", () => {
  it("refuses a completion sent by a browser, signed in or not: only the server records a task done", async () => {
    const ada = await customer("ada");
    const visitor = { distinctId: crypto.randomUUID(), deviceId: crypto.randomUUID() };
    const forged = [
      { who: visitor, session: null, event: "password_change_saved_completed", step: "saved" },
      { who: visitor, session: null, event: "signup_account_completed", step: "account" },
      { who: ada.person, session: ada.sessionId, event: "return_confirmation_completed", step: "confirmation" },
    ];
    for (const { who, session, event, step } of forged) {
      const journeyId = crypto.randomUUID();
      await send([wire(who, event, { journey_id: journeyId, step, source: "server" })], session);
      expect(await database.db.journey.findUnique({ where: { id: journeyId } }), event).toBeNull();
    }
    expect(await database.db.trailEvent.count({ where: { kind: "COMPLETED", source: "BROWSER" } })).toBe(0);
  });

  it("lets a device alone start only a visitor's task, and tells PostHog what the event's name says", async () => {
    const device = { distinctId: crypto.randomUUID(), deviceId: crypto.randomUUID() };
    const [forgotten, password, signup] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    const signupView = wire(device, "signup_details_viewed", { journey_id: signup, step: "account", journey_type: "return", step_index: 9, action: "completed", source: "server" });
    await send(
      [
        wire(device, "password_change_form_viewed", { journey_id: password, step: "form" }),
        wire(device, "password_reset_request_viewed", { journey_id: forgotten, step: "request" }),
        signupView,
      ],
      null,
    );
    const started = await database.db.journey.findMany({ where: { id: { in: [forgotten, password, signup] } }, select: { id: true, type: true } });
    expect(started.map((j) => j.type).sort()).toEqual(["password_reset", "signup"]);
    const stored = await database.db.trailEvent.findUniqueOrThrow({ where: { id: signupView.uuid } });
    const expected = { journey_type: "signup", step: "details", step_index: 0, action: "viewed" };
    expect(stored).toMatchObject({ journeyType: "signup", step: "details", source: "BROWSER", properties: expected });
    expect(stored.properties).not.toHaveProperty("source");
    const copy = (await queuedPostHogEvents(database.db)).find((queued) => queued.uuid === signupView.uuid);
    expect(copy?.properties).toMatchObject(expected);
    expect(copy?.properties).not.toHaveProperty("source");
  });
});
