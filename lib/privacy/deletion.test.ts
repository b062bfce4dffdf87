import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPostHogStandIn, type PostHogStandIn } from "@/e2e/support/posthog-stand-in";
import { addAddress } from "@/lib/addresses/addresses";
import { findLiveSession, openSession } from "@/lib/accounts/sessions";
import { hashPassword } from "@/lib/auth/password";
import { parseConfig } from "@/lib/config/env";
import { postHogApiAccess, postHogDeliveryHandler } from "@/lib/integrations/posthog";
import { notify } from "@/lib/notify/notify";
import { deliverDue } from "@/lib/outbox/outbox";
import { closeIdleJourneys } from "@/lib/trail/abandon";
import { ingestBrowserBatch } from "@/lib/trail/ingest";
import { recordStep } from "@/lib/trail/server";
import { storeTrailEvents } from "@/lib/trail/store";
import { freshDatabase, type FreshDatabase } from "@/tests/support/db";
import { queuedPostHogEvents } from "@/tests/support/posthog-queue";
import { savePreferences } from "./consents";
import { DELETED_CUSTOMER_NAME, deleteAccount, deletionBlockers, POSTHOG_DELETE_PERSON_TOPIC } from "./deletion";
import { DELETIONS_NOT_REACHING_POSTHOG, personDeletionHandler, personDeletionProblem } from "./posthog-person-deletion";
import { createCustomer, HOME, placeOrder, trailFor } from "./test-fixtures";

let database: FreshDatabase;
let posthog: PostHogStandIn;
beforeAll(async () => {
  database = await freshDatabase();
  posthog = await startPostHogStandIn({ port: 0, personalApiKey: "phx_test_key" });
});
afterAll(async () => {
  await posthog.close();
  await database.drop();
});

describe("deleting an account", () => {
  it("anonymises the person, ends every session, keeps orders detached, and asks PostHog to delete them", async () => {
    const customer = await database.db.user.create({ data: { name: "Leaving Customer", email: "leaving@example.com", phone: "+44 7700 900777", passwordHash: await hashPassword("secret-password-1") } });
    const oldAnalyticsId = customer.analyticsId;
    const sessions = [await openSession(database.db, customer.id, "desktop"), await openSession(database.db, customer.id, "iPhone")];
    await database.db.$transaction((tx) => addAddress(tx, customer.id, { ...HOME, line2: null, phone: null, isDefaultShipping: true, isDefaultBilling: true }));
    await savePreferences(database.db, customer.id, { "ORDER_UPDATES.EMAIL": true, "MARKETING.EMAIL": true, "ANALYTICS.ANALYTICS": true }, trailFor(customer));
    const delivered = await placeOrder(database.db, customer.id, "DELIVERED");
    const earlier = trailFor(customer);
    await database.db.$transaction((tx) => recordStep(tx, earlier.actor, { journeyId: earlier.journeyId, type: "profile_update", step: "saved", action: "completed" }));
    await database.db.contact.create({ data: { userId: customer.id, channel: "PHONE", reason: "question", journeyId: earlier.journeyId, note: "Said their new address is 4 Elm Road." } });
    const bystander = await createCustomer(database.db, "Staying Customer");
    const bystanderOrder = await placeOrder(database.db, bystander.id, "DELIVERED");
    const bystanderTrail = trailFor(bystander);
    await database.db.$transaction((tx) => recordStep(tx, bystanderTrail.actor, { journeyId: bystanderTrail.journeyId, type: "profile_update", step: "saved", action: "completed" }));
    // One browser batch holds both customers' page views: one outbox row, both persons' copies.
    const pageView = (distinctId: string) => ({ id: crypto.randomUUID(), distinctId, occurredAt: new Date(), event: "$pageview", properties: {} });
    await storeTrailEvents(database.db, [], [pageView(oldAnalyticsId), pageView(bystander.analyticsId)]);
    const waitingForPostHog = async (distinctId: string) => (await queuedPostHogEvents(database.db, "PENDING")).filter((e) => e.distinctId === distinctId).length;
    expect(await waitingForPostHog(oldAnalyticsId)).toBeGreaterThan(0);

    // A message still waiting to be emailed and texted carries the address and the number.
    await database.db.consentRecord.create({ data: { userId: customer.id, purpose: "ORDER_UPDATES", channel: "SMS", granted: true } });
    const message = await database.db.$transaction((tx) => notify(tx, { type: "password_changed", userId: customer.id, eventKey: "leaving-test", data: {} }));
    expect(message).toMatchObject({ queued: true, email: ["leaving@example.com"], sms: true });

    const trail = trailFor(customer);
    expect(await deleteAccount(database.db, customer.id, trail)).toEqual({ ok: true });
    expect(await database.db.notification.count({ where: { userId: customer.id } })).toBe(0);
    expect(await database.db.outboxMessage.count({ where: { dedupeKey: { contains: message.queued ? message.notificationId : "-" } } })).toBe(0);

    const after = await database.db.user.findUniqueOrThrow({ where: { id: customer.id } });
    expect(after).toMatchObject({ email: null, name: DELETED_CUSTOMER_NAME, phone: null, passwordHash: null, status: "DELETED", analyticsConsent: false });
    expect(after.deletedAt).toBeInstanceOf(Date);
    for (const session of sessions) expect(await findLiveSession(database.db, session.id)).toBeNull();
    expect(await database.db.address.count({ where: { userId: customer.id } })).toBe(0);
    expect(await database.db.consentRecord.count({ where: { userId: customer.id } })).toBe(0);
    expect(await database.db.order.findUniqueOrThrow({ where: { id: delivered.id } })).toMatchObject({ userId: null, totalMinor: 2000 });
    expect(await database.db.journey.count({ where: { userId: customer.id } })).toBe(0);
    expect(await database.db.journey.findUniqueOrThrow({ where: { id: trail.journeyId } })).toMatchObject({ userId: null, outcome: "COMPLETED" });
    expect(await database.db.contact.count({ where: { userId: customer.id } })).toBe(0);
    // The contact still counts (for the journey it followed); what the customer said on it is gone.
    expect(await database.db.contact.findMany({ where: { journeyId: earlier.journeyId }, select: { userId: true, note: true } })).toEqual([{ userId: null, note: null }]);
    expect(await database.db.emailMessage.count({ where: { to: "leaving@example.com" } })).toBe(0);
    // Nothing of theirs still waits to reach PostHog; others are untouched.
    expect(await waitingForPostHog(oldAnalyticsId)).toBe(0);
    expect(await waitingForPostHog(bystander.analyticsId)).toBe(3); // the outcome (its view, then its completion) and the shared batch's page view
    expect(await database.db.order.findUniqueOrThrow({ where: { id: bystanderOrder.id } })).toMatchObject({ userId: bystander.id });
    // The deletion step itself is not sent to PostHog: PostHog is about to forget this person.
    const deletedStep = await database.db.trailEvent.findFirstOrThrow({ where: { journeyId: trail.journeyId, step: "deleted" } });
    expect((await queuedPostHogEvents(database.db)).filter((e) => e.uuid === deletedStep.id)).toEqual([]);

    // A second submit (a replay) changes nothing and queues nothing more.
    expect(await deleteAccount(database.db, customer.id, trailFor(customer))).toEqual({ ok: true });
    const queued = await database.db.outboxMessage.findMany({ where: { topic: POSTHOG_DELETE_PERSON_TOPIC } });
    expect(queued.map((m) => m.payload)).toEqual([{ distinctId: oldAnalyticsId }]);

    const access = postHogApiAccess(parseConfig({ POSTHOG_API_HOST: posthog.url, POSTHOG_PROJECT_ID: "4242", POSTHOG_PERSONAL_API_KEY: "phx_test_key" }))!;
    expect(await deliverDue(database.db, POSTHOG_DELETE_PERSON_TOPIC, personDeletionHandler(access))).toEqual({ delivered: 1, failed: 0 });
    expect(posthog.apiCalls()).toEqual([
      expect.objectContaining({ method: "POST", path: "/api/projects/4242/persons/bulk_delete/", status: 202, body: { distinct_ids: [oldAnalyticsId], delete_events: true } }),
    ]);
  });

  it("leaves no order number on the detached trail, which would lead to the kept order's delivery address", async () => {
    const customer = await createCustomer(database.db, "Leaving Browser");
    const delivered = await placeOrder(database.db, customer.id, "DELIVERED");
    const journeyId = crypto.randomUUID();
    const seen = { event: "return_items_viewed", uuid: crypto.randomUUID(), timestamp: new Date().toISOString(), distinctId: customer.analyticsId, properties: { journey_id: journeyId, step: "items", $pathname: `/orders/${delivered.number}/return` } };
    const sessionId = (await openSession(database.db, customer.id, "desktop")).id;
    expect((await ingestBrowserBatch(database.db, [seen], { forwarding: false, sessionId })).stored).toBe(1);
    const stepOnPage = () => database.db.trailEvent.findFirstOrThrow({ where: { journeyId, step: "items" }, select: { properties: true } });
    expect((await stepOnPage()).properties).toMatchObject({ order_number: delivered.number });

    expect(await deleteAccount(database.db, customer.id, trailFor(customer))).toEqual({ ok: true });
    expect((await stepOnPage()).properties).toEqual({ journey_id: journeyId, journey_type: "return", step: "items", step_index: 1, action: "viewed" });
    // Its request that PostHog forget them is the first test's subject, and would be a second one queued in the last.
    await database.db.outboxMessage.deleteMany({ where: { topic: POSTHOG_DELETE_PERSON_TOPIC, payload: { equals: { distinctId: customer.analyticsId } } } });
  });

  it("waits while an order or a return is under way, and says which", async () => {
    const customer = await createCustomer(database.db);
    const shipped = await placeOrder(database.db, customer.id, "SHIPPED");
    expect((await deletionBlockers(database.db, customer.id)).ordersInFlight).toEqual([{ number: shipped.number, status: "SHIPPED" }]);
    const trail = trailFor(customer);
    expect(await deleteAccount(database.db, customer.id, trail)).toEqual({ ok: false, reason: "in_flight" });
    expect(await database.db.user.findUniqueOrThrow({ where: { id: customer.id } })).toMatchObject({ status: "ACTIVE", email: customer.email });
    // Refused on the page the customer confirmed on, not on the outcome they never reached; with no browser recording here, the refusal says the page was seen.
    expect(await database.db.trailEvent.findMany({ where: { journeyId: trail.journeyId }, select: { step: true, kind: true, errorCode: true }, orderBy: { occurredAt: "asc" } })).toEqual([
      { step: "reauthenticate", kind: "VIEWED", errorCode: null },
      { step: "reauthenticate", kind: "ERROR", errorCode: "orders_in_flight" },
    ]);
  });
});

describe("nothing reaches PostHog for a deleted customer", () => {
  it("sends no abandonment for the tasks they left open, and the last gate drops whatever else was queued for them", async () => {
    const customer = await createCustomer(database.db, "Gone Customer");
    const open = trailFor(customer);
    await database.db.$transaction((tx) => recordStep(tx, open.actor, { journeyId: open.journeyId, type: "profile_update", step: "form", action: "viewed" }));
    const queuedFor = async () => (await queuedPostHogEvents(database.db)).filter((e) => e.distinctId === customer.analyticsId);
    expect(await queuedFor()).toHaveLength(1);

    expect(await deleteAccount(database.db, customer.id, trailFor(customer))).toEqual({ ok: true });
    // Long after: the job closes every idle journey it still finds.
    await closeIdleJourneys(database.db, { idleMinutes: 30, forwarding: true, now: new Date(Date.now() + 86_400_000) });
    expect(await queuedFor()).toHaveLength(0);
    expect(await database.db.journey.findUniqueOrThrow({ where: { id: open.journeyId } })).toMatchObject({ userId: null, outcome: "ABANDONED" });

    // Any other path that queues an event under their id (a late server step, a future job) stops at delivery.
    await database.db.outboxMessage.create({
      data: { topic: "posthog", dedupeKey: `posthog:late-${customer.id}`, payload: { events: [{ uuid: crypto.randomUUID(), event: "profile_update_form_viewed", distinctId: customer.analyticsId, timestamp: new Date().toISOString(), properties: {} }] } },
    });
    posthog.clear();
    expect(await deliverDue(database.db, "posthog", postHogDeliveryHandler(database.db, { host: posthog.url, key: "phc_test" }))).toMatchObject({ failed: 0 });
    expect(posthog.events().filter((e) => e.distinctId === customer.analyticsId)).toEqual([]);
    // Their person deletion is another test's subject.
    await database.db.outboxMessage.deleteMany({ where: { topic: POSTHOG_DELETE_PERSON_TOPIC, payload: { path: ["distinctId"], equals: customer.analyticsId } } });
  });
});

describe("PostHog person deletion", () => {
  it("is off until the REST API is configured, and a half-configured API stops the portal at start", () => {
    expect(postHogApiAccess(parseConfig({}))).toBeNull();
    expect(() => parseConfig({ POSTHOG_PROJECT_ID: "4242" })).toThrow(/POSTHOG_PERSONAL_API_KEY/);
  });

  it("is reported at start whenever the trail reaches PostHog but deletions cannot", () => {
    expect(personDeletionProblem(true, parseConfig({}))).toBe(DELETIONS_NOT_REACHING_POSTHOG);
    expect(personDeletionProblem(true, parseConfig({ POSTHOG_PROJECT_ID: "4242", POSTHOG_PERSONAL_API_KEY: "phx_key" }))).toBeNull();
    // Without forwarding PostHog never hears of anyone, so there is nothing to delete there.
    expect(personDeletionProblem(false, parseConfig({}))).toBeNull();
  });

  it("keeps the request queued, to retry with backoff, when PostHog refuses it", async () => {
    await database.db.outboxMessage.create({ data: { topic: POSTHOG_DELETE_PERSON_TOPIC, dedupeKey: "posthog.delete_person:retry-test", payload: { distinctId: "retry-test" } } });
    const wrongKey = postHogApiAccess(parseConfig({ POSTHOG_API_HOST: posthog.url, POSTHOG_PROJECT_ID: "4242", POSTHOG_PERSONAL_API_KEY: "phx_wrong" }))!;
    expect(await deliverDue(database.db, POSTHOG_DELETE_PERSON_TOPIC, personDeletionHandler(wrongKey))).toEqual({ delivered: 0, failed: 1 });
    const row = await database.db.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: "posthog.delete_person:retry-test" } });
    expect(row).toMatchObject({ status: "PENDING", attempts: 1 });
    expect(row.lastError).toMatch(/PostHog answered 401/);
    expect(row.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
  });
});
