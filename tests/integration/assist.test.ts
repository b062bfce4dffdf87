import crypto from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startPostHogStandIn, type PostHogStandIn } from "@/e2e/support/posthog-stand-in";
import { openCase, resolveCase } from "@/lib/cases/cases";
import { assist, helpOnArrival } from "@/lib/experience/assist";
import { localInterventionGroup } from "@/lib/experience/interventions";
import { nextAttemptId } from "@/lib/trail/attempts";
import { recordExit, recordIntervention, recordStep, type TrailActor } from "@/lib/trail/server";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { createCustomer, createOrder } from "../support/orders";

let database: FreshDatabase;

beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.drop());

/** A customer in the group that gets interventions (the hold-out is decided by their opaque id). */
async function treatedCustomer() {
  for (;;) {
    const customer = await createCustomer(database.db);
    if (localInterventionGroup(customer.analyticsId) === "treatment") return customer;
    await database.db.user.delete({ where: { id: customer.id } });
  }
}

describe("help in place", () => {
  it("offers an explanation and another way after the same refusal twice, once per journey", async () => {
    const customer = await treatedCustomer();
    const actor: TrailActor & { userId: string } = { userId: customer.id, distinctId: customer.analyticsId, deviceClass: "MOBILE", consent: true };
    const order = await createOrder(database.db, customer.id, { status: "DELIVERED" });
    const journeyId = crypto.randomUUID();
    const request = { journeyId, type: "order_cancellation" as const, step: "lines", orderNumber: order.number };
    const refuse = () => database.db.$transaction((tx) => recordStep(tx, actor, { journeyId, type: "order_cancellation", step: "lines", action: "failed", errorCode: "order_already_shipped" }));

    await refuse();
    expect((await assist(database.db, actor, request)).intervention).toBeNull();
    await refuse();
    const offered = await assist(database.db, actor, request);
    expect(offered.intervention).toMatchObject({ code: "same_error_twice", errorCode: "order_already_shipped", alternative: { href: `/orders/${order.number}/problem` } });
    expect(offered.intervention?.message).toMatch(/has been delivered/);
    // Asking again shows it again but records it once.
    await assist(database.db, actor, request);
    const recorded = await database.db.trailEvent.findMany({ where: { journeyId, kind: "INTERVENTION" } });
    expect(recorded.map((e) => (e.properties as { outcome: string }).outcome)).toEqual(["shown"]);
  });

  it("offers nothing to an attempt that has ended, and records nothing in it; after leaving and coming back, help follows the customer into the next attempt", async () => {
    const customer = await treatedCustomer();
    const actor: TrailActor & { userId: string } = { userId: customer.id, distinctId: customer.analyticsId, deviceClass: "MOBILE", consent: true };
    const order = await createOrder(database.db, customer.id, { status: "DELIVERED" });
    const step = (journeyId: string, change: Partial<Parameters<typeof recordStep>[2]>) =>
      database.db.$transaction((tx) => recordStep(tx, actor, { journeyId, type: "order_cancellation", step: "lines", action: "failed", errorCode: "order_already_shipped", ...change }));
    const interventionsIn = async (journeyId: string) => database.db.trailEvent.count({ where: { journeyId, kind: "INTERVENTION" } });

    // Refused twice, then the task done in the same tab: the tab's late ask about its step gets nothing.
    const completed = crypto.randomUUID();
    await step(completed, {});
    await step(completed, {});
    await step(completed, { step: "confirmation", action: "completed", errorCode: undefined });
    expect((await assist(database.db, actor, { journeyId: completed, type: "order_cancellation", step: "lines", orderNumber: order.number })).intervention).toBeNull();
    expect(await interventionsIn(completed)).toBe(0);

    // Refused twice, left for the phone, then back in the same tab and refused twice more.
    const left = crypto.randomUUID();
    await step(left, {});
    await step(left, {});
    await database.db.$transaction((tx) => recordExit(tx, actor, { journeyId: left, type: "order_cancellation", step: "lines", channel: "PHONE" }));
    expect((await assist(database.db, actor, { journeyId: left, type: "order_cancellation", step: "lines", orderNumber: order.number })).intervention).toBeNull();
    await step(left, { action: "viewed", errorCode: undefined });
    await step(left, {});
    await step(left, {});
    const offered = await assist(database.db, actor, { journeyId: left, type: "order_cancellation", step: "lines", orderNumber: order.number });
    expect(offered.intervention).toMatchObject({ code: "same_error_twice" });
    expect([await interventionsIn(left), await interventionsIn(nextAttemptId(left))]).toEqual([0, 1]);
  });

  it("offers no second call back on a task once one is booked: it says what was promised, until the case is closed", async () => {
    const customer = await treatedCustomer();
    const actor: TrailActor & { userId: string } = { userId: customer.id, distinctId: customer.analyticsId, deviceClass: "MOBILE", consent: true };
    const order = await createOrder(database.db, customer.id, { status: "DELIVERED" });
    const refusedTwice = async () => {
      const journeyId = crypto.randomUUID();
      for (let i = 0; i < 2; i++) {
        await database.db.$transaction((tx) => recordStep(tx, actor, { journeyId, type: "order_cancellation", step: "lines", action: "failed", errorCode: "order_already_shipped" }));
      }
      return { journeyId, type: "order_cancellation" as const, step: "lines", orderNumber: order.number };
    };
    const first = await refusedTwice();
    expect(await assist(database.db, actor, first)).toMatchObject({ intervention: { offers: expect.arrayContaining(["callback"]) }, promised: null });
    // "Call me back", as help in place books it.
    await database.db.$transaction((tx) => recordIntervention(tx, actor, { journeyId: first.journeyId, type: "order_cancellation", step: "lines", code: "same_error_twice", outcome: "accepted", group: "treatment", offer: "callback" }));
    const booked = await openCase(database.db, { userId: customer.id, channel: "PHONE", reason: "callback:same_error_twice:order_cancellation:lines", journeyId: first.journeyId, callbackPhone: "+447700900123" });
    const promise = `We will call you on +44 7700 900123 within the hour (case ${booked.number}).`;

    // The same attempt reloaded, and the task tried again in another tab: the promise, not the offer.
    expect(await helpOnArrival(database.db, actor, { type: "order_cancellation", step: "lines", orderNumber: order.number })).toEqual({ intervention: null, promised: promise });
    const again = await assist(database.db, actor, await refusedTwice());
    expect(again.intervention?.offers).toEqual(["explain", "alternative", "chat"]);
    expect(again.promised).toBe(promise);
    // Past the hour it promised, the page no longer promises the hour.
    await database.db.case.update({ where: { id: booked.id }, data: { createdAt: new Date(Date.now() - 3 * 60 * 60_000) } });
    expect((await helpOnArrival(database.db, actor, { type: "order_cancellation", step: "lines", orderNumber: order.number })).promised).toBe(
      `You asked us to call you on +44 7700 900123 (case ${booked.number}). It is taking longer than the hour we said: a person will call you as soon as one is free.`,
    );
    // Another task is not the one the call is about.
    expect((await assist(database.db, actor, { journeyId: crypto.randomUUID(), type: "order_tracking", step: "detail", orderNumber: order.number })).promised).toBeNull();

    // Called and resolved: a new attempt may ask again.
    await resolveCase(database.db, { number: booked.number, agentId: customer.id, outcome: "Called the customer back." });
    expect(await assist(database.db, actor, await refusedTwice())).toMatchObject({ intervention: { offers: expect.arrayContaining(["callback"]) }, promised: null });
  });

  it("withholds help from the hold-out group but records that it would have been offered", async () => {
    let customer = await createCustomer(database.db);
    while (localInterventionGroup(customer.analyticsId) !== "control") customer = await createCustomer(database.db);
    const actor = { userId: customer.id, distinctId: customer.analyticsId, deviceClass: "DESKTOP" as const, consent: true };
    const journeyId = crypto.randomUUID();
    for (let i = 0; i < 2; i++) {
      await database.db.$transaction((tx) => recordStep(tx, actor, { journeyId, type: "return", step: "items", action: "failed", errorCode: "return_window_expired" }));
    }
    const answer = await assist(database.db, actor, { journeyId, type: "return", step: "items" });
    expect(answer).toEqual({ group: "control", intervention: null, promised: null });
    const [event] = await database.db.trailEvent.findMany({ where: { journeyId, kind: "INTERVENTION" } });
    expect(event.properties).toMatchObject({ intervention: "same_error_twice", outcome: "withheld", intervention_group: "control" });
  });

  it("never reads another customer's journey", async () => {
    const owner = await treatedCustomer();
    const intruder = await treatedCustomer();
    const journeyId = crypto.randomUUID();
    const ownerActor = { userId: owner.id, distinctId: owner.analyticsId, deviceClass: "DESKTOP" as const, consent: true };
    for (let i = 0; i < 2; i++) {
      await database.db.$transaction((tx) => recordStep(tx, ownerActor, { journeyId, type: "return", step: "items", action: "failed", errorCode: "final_sale" }));
    }
    const answer = await assist(database.db, { userId: intruder.id, distinctId: intruder.analyticsId, deviceClass: "DESKTOP", consent: true }, { journeyId, type: "return", step: "items" });
    expect(answer.intervention).toBeNull();
    expect(await database.db.trailEvent.count({ where: { journeyId, kind: "INTERVENTION" } })).toBe(0);
  });
});

describe("help in place on arrival (in the page's first HTML)", () => {
  it("brings a late order's help with the page, records nothing itself, and leaves out what the live attempt already answered", async () => {
    const customer = await treatedCustomer();
    const actor = { userId: customer.id, distinctId: customer.analyticsId, deviceClass: "MOBILE" as const, consent: true };
    const order = await createOrder(database.db, customer.id, { status: "SHIPPED" });
    await database.db.order.update({ where: { id: order.id }, data: { promisedDeliveryAt: new Date(Date.now() - 2 * 86_400_000) } });
    // A task whose attempt lives on across its pages (an order's tracking page ends its own).
    const request = { type: "order_cancellation" as const, step: "lines", orderNumber: order.number };

    const { intervention: onArrival } = await helpOnArrival(database.db, actor, request);
    expect(onArrival).toMatchObject({ code: "late_order", message: expect.stringMatching(/late/) });
    // The tab's attempt is not known yet: recording waits for the browser's own ask.
    expect(await database.db.trailEvent.count({ where: { kind: "INTERVENTION", journey: { userId: customer.id } } })).toBe(0);
    // What the browser's ask then answers is the same help, so nothing on the page changes.
    const journeyId = crypto.randomUUID();
    await database.db.$transaction((tx) => recordStep(tx, actor, { journeyId, type: "order_cancellation", step: "lines", action: "viewed" }));
    expect((await assist(database.db, actor, { ...request, journeyId })).intervention).toEqual(onArrival);

    // Dismissed in that attempt: a reload within it does not bring it back, a later attempt does.
    await database.db.$transaction((tx) => recordIntervention(tx, actor, { journeyId, type: "order_cancellation", step: "lines", code: "late_order", outcome: "dismissed", group: "treatment" }));
    expect((await helpOnArrival(database.db, actor, request)).intervention).toBeNull();
    const afterIdling = new Date(Date.now() + 31 * 60_000);
    expect((await helpOnArrival(database.db, actor, request, afterIdling)).intervention).toMatchObject({ code: "late_order" });
  });

  it("rests help about the customer for a day once they decline it, from task to task; help about a task is declined for its attempt only", async () => {
    const customer = await treatedCustomer();
    const actor = { userId: customer.id, distinctId: customer.analyticsId, deviceClass: "DESKTOP" as const, consent: true };
    const order = await createOrder(database.db, customer.id, { status: "DELIVERED" });
    // A refund that should have reached the card long ago.
    await database.db.refund.create({ data: { orderId: order.id, amountMinor: 1200, currency: order.currency, status: "PENDING", reason: "return", idempotencyKey: crypto.randomUUID(), createdAt: new Date(Date.now() - 30 * 86_400_000) } });
    const onOrderPage = (journeyId: string) => ({ journeyId, type: "order_tracking" as const, step: "detail", orderNumber: order.number });
    const first = crypto.randomUUID();
    expect((await assist(database.db, actor, onOrderPage(first))).intervention).toMatchObject({ code: "refund_overdue" });
    await database.db.$transaction((tx) => recordIntervention(tx, actor, { journeyId: first, type: "order_tracking", step: "detail", code: "refund_overdue", outcome: "dismissed", group: "treatment" }));

    // The next order page is another attempt: the help declined there stays away, until the next day.
    expect((await assist(database.db, actor, onOrderPage(crypto.randomUUID()))).intervention).toBeNull();
    expect((await helpOnArrival(database.db, actor, { type: "order_tracking", step: "detail", orderNumber: order.number })).intervention).toBeNull();
    const nextDay = new Date(Date.now() + 25 * 3_600_000);
    expect((await assist(database.db, actor, onOrderPage(crypto.randomUUID()), nextDay)).intervention).toMatchObject({ code: "refund_overdue" });
  });

  it("brings nothing to the hold-out group", async () => {
    let customer = await createCustomer(database.db);
    while (localInterventionGroup(customer.analyticsId) !== "control") customer = await createCustomer(database.db);
    const order = await createOrder(database.db, customer.id, { status: "SHIPPED" });
    await database.db.order.update({ where: { id: order.id }, data: { promisedDeliveryAt: new Date(Date.now() - 2 * 86_400_000) } });
    const actor = { userId: customer.id, distinctId: customer.analyticsId, deviceClass: "DESKTOP" as const, consent: true };
    expect((await helpOnArrival(database.db, actor, { type: "order_tracking", step: "detail", orderNumber: order.number })).intervention).toBeNull();
  });
});

describe("help in place decided by a PostHog feature flag", () => {
  const FLAG = "help-in-place";
  const VARIABLES = ["POSTHOG_HOST", "POSTHOG_KEY", "INTERVENTION_FLAG"] as const;
  let posthog: PostHogStandIn;
  const previous = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));

  beforeAll(async () => {
    posthog = await startPostHogStandIn({ port: 0 });
    Object.assign(process.env, { POSTHOG_HOST: posthog.url, POSTHOG_KEY: "phc_assist_test", INTERVENTION_FLAG: FLAG });
  });
  afterEach(() => posthog.clear());
  afterAll(async () => {
    for (const name of VARIABLES) {
      if (previous[name] === undefined) delete process.env[name];
      else process.env[name] = previous[name];
    }
    await posthog.close();
  });

  const flagRequestsFor = (distinctId: string) => posthog.requests().filter((request) => request.path.startsWith("/flags") && request.bodyText.includes(distinctId));

  it("follows the flag for a customer who allows analytics", async () => {
    // The flag puts them in the group their local assignment would not, so the answer shows who decided.
    const customer = await createCustomer(database.db);
    posthog.setFlags({ [FLAG]: localInterventionGroup(customer.analyticsId) === "control" ? "test" : "control" });
    const actor = { userId: customer.id, distinctId: customer.analyticsId, deviceClass: "DESKTOP" as const, consent: true };

    const answer = await assist(database.db, actor, { journeyId: crypto.randomUUID(), type: "return", step: "items" });

    expect(answer.group).toBe(localInterventionGroup(customer.analyticsId) === "control" ? "treatment" : "control");
    expect(flagRequestsFor(customer.analyticsId)).toHaveLength(1);
  });

  it("never asks PostHog about a customer who declined analytics: not even their id leaves the portal", async () => {
    const customer = await createCustomer(database.db);
    posthog.setFlags({ [FLAG]: localInterventionGroup(customer.analyticsId) === "control" ? "test" : "control" });
    const actor = { userId: customer.id, distinctId: customer.analyticsId, deviceClass: "DESKTOP" as const, consent: false };

    const answer = await assist(database.db, actor, { journeyId: crypto.randomUUID(), type: "return", step: "items" });

    expect(answer.group).toBe(localInterventionGroup(customer.analyticsId));
    expect(posthog.requests().filter((request) => request.path.startsWith("/flags"))).toEqual([]);
  });
});
