// The live view's rules against a real database: who looks stuck and why, and the reach-out's
// round trip through the trail and the case.
import crypto from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openSession, seeLiveSessions } from "@/lib/accounts/sessions";
import { attemptForAgent } from "@/lib/frontline/attempt";
import { asSeenBy, IN_VIEW_WITHIN_SECONDS, liveJourneys, portalPresence, stuckFlags, STUCK_RULES } from "@/lib/frontline/live";
import { unnamedAttemptBy } from "@/lib/frontline/whose";
import { deleteAccount } from "@/lib/privacy/deletion";
import { openCase } from "@/lib/cases/cases";
import { answerOffer, deliverOffer, offerHelp } from "@/lib/frontline/reach-out";
import { ingestBrowserBatch } from "@/lib/trail/ingest";
import type { PostHogEvent } from "@/lib/trail/posthog-wire";
import { recordStep, type TrailActor } from "@/lib/trail/server";
import { caseEventsOf } from "../support/business-events";
import { freshDatabase, type FreshDatabase } from "../support/db";
import { queuedPostHogEvents } from "../support/posthog-queue";

let database: FreshDatabase;
let customer: { id: string; analyticsId: string };
let other: { id: string; analyticsId: string };
let agentId: string;

beforeAll(async () => {
  database = await freshDatabase();
  customer = await database.db.user.create({ data: { name: "Live Tester", email: "live@example.com", role: "CUSTOMER" } });
  other = await database.db.user.create({ data: { name: "Other", email: "other-live@example.com", role: "CUSTOMER" } });
  agentId = (await database.db.user.create({ data: { name: "Agent", email: "agent-live@example.com", role: "AGENT" } })).id;
});
afterAll(() => database.drop());
beforeEach(async () => {
  await database.db.reachOut.deleteMany();
  await database.db.case.deleteMany();
  await database.db.journey.deleteMany();
});

const actorOf = (who: { id: string; analyticsId: string }): TrailActor & { userId: string } => ({ userId: who.id, distinctId: who.analyticsId, anonymousId: null, deviceClass: "MOBILE", consent: false });
const secondsAgo = (seconds: number) => new Date(Date.now() - seconds * 1000);

async function failTimes(who: { id: string; analyticsId: string }, times: number) {
  const journeyId = crypto.randomUUID();
  await recordStep(database.db, actorOf(who), { journeyId, type: "password_change", step: "form", action: "viewed" }, secondsAgo(60));
  for (let i = 0; i < times; i++) await recordStep(database.db, actorOf(who), { journeyId, type: "password_change", step: "saved", action: "failed", errorCode: "wrong_password" }, secondsAgo(50 - i));
  return journeyId;
}

describe("the live view", () => {
  it("puts the customer whose step failed three times first, saying why, and leaves calm ones unflagged", async () => {
    const calm = await failTimes(other, 1);
    const stuck = await failTimes(customer, STUCK_RULES.sameStepFailures);
    const rows = await liveJourneys(database.db);
    expect(rows.map((r) => r.journeyId)).toEqual([stuck, calm]);
    expect(rows[0]).toMatchObject({ journey: "Change password", step: "Saving the new password", device: "MOBILE", failuresOnStep: 3 });
    expect(rows[0].flags.map((f) => f.code)).toContain("repeated_failure");
    expect(rows[1].flags).toEqual([]);
  });

  it("tells whether the customer has a portal page in view, which an offer reaches at once, or for how long none has been", async () => {
    await database.db.authSession.deleteMany();
    const away = await failTimes(other, 1);
    const looking = await failTimes(customer, 1);
    const visitor = crypto.randomUUID();
    await recordStep(database.db, { userId: null, distinctId: crypto.randomUUID(), anonymousId: null, deviceClass: "DESKTOP", consent: false }, { journeyId: visitor, type: "password_reset", step: "request", action: "viewed" }, secondsAgo(30));
    // No session at all (signed out everywhere): nothing to say.
    expect((await liveJourneys(database.db)).find((r) => r.journeyId === looking)?.portal).toBeNull();
    // A page's offer stream marks its session seen as it opens and at each heartbeat (seeLiveSessions).
    const now = new Date();
    const lookingSession = await openSession(database.db, customer.id, "Mozilla/5.0");
    const awaySession = await openSession(database.db, other.id, "Mozilla/5.0");
    await seeLiveSessions(database.db, [{ sessionId: lookingSession.id, userId: customer.id }, { sessionId: awaySession.id, userId: other.id }]);
    await database.db.authSession.update({ where: { id: awaySession.id }, data: { lastSeenAt: new Date(now.getTime() - 12 * 60_000) } });
    // A session signed out since it was last seen says nothing about the pages in view.
    await database.db.authSession.create({ data: { userId: other.id, expiresAt: new Date(now.getTime() + 3_600_000), revokedAt: now, lastSeenAt: now } });

    const rows = await liveJourneys(database.db, now);
    expect(rows.find((r) => r.journeyId === looking)?.portal).toEqual({ inView: true });
    expect(rows.find((r) => r.journeyId === away)?.portal).toEqual({ inView: false, awaySeconds: 12 * 60 });
    expect(rows.find((r) => r.journeyId === visitor)?.portal).toBeNull();
    // Two heartbeats without a sighting and the page is no longer in view.
    const later = new Date(now.getTime() + (IN_VIEW_WITHIN_SECONDS + 1) * 1000);
    expect(portalPresence(now, later)).toEqual({ inView: false, awaySeconds: IN_VIEW_WITHIN_SECONDS + 1 });
  });

  it("names the signed-in customer for agents, and neither a visitor nor anyone for analysts", async () => {
    const named = await failTimes(customer, 1);
    const visitor = crypto.randomUUID();
    await recordStep(database.db, { userId: null, distinctId: crypto.randomUUID(), anonymousId: null, deviceClass: "DESKTOP", consent: false }, { journeyId: visitor, type: "password_reset", step: "request", action: "viewed" }, secondsAgo(30));
    const rows = await liveJourneys(database.db);
    const nameOf = (seen: typeof rows, journeyId: string) => seen.find((r) => r.journeyId === journeyId)?.customerName;
    expect(nameOf(asSeenBy("AGENT", rows), named)).toBe("Live Tester");
    expect(nameOf(asSeenBy("AGENT", rows), visitor)).toBeNull();
    expect(asSeenBy("ANALYST", rows).map((r) => r.customerName)).toEqual([null, null]);
  });

  it("says an attempt of an account since deleted was a customer's, not a visitor's, and nothing more of them", async () => {
    const leaving = await database.db.user.create({ data: { name: "Leaving Live", email: "leaving-live@example.com", role: "CUSTOMER" } });
    const before = await failTimes(leaving, 1);
    await deleteAccount(database.db, leaving.id, { actor: actorOf(leaving), journeyId: crypto.randomUUID() });
    // A batch of theirs checked before the deletion and stored after it: an attempt in progress, of no account.
    const late = await failTimes(leaving, 1);
    const visitor = crypto.randomUUID();
    await recordStep(database.db, { userId: null, distinctId: crypto.randomUUID(), anonymousId: null, deviceClass: "DESKTOP", consent: false }, { journeyId: visitor, type: "password_reset", step: "request", action: "viewed" }, secondsAgo(30));

    // Both read 'A visitor, not signed in'.
    const rows = await liveJourneys(database.db);
    const rowOf = (journeyId: string) => rows.find((r) => r.journeyId === journeyId);
    expect(rowOf(late)).toMatchObject({ customerId: null, customerName: null, accountDeleted: true });
    expect(rowOf(visitor)).toMatchObject({ customerId: null, customerName: null, accountDeleted: false });
    expect(unnamedAttemptBy(rowOf(late)!.accountDeleted)).toBe("A customer whose account has since been deleted");
    expect(unnamedAttemptBy(rowOf(visitor)!.accountDeleted)).toBe("A visitor, not signed in");
    // The attempt ended by the deletion, opened from a case or an address kept: the same, and no name.
    expect(await attemptForAgent(database.db, before)).toMatchObject({ userId: null, user: null, accountDeleted: true });
    expect(await attemptForAgent(database.db, visitor)).toMatchObject({ user: null, accountDeleted: false });
  });

  it("flags rage taps on the step the customer is at, sent from the browser as posthog-js sends them", async () => {
    const journeyId = crypto.randomUUID();
    const sent = (event: string, properties: Record<string, unknown>, at: Date): PostHogEvent => ({
      event,
      uuid: crypto.randomUUID(),
      timestamp: at.toISOString(),
      distinctId: customer.analyticsId,
      properties: { journey_id: journeyId, journey_type: "order_cancellation", device_class: "MOBILE", ...properties },
    });
    const signedIn = { forwarding: true, sessionId: (await openSession(database.db, customer.id, "vitest")).id };
    const rage = (at: Date, element: string) => sent("order_cancellation_rage_tapped", { step: "lines", step_index: 1, element, taps: 3 }, at);
    await ingestBrowserBatch(database.db, [sent("order_cancellation_detail_viewed", { step: "detail" }, secondsAgo(40)), sent("order_cancellation_lines_viewed", { step: "lines" }, secondsAgo(30))], signedIn);
    expect((await liveJourneys(database.db)).find((r) => r.journeyId === journeyId)?.flags).toEqual([]);

    // A rage tap naming anything but a declared step is refused; a free-text element is dropped.
    const refused = await ingestBrowserBatch(database.db, [sent("order_cancellation_rage_tapped", { step: "teleport", element: "button", taps: 3 }, secondsAgo(25))], signedIn);
    expect(refused.rejected).toBe(1);
    await ingestBrowserBatch(database.db, [rage(secondsAgo(20), "button"), rage(secondsAgo(10), "Cancel these items")], signedIn);

    const [row] = (await liveJourneys(database.db)).filter((r) => r.journeyId === journeyId);
    expect(row).toMatchObject({ journey: "Cancel an order", step: "Choosing what to cancel" });
    expect(row.flags).toEqual([{ code: "rage_taps", label: "rage taps on “Choosing what to cancel” (2 times)" }]);
    // Notes on the attempt, not steps: the attempt is still at lines, in progress.
    expect(await database.db.journey.findUniqueOrThrow({ where: { id: journeyId }, select: { outcome: true, lastStep: true } })).toEqual({ outcome: "IN_PROGRESS", lastStep: "lines" });
    const stored = await database.db.trailEvent.findMany({ where: { journeyId, kind: "RAGE_TAP" }, orderBy: { occurredAt: "asc" } });
    expect(stored.map((e) => e.properties)).toEqual([
      { journey_id: journeyId, journey_type: "order_cancellation", step: "lines", step_index: 1, element: "button", taps: 3, device_class: "MOBILE" },
      { journey_id: journeyId, journey_type: "order_cancellation", step: "lines", step_index: 1, taps: 3, device_class: "MOBILE" },
    ]);
    // PostHog gets the same note, with nothing the customer typed or read.
    const forwarded = await queuedPostHogEvents(database.db);
    const notes = forwarded.filter((p) => p.event === "order_cancellation_rage_tapped");
    expect(notes.map((p) => p.properties.element)).toEqual(["button", undefined]);
    expect(JSON.stringify(forwarded)).not.toContain("Cancel these items");
  });

  it("flags a long dwell, repeated validation errors and a high risk", () => {
    const calm = { step: "form", failuresOnStep: 0, secondsOnStep: 10, rageTaps: 0, validationCodes: [], risk: 0, riskWhy: "" };
    expect(stuckFlags(calm)).toEqual([]);
    expect(stuckFlags({ ...calm, secondsOnStep: STUCK_RULES.longDwellSeconds }).map((f) => f.code)).toEqual(["long_dwell"]);
    expect(stuckFlags({ ...calm, validationCodes: ["validation_error", "validation_error", "validation_error"] }).map((f) => f.code)).toEqual(["validation_errors"]);
    expect(stuckFlags({ ...calm, risk: STUCK_RULES.riskAt, riskWhy: "late deliveries (+24)" })[0].label).toContain("late deliveries");
  });
});

describe("one-click reach-out", () => {
  it("opens a case, is shown once on the customer's page, and records the answer in the trail and the case", async () => {
    const journeyId = await failTimes(customer, 3);
    const offered = await offerHelp(database.db, agentId, journeyId);
    expect(offered.ok).toBe(true);
    // Offering twice is one offer.
    expect(await offerHelp(database.db, agentId, journeyId)).toEqual(offered);

    expect(await deliverOffer(database.db, actorOf(other))).toBeNull();
    const shown = await deliverOffer(database.db, actorOf(customer));
    expect(shown).toMatchObject({ journeyType: "password_change", step: "saved", task: "Change password" });
    await deliverOffer(database.db, actorOf(customer));
    expect((await answerOffer(database.db, actorOf(other), shown!.id, "accepted")).ok).toBe(false);
    expect((await answerOffer(database.db, actorOf(customer), shown!.id, "declined")).ok).toBe(true);

    const outcomes = await database.db.trailEvent.findMany({ where: { journeyId, kind: "INTERVENTION" }, orderBy: { occurredAt: "asc" } });
    expect(outcomes.map((e) => (e.properties as { outcome: string }).outcome)).toEqual(["shown", "dismissed"]);
    const [opened] = await database.db.case.findMany({ where: { journeyId } });
    expect(opened).toMatchObject({ status: "CLOSED", outcome: "Customer declined the agent's offer of help", channel: "PORTAL" });
    // The back office, told the case was opened, hears it closed, as it hears an agent's resolution.
    expect(await caseEventsOf(database.db, opened.number)).toEqual(["case.opened", "case.closed: offer_declined"]);
    expect(await deliverOffer(database.db, actorOf(customer))).toBeNull();
  });

  it("declined, leaves open the case the customer had already asked for on the same attempt", async () => {
    const journeyId = await failTimes(customer, 3);
    const asked = await openCase(database.db, { userId: customer.id, channel: "PORTAL", reason: "talk_to_person:password_change:saved", journeyId });
    const offered = await offerHelp(database.db, agentId, journeyId);
    expect(offered).toMatchObject({ ok: true, caseNumber: asked.number });
    const shown = await deliverOffer(database.db, actorOf(customer));
    expect((await answerOffer(database.db, actorOf(customer), shown!.id, "declined")).ok).toBe(true);
    expect(await database.db.case.findUniqueOrThrow({ where: { id: asked.id } })).toMatchObject({ status: "OPEN", closedAt: null });
    expect(await caseEventsOf(database.db, asked.number)).toEqual(["case.opened"]);
  });

  it("a second offer declined leaves open the case the customer accepted the first in", async () => {
    const journeyId = await failTimes(customer, 3);
    const first = await offerHelp(database.db, agentId, journeyId);
    expect((await answerOffer(database.db, actorOf(customer), (await deliverOffer(database.db, actorOf(customer)))!.id, "accepted")).ok).toBe(true);
    // Offered again on the same attempt: the offer joins the case the first opened, waiting for an agent.
    expect(await offerHelp(database.db, agentId, journeyId)).toMatchObject({ ok: true, caseNumber: first.caseNumber });
    expect((await answerOffer(database.db, actorOf(customer), (await deliverOffer(database.db, actorOf(customer)))!.id, "declined")).ok).toBe(true);
    expect(await database.db.case.findFirstOrThrow({ where: { number: first.caseNumber! } })).toMatchObject({ status: "OPEN", closedAt: null });
    expect(await caseEventsOf(database.db, first.caseNumber!)).toEqual(["case.opened"]);
  });

  it("refuses an attempt that is over or belongs to staff", async () => {
    expect((await offerHelp(database.db, agentId, crypto.randomUUID())).ok).toBe(false);
  });
});
