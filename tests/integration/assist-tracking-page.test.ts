// Help in place on an order's page: the page's own view is the tracking task's last step, so it
// completes the attempt as it appears, and the help the page shows on arrival must still be
// recorded in that attempt (once), in the portal's trail and for PostHog. The tab is
// lib/trail/browser.ts itself, run against a fake tab; its batches go through the real ingest.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openSession } from "@/lib/accounts/sessions";
import { assist, helpOnArrival } from "@/lib/experience/assist";
import { localInterventionGroup } from "@/lib/experience/interventions";
import { ingestBrowserBatch } from "@/lib/trail/ingest";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { installBrowserTab } from "../support/browser-tab";
import { createCustomer, createOrder } from "../support/orders";
import { queuedPostHogEvents } from "../support/posthog-queue";

let database: FreshDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  vi.unstubAllGlobals();
  await database.drop();
});

describe("help shown on an order's page", () => {
  it("is recorded once in the tracking attempt the page's view completed, and forwarded to PostHog", async () => {
    let customer = await createCustomer(database.db);
    while (localInterventionGroup(customer.analyticsId) !== "treatment") customer = await createCustomer(database.db);
    const order = await createOrder(database.db, customer.id, { status: "SHIPPED" });
    await database.db.order.update({ where: { id: order.id }, data: { promisedDeliveryAt: new Date(Date.now() - 2 * 86_400_000) } });
    const actor = { userId: customer.id, distinctId: customer.analyticsId, deviceClass: "DESKTOP" as const, consent: true };
    const request = { type: "order_tracking" as const, step: "detail", orderNumber: order.number };

    // The page's first HTML brings the late order's help.
    const { intervention: onArrival } = await helpOnArrival(database.db, actor, request);
    expect(onArrival).toMatchObject({ code: "late_order" });

    // The page runs in a signed-in tab: its view (JourneyStep) completes the tracking attempt.
    const tab = installBrowserTab(`http://127.0.0.1:3000/orders/${order.number}`);
    const { setAnalyticsScope } = await import("@/lib/trail/analytics-gate");
    const browser = await import("@/lib/trail/browser");
    setAnalyticsScope({ signedIn: true, anonymousChoice: null });
    browser.initAnalytics();
    browser.applyIdentity({ distinctId: customer.analyticsId, consent: true, role: "CUSTOMER" });
    const viewed = browser.trackStep("order_tracking", "detail", "viewed");
    // The help's ask waits for the tab's events to be taken (by the real ingest, here).
    await browser.trailDelivered(30_000);
    expect(tab.posted.length).toBeGreaterThan(0);
    const { id: sessionId } = await openSession(database.db, customer.id, "vitest");
    for (const batch of tab.posted) await ingestBrowserBatch(database.db, batch, { forwarding: true, sessionId });
    expect(await database.db.journey.findUniqueOrThrow({ where: { id: viewed } })).toMatchObject({ outcome: "COMPLETED", userId: customer.id });

    // The help's ask (components/assist.tsx), twice: the same showing is recorded once.
    for (let ask = 0; ask < 2; ask++) {
      const answer = await assist(database.db, actor, { ...request, journeyId: browser.attemptForHelp("order_tracking", "detail") });
      expect(answer.intervention).toEqual(onArrival);
    }
    const recorded = await database.db.trailEvent.findMany({ where: { kind: "INTERVENTION", journey: { userId: customer.id } } });
    expect(recorded.map((e) => ({ journeyId: e.journeyId, step: e.step, ...(e.properties as object) }))).toEqual([
      expect.objectContaining({ journeyId: viewed, step: "detail", intervention: "late_order", outcome: "shown" }),
    ]);
    expect(await database.db.journey.findUniqueOrThrow({ where: { id: viewed } })).toMatchObject({ outcome: "COMPLETED" });
    const helpEvents = (await queuedPostHogEvents(database.db)).filter((copy) => copy.event === "order_tracking_help_shown");
    expect(helpEvents.map((m) => m.properties.journey_id)).toEqual([viewed]);
  });
});
